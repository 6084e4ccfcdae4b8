// Draws every Vega-Lite spec a page carries (<script type="application/json" class="chart-spec">)
// into the element just before it, with the vendored vega-embed; no request leaves the host.
(function () {
  "use strict";
  if (!window.vegaEmbed) { return; }
  document.querySelectorAll("script.chart-spec").forEach(function (script) {
    var target = document.getElementById(script.dataset.target);
    if (!target) { return; }
    window.vegaEmbed(target, JSON.parse(script.textContent), { renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false } })
      .then(function () { target.dataset.ready = "true"; })
      .catch(function (err) { target.textContent = "Could not draw the chart: " + err.message; });
  });
})();
