// Behaviour shared by every page. A static file: the Content-Security-Policy allows no inline
// script and no inline event handlers (onchange="…"). Loaded in <head> without defer: listeners
// are on the document, so they are there before any control can be used; what touches the page
// waits for DOMContentLoaded. Without JavaScript every page still works: the phone menu stays
// open, tables become cards without their labels, columns are not sortable.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // <select data-autosubmit> submits its form when the choice changes (the language switcher).
  document.addEventListener("change", function (event) {
    const el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });

  // The phone menu: a real <button aria-expanded aria-controls>, so Enter and Space work.
  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element ? event.target.closest(".menu-toggle") : null;
    if (!button) return;
    const header = button.closest("header.top");
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (header) header.classList.toggle("open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const header = document.querySelector("header.top.open");
    if (!header) return;
    header.classList.remove("open");
    const button = header.querySelector(".menu-toggle");
    if (button) { button.setAttribute("aria-expanded", "false"); button.focus(); }
  });

  // Tables become cards on a phone (klaster.css): each cell gets its column's header as
  // data-label, unless the template set one.
  function headers(table) {
    const head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    if (!head) return null;
    const names = [];
    for (const cell of head.cells) {
      const text = cell.textContent.replace(/\s+/g, " ").trim();
      for (let i = 0; i < (cell.colSpan || 1); i++) names.push(text);
    }
    return names;
  }
  function label(table) {
    const names = headers(table);
    if (!names) return;
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let col = 0;
        for (const cell of row.cells) {
          // a row of one cell across the table ("No meetings.") needs no label
          const alone = row.cells.length === 1 && (cell.colSpan || 1) > 1;
          if (!alone && !cell.hasAttribute("data-label") && names[col] !== undefined) cell.setAttribute("data-label", names[col]);
          col += cell.colSpan || 1;
        }
      }
    }
  }

  // Sortable columns: <table class="sortable">; a header cell with class "nosort" is left alone.
  // The header's text goes into a <button>, aria-sort tells which column sorts the rows and how.
  // A cell may carry data-sort (an ISO date, a plain number) when its text does not sort well.
  function sortKey(cell) {
    if (!cell) return "";
    const raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    const text = raw.replace(/\s+/g, " ").trim();
    const date = /^(\d{2})\.(\d{2})\.(\d{4})/.exec(text); // 31.12.2026 sorts as 2026-12-31
    return date ? date[3] + "-" + date[2] + "-" + date[1] + text.slice(10) : text;
  }
  function asNumber(text) {
    const t = text.replace(/[\s\u00a0\u202f]|zł|PLN|%/g, "").replace(",", ".");
    return /^-?\d+(\.\d+)?$/.test(t) ? parseFloat(t) : null;
  }
  function sortBy(table, index, th) {
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    for (const other of th.parentNode.cells) other.removeAttribute("aria-sort");
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const lang = document.documentElement.lang || "pl";
    for (const body of table.tBodies) {
      const rows = Array.from(body.rows).filter(function (r) { return r.cells.length > 1; });
      rows.sort(function (a, b) {
        const x = sortKey(a.cells[index]);
        const y = sortKey(b.cells[index]);
        const nx = asNumber(x);
        const ny = asNumber(y);
        const c = nx !== null && ny !== null ? nx - ny : x.localeCompare(y, lang, { numeric: true, sensitivity: "base" });
        return ascending ? c : -c;
      });
      for (const row of rows) body.appendChild(row);
    }
  }
  function sortable(table) {
    const head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    Array.from(head.cells).forEach(function (th, index) {
      if (th.classList.contains("nosort") || th.querySelector("button, input, select") || !th.textContent.trim()) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    for (const table of document.querySelectorAll("main table")) {
      label(table);
      if (table.classList.contains("sortable")) sortable(table);
      if (table.classList.contains("keep") && !table.parentElement.classList.contains("table-scroll")) {
        const wrap = document.createElement("div");
        wrap.className = "table-scroll";
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", table.getAttribute("aria-label") || (table.caption ? table.caption.textContent : "") || document.title);
        table.parentNode.insertBefore(wrap, table);
        wrap.appendChild(table);
      }
    }
  });
})();
