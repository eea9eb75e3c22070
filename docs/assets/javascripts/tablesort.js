/* cardsite: sort the Compare table by any column, with mouse or keyboard.
 *
 * Our own few lines rather than a library from a CDN: the offline bundle has no network.
 * Scores sort as numbers, everything else as text; a dash (no score) always sorts last.
 */
(function () {
  "use strict";

  function cellKey(cell) {
    if (cell.querySelector(".cs-missing")) return null;
    var text = cell.textContent.trim();
    var number = Number(text.replace(/,/g, "").replace(/[KMBT+]$/, ""));
    return text !== "" && !isNaN(number) ? number : text.toLowerCase();
  }

  function compare(a, b, direction) {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    if (typeof a === "number" && typeof b === "number") return (a - b) * direction;
    return String(a).localeCompare(String(b)) * direction;
  }

  function sortBy(table, index) {
    var heading = table.tHead.rows[0].cells[index];
    var direction = heading.getAttribute("aria-sort") === "descending" ? 1 : -1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    heading.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows
      .map(function (row, position) {
        return { row: row, key: cellKey(row.cells[index]), position: position };
      })
      .sort(function (a, b) {
        return compare(a.key, b.key, direction) || a.position - b.position;
      })
      .forEach(function (item) {
        body.appendChild(item.row);
      });
  }

  function setUp(table) {
    if (table.dataset.sortable === "ready" || !table.tHead) return;
    table.dataset.sortable = "ready";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function (event) {
        if (event.target.closest("a")) return;
        sortBy(table, index);
      });
    });
  }

  function init() {
    document.querySelectorAll(".cs-compare table").forEach(setUp);
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
