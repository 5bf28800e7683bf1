(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.finding"));
  var shown = document.getElementById("shown");

  function wanted() {
    var chosen = {};
    boxes.forEach(function (box) {
      chosen[box.dataset.filter] = chosen[box.dataset.filter] || {};
      chosen[box.dataset.filter][box.value] = box.checked;
    });
    return chosen;
  }

  function apply() {
    var chosen = wanted();
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
    shown.textContent = String(count);
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", apply);
  });
  apply();
})();
