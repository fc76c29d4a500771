// Figure details: clicking or focusing a highlighted figure fills the side panel.
// Values are read from data-* attributes and written with textContent only.
(function () {
  "use strict";
  var list = document.getElementById("details-list");
  if (!list) return;
  var hint = document.getElementById("details-hint");
  var current = null;
  var STATUS = {"target": "target 目标", "actual": "actual 结果", "forecast": "forecast 预测"};
  function show(mark) {
    if (current) current.classList.remove("selected");
    current = mark;
    mark.classList.add("selected");
    var d = mark.dataset;
    var values = {
      "text": d.text, "value": d.value, "unit": d.unit, "base": d.base + (d.baseUnit ? " " + d.baseUnit : ""),
      "qualifier": d.qualifier, "kind": d.kind, "status": STATUS[d.status] || d.status,
      "period": d.period, "period-range": d.periodRange, "indicator": d.indicator, "indicator-id": d.indicatorId,
      "region": d.region
    };
    list.querySelectorAll("dd[data-field]").forEach(function (dd) {
      dd.textContent = values[dd.getAttribute("data-field")] || "—";
    });
    list.hidden = false;
    if (hint) hint.hidden = true;
  }
  function pick(event) {
    var mark = event.target.closest ? event.target.closest("mark.fact") : null;
    if (mark) show(mark);
  }
  document.addEventListener("click", pick);
  document.addEventListener("focusin", pick);
  function fromHash() {
    var id = location.hash.slice(1);
    var mark = id && document.getElementById(id);
    if (mark && mark.matches("mark.fact")) { show(mark); mark.focus(); }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
