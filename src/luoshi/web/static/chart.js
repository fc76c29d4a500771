// Indicator chart: the target band (low–high) per year and the outcome line, with Apache
// ECharts served from /static/vendor (installed from the npm registry by `make install`).
(function () {
  "use strict";
  var el = document.getElementById("chart");
  var source = document.getElementById("series-data");
  if (!el || !source) return;
  if (typeof echarts === "undefined") {
    document.getElementById("chart-missing").hidden = false;
    return;
  }
  var series = JSON.parse(source.textContent);
  var years = series.points.map(function (p) { return String(p.year); });
  var low = series.points.map(function (p) { return p.target_low; });
  var span = series.points.map(function (p) {
    return p.target_low === null || p.target_high === null ? null : Math.max(p.target_high - p.target_low, 0.05);
  });
  var outcome = series.points.map(function (p) { return p.outcome_value; });
  var target = series.points.map(function (p) { return p.target_low; });
  function label(i) {
    var p = series.points[i];
    var t = p.target_low === null ? "—" : (p.target_high !== p.target_low ? p.target_low + "–" + p.target_high : p.target_low);
    var o = p.outcome_value === null ? "—" : p.outcome_value;
    return p.year + "<br>目标 " + t + "<br>结果 " + o + "<br>" + p.verdict;
  }
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis", formatter: function (items) { return label(items[0].dataIndex); } },
    legend: { data: ["目标", "结果"] },
    xAxis: { type: "category", data: years },
    yAxis: { type: "value", name: series.unit, scale: true },
    series: [
      { name: "目标下限", type: "line", data: low, stack: "band", symbol: "none", lineStyle: { opacity: 0 }, tooltip: { show: false } },
      { name: "目标区间", type: "line", data: span, stack: "band", symbol: "none", lineStyle: { opacity: 0 },
        areaStyle: { color: "rgba(234,179,8,0.35)" }, connectNulls: false },
      { name: "目标", type: "line", data: target, symbol: "rect", symbolSize: 6, connectNulls: false,
        lineStyle: { color: "#ca8a04", type: "dashed", width: 2 }, itemStyle: { color: "#ca8a04" } },
      { name: "结果", type: "line", data: outcome, symbol: "circle", symbolSize: 7, lineStyle: { color: "#1d4ed8", width: 2 },
        itemStyle: { color: "#1d4ed8" }, connectNulls: false }
    ]
  });
  el.setAttribute("data-rendered", "true");
  window.addEventListener("resize", function () { chart.resize(); });
})();
