// Small enhancements of the dashboard pages; everything works without them.
// - The date fields are disabled while a named period is chosen (so the form
//   never sends both, which the server refuses with a clear message).
// - Tables marked data-sortable get header buttons that sort their rows.
// - A print button on the official report.
(function () {
  "use strict";

  function periodFields() {
    var p = document.getElementById("f-p");
    if (!p) return;
    var dates = [document.getElementById("f-from"), document.getElementById("f-to")];
    function sync() {
      var named = p.value !== "" && p.value !== "custom";
      dates.forEach(function (el) { if (el) el.disabled = named; });
    }
    p.addEventListener("change", sync);
    sync();
  }

  // cellValue reads a cell for sorting: data-sort when given, else the text
  // as a number when it is one (Vietnamese or English format), else the text.
  function cellValue(cell) {
    if (!cell) return "";
    var s = cell.getAttribute("data-sort");
    // data-sort is machine format (a dot for decimals) whatever the language.
    if (s !== null) {
      var m = parseFloat(s);
      return isNaN(m) || !/^-?[\d.]+$/.test(s) ? s.toLowerCase() : m;
    }
    s = cell.textContent.trim();
    var vi = document.documentElement.lang !== "en";
    var n = s.replace(/[\s%]/g, "").replace(/\u2212/g, "-");
    n = vi ? n.replace(/\./g, "").replace(",", ".") : n.replace(/,/g, "");
    var x = parseFloat(n);
    return isNaN(x) || !/^-?[\d.]+$/.test(n) ? s.toLowerCase() : x;
  }

  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      if (th.classList.contains("bar-col")) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, c) {
          var x = cellValue(a.cells[col]), y = cellValue(c.cells[col]);
          if (x === y) return 0;
          if (x === "" || x === "—") return 1;
          if (y === "" || y === "—") return -1;
          return (x < y ? -1 : 1) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function printButton() {
    document.querySelectorAll("[data-action=print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  }

  function init() {
    periodFields();
    document.querySelectorAll("table[data-sortable]").forEach(sortable);
    printButton();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
