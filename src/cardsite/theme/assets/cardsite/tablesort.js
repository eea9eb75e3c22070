/* cardsite: sort the Compare table (and the catalogue's) by any column, with mouse or
 * keyboard; filter the catalogue's table by what its rows say.
 *
 * Our own few lines rather than a library from a CDN: the offline bundle has no network.
 * Scores sort as numbers, everything else as text; a dash (no score) always sorts last.
 * A column of numbers sorts highest first on the first press, a column of text A to Z;
 * pressing again reverses. The heading carries the state in `aria-sort`.
 *
 * Every heading gets a button. A heading that is a link (a model with its own page) keeps its
 * link and gets a separate icon button after it: a link inside a button is two controls in
 * one, which keyboards and screen readers cannot use (axe: nested-interactive).
 */
(function () {
  "use strict";

  function cellKey(cell) {
    if (!cell || cell.querySelector(".cs-missing")) return null;
    var text = cell.textContent.trim();
    var number = Number(text.replace(/,/g, "").replace(/[KMBT+%]$/, ""));
    return text !== "" && !isNaN(number) ? number : text.toLowerCase();
  }

  // Numbers compare as numbers; anything else as text with digit runs read as numbers
  // ("3-5" shots after "3", before "25"), so the order is the same whichever way round.
  function compare(a, b, direction) {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    if (typeof a === "number" && typeof b === "number") return (a - b) * direction;
    return String(a).localeCompare(String(b), undefined, { numeric: true }) * direction;
  }

  function sortBy(table, index) {
    var heading = table.tHead.rows[0].cells[index];
    var body = table.tBodies[0];
    var items = Array.prototype.map.call(body.rows, function (row, position) {
      return { row: row, key: cellKey(row.cells[index]), position: position };
    });
    var current = heading.getAttribute("aria-sort");
    var numeric = items.every(function (item) {
      return item.key === null || typeof item.key === "number";
    });
    var direction;
    if (current === "ascending") direction = -1;
    else if (current === "descending") direction = 1;
    else direction = numeric ? -1 : 1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    heading.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
    items
      .sort(function (a, b) {
        return compare(a.key, b.key, direction) || a.position - b.position;
      })
      .forEach(function (item) {
        body.appendChild(item.row);
      });
  }

  function setUp(table) {
    if (table.dataset.sortable === "ready" || !table.tHead || !table.tBodies.length) return;
    table.dataset.sortable = "ready";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cs-sort";
      if (th.querySelector("a, button, input, select, textarea")) {
        var label = "Sort by " + th.textContent.trim();
        button.setAttribute("aria-label", label);
        button.title = label;
        button.classList.add("cs-sort--icon");
      } else {
        while (th.firstChild) button.appendChild(th.firstChild);
      }
      th.appendChild(button);
      button.addEventListener("click", function () {
        sortBy(table, index);
      });
    });
  }

  // A search box above the table: a row stays when it holds every word typed, in any cell.
  function addFilter(container) {
    var table = container.querySelector("table");
    if (!table || container.dataset.filter === "ready" || !table.tBodies.length) return;
    container.dataset.filter = "ready";
    var id = "cs-filter-" + Math.random().toString(36).slice(2);
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Filter the table";
    label.className = "cs-filter-label";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "cs-filter md-input";
    input.placeholder = "Model, publisher, family, kind...";
    var count = document.createElement("p");
    count.className = "cs-filter-count";
    count.setAttribute("role", "status");
    container.insertBefore(count, container.firstChild);
    container.insertBefore(input, container.firstChild);
    container.insertBefore(label, container.firstChild);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var keep = words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " shown";
    }
    input.addEventListener("input", apply);
    apply();
  }

  function init() {
    document.querySelectorAll(".cs-compare table").forEach(setUp);
    document.querySelectorAll(".cs-filterable").forEach(addFilter);
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
