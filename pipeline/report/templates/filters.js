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
    return {
      element: section,
      rows: all("tr.finding", section),
      entry: entries[section.id],
      table: section.querySelector("table.counts"),
      none: section.querySelector("p.none")
    };
  });
  var groups = all("nav li[data-group]").reverse();
  var summary = document.querySelector("table.summary");
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

  // A row is kept when, for every filter, one of its values is not unticked (a row can
  // carry several detectors and years, space-separated); reference rows need their box.
  function keeps(row, chosen) {
    return Object.keys(chosen).every(function (name) {
      var values = (row.dataset[name] || "").split(" ");
      return values.some(function (value) {
        return chosen[name][value] !== false;
      });
    });
  }

  function tally(rows, counts) {
    rows.forEach(function (row) {
      counts.severity[row.dataset.severity] = (counts.severity[row.dataset.severity] || 0) + 1;
      row.dataset.kinds.split(" ").forEach(function (pair) {
        var parts = pair.split(":");
        counts.kinds[parts[0]] = counts.kinds[parts[0]] || {};
        counts.kinds[parts[0]][parts[1]] = (counts.kinds[parts[0]][parts[1]] || 0) + 1;
      });
    });
    return counts;
  }

  function fill(table, kinds) {
    if (!table) {
      return;
    }
    all("tr[data-kind]", table).forEach(function (line) {
      var counts = kinds[line.dataset.kind] || {};
      var total = 0;
      all("td[data-severity]", line).forEach(function (cell) {
        var count = counts[cell.dataset.severity] || 0;
        cell.textContent = String(count);
        total += count;
      });
      line.querySelector("td[data-total]").textContent = String(total);
      line.hidden = total === 0;
    });
  }

  function apply() {
    var chosen = wanted();
    var filtering = boxes.some(function (box) {
      return box.dataset.filter !== "reference" && !box.checked;
    });
    var everything = { severity: {}, kinds: {} };
    var total = 0;
    sections.forEach(function (section) {
      var kept = section.rows.filter(function (row) {
        var keep = keeps(row, chosen);
        row.hidden = !keep;
        return keep;
      });
      var counts = tally(kept, { severity: {}, kinds: {} });
      tally(kept, everything);
      var empty = filtering && kept.length === 0;
      section.element.hidden = empty;
      if (section.none) {
        section.none.hidden = kept.length > 0;
      }
      if (section.table) {
        section.table.hidden = kept.length === 0;
      }
      fill(section.table, counts.kinds);
      if (section.entry) {
        section.entry.hidden = empty;
        all("[data-count]", section.entry).forEach(function (cell) {
          cell.textContent = String(counts.severity[cell.dataset.count] || 0);
        });
      }
      total += kept.length;
    });
    fill(summary, everything.kinds);
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
