// 统计看板: sort a breakdown table by the column whose header is clicked. The page arrives
// sorted by 受理, most first (aria-sort on that header says so); without this script the
// tables simply stay in that order. Numbers sort most first on the first click, names in
// the page language's order; a cell without a figure ("—") always goes last.
(function () {
  "use strict";
  var ARROWS = { ascending: "▲", descending: "▼", none: "↕" };
  var lang = document.documentElement.lang || "zh-CN";

  function cellKey(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.dataset.sortValue;
    if (raw === undefined) {
      raw = cell.textContent.trim();
    }
    if (raw === "") {
      return null;
    }
    return numeric ? parseFloat(raw) : raw;
  }

  function compare(a, b, numeric) {
    return numeric ? a - b : a.localeCompare(b, lang);
  }

  function sortBy(table, index, direction) {
    var header = table.tHead.rows[0].cells[index];
    var numeric = header.dataset.sort === "number";
    var sign = direction === "ascending" ? 1 : -1;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, key: cellKey(row, index, numeric), position: position };
    });
    rows.sort(function (x, y) {
      if (x.key === null || y.key === null) {
        return (x.key === null) - (y.key === null) || x.position - y.position;
      }
      return sign * compare(x.key, y.key, numeric) || x.position - y.position;
    });
    rows.forEach(function (item) {
      body.appendChild(item.row);
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      if (cell === header) {
        cell.setAttribute("aria-sort", direction);
      } else {
        cell.removeAttribute("aria-sort");
      }
      cell.querySelector("[data-arrow]").textContent = ARROWS[cell.getAttribute("aria-sort") || "none"];
    });
  }

  function nextDirection(header) {
    var now = header.getAttribute("aria-sort");
    if (now) {
      return now === "descending" ? "ascending" : "descending";
    }
    return header.dataset.sort === "number" ? "descending" : "ascending";
  }

  function enable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      var button = document.createElement("button");
      var arrow = document.createElement("span");
      button.type = "button";
      button.className = "btn btn-link p-0 fw-semibold text-reset text-decoration-none stats-sort";
      while (header.firstChild) {
        button.appendChild(header.firstChild);
      }
      arrow.dataset.arrow = "";
      arrow.setAttribute("aria-hidden", "true");
      arrow.className = "ms-1 text-muted";
      arrow.textContent = ARROWS[header.getAttribute("aria-sort") || "none"];
      button.appendChild(arrow);
      header.appendChild(button);
      button.addEventListener("click", function () {
        sortBy(table, index, nextDirection(header));
      });
    });
  }

  document.querySelectorAll("table[data-sortable]").forEach(enable);
})();
