/* bcparse html: the tooltip of a figure (hover or keyboard focus) and the sortable figures table */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("figdata").textContent);
  var figs = data.figures;
  var tip = document.getElementById("tip");
  var current = null;

  function row(dt, dd, cls) {
    if (dd === null || dd === undefined || dd === "") return "";
    var t = document.createElement("span");
    t.textContent = String(dd);
    return "<dt>" + dt + "</dt><dd" + (cls ? ' class="' + cls + '"' : "") + ">" + t.innerHTML + "</dd>";
  }

  function show(el) {
    var i = +el.getAttribute("data-i");
    var f = figs[i];
    if (!f) return;
    if (current && current !== el) current.classList.remove("on");
    current = el;
    el.classList.add("on");
    var value = f.value + (f.unit ? " " + f.unit : "") + (f.qualifier ? " (" + f.qualifier + ")" : "") +
      (f.derived ? " (tính ra)" : "");
    tip.innerHTML = "<dl>" +
      row("Khóa", f.address || "—", "tk") +
      row("Tên", f.label) +
      row("Giá trị", value) +
      row("Chế độ", f.mode_label) +
      row("Tin cậy", f.confidence_label) +
      row("Đếm", f.counted) +
      row("Nói về", f.subject) +
      row("Quy tắc", f.rule) +
      row("Vị trí", f.where) +
      row("Nguyên văn", "« " + f.raw + " »") + "</dl>";
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 6;
    var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
  }

  function hide() {
    tip.hidden = true;
    if (current) current.classList.remove("on");
    current = null;
  }

  function target(ev) {
    var t = ev.target;
    return t && t.closest ? t.closest("mark[data-i]") : null;
  }

  document.addEventListener("mouseover", function (ev) { var m = target(ev); if (m) show(m); });
  document.addEventListener("mouseout", function (ev) {
    var m = target(ev);
    if (m && m === current && !m.contains(ev.relatedTarget) && document.activeElement !== m) hide();
  });
  document.addEventListener("focusin", function (ev) { var m = target(ev); if (m) show(m); else hide(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") hide();
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches && ev.target.matches("mark[data-i]")) {
      ev.preventDefault();
      show(ev.target);
    }
  });
  document.addEventListener("click", function (ev) { var m = target(ev); if (m) show(m); });

  /* the figures table: a header button sorts by its column, again reverses */
  var table = document.getElementById("figtable");
  if (table) {
    var body = table.tBodies[0];
    table.querySelectorAll("th button").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var col = +btn.getAttribute("data-col");
        var num = btn.getAttribute("data-type") === "num";
        var th = btn.parentNode;
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        table.querySelectorAll("th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          var u = num ? +x.getAttribute("data-v") : x.textContent;
          var v = num ? +y.getAttribute("data-v") : y.textContent;
          return (num ? u - v : u.localeCompare(v, "vi")) * dir;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
})();
