(function () {
  "use strict";

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  var boxes = all("input[data-filter]");
  var entries = {};
  all("nav li[data-division]").forEach(function (entry) {
    entries[entry.dataset.division] = entry;
  });
  var sections = all("section.division").map(function (section) {
    return { element: section, rows: all("tr.finding", section), entry: entries[section.id] };
  });
  var groups = all("nav li[data-group]").reverse();
  var shown = document.getElementById("shown");
  var nothing = document.getElementById("nothing");

  function wanted() {
    var chosen = {};
    boxes.forEach(function (box) {
      chosen[box.dataset.filter] = chosen[box.dataset.filter] || {};
      chosen[box.dataset.filter][box.value] = box.checked;
    });
    return chosen;
  }

  function showRows(rows, chosen) {
    var count = 0;
    rows.forEach(function (row) {
      var keep = Object.keys(chosen).every(function (name) {
        return chosen[name][row.dataset[name]] !== false;
      });
      row.hidden = !keep;
      if (keep) {
        count += 1;
      }
    });
    return count;
  }

  function apply() {
    var chosen = wanted();
    var filtering = boxes.some(function (box) {
      return !box.checked;
    });
    var total = 0;
    sections.forEach(function (section) {
      var count = showRows(section.rows, chosen);
      var empty = filtering && count === 0;
      section.element.hidden = empty;
      if (section.entry) {
        section.entry.hidden = empty;
      }
      total += count;
    });
    groups.forEach(function (group) {
      group.hidden = group.querySelector(":scope > ul > li:not([hidden])") === null;
    });
    shown.textContent = String(total);
    nothing.hidden = !(filtering && total === 0);
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", apply);
  });
  apply();
})();
