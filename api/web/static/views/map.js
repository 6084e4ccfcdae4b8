// The map: Vega-Lite over the vendored Natural Earth shapes (world-atlas TopoJSON) and /api/map.
// Countries are shaded by how many entities are linked to them; cities are dots sized likewise.
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box || !window.vegaEmbed) { return; }
  var status = document.getElementById("status");
  var REGIONS = { world: { center: [60, 20], scale: 1 }, asia: { center: [100, 30], scale: 3 },
                  china: { center: [108, 33], scale: 6 } };
  var view = { center: REGIONS.asia.center.slice(), scale: REGIONS.asia.scale };
  var data = null;

  function spec(width) {
    var countries = data.countries.map(function (c) {
      return { id: c.iso_numeric, label: c.label, href: c.href, count: c.things.length };
    });
    var points = data.points.map(function (p) {
      return { label: p.label, href: p.href, lat: p.lat, long: p.long, count: p.things.length,
        what: p.things.slice(0, 6).map(function (t) { return t.label; }).join("; ") };
    });
    var projection = { type: "equalEarth", center: view.center, scale: 160 * view.scale,
      translate: [width / 2, 260] };
    return {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: width, height: 520, projection: projection,
      layer: [
        { data: { url: "/static/world-atlas/countries-110m.json", format: { type: "topojson", feature: "countries" } },
          mark: { type: "geoshape", fill: "#e9ecef", stroke: "#fff", strokeWidth: 0.6 },
          encoding: { tooltip: [{ field: "properties.name", title: "country" }] } },
        { data: { url: "/static/world-atlas/countries-110m.json", format: { type: "topojson", feature: "countries" } },
          transform: [{ lookup: "id", from: { data: { values: countries }, key: "id", fields: ["label", "count", "href"] } },
            { filter: "datum.count > 0" }, { calculate: "datum.href", as: "link" }],
          mark: { type: "geoshape", stroke: "#fff", strokeWidth: 0.6 },
          encoding: {
            color: { field: "count", type: "quantitative", scale: { scheme: "oranges", domainMin: 0 },
              title: "entities linked" },
            tooltip: [{ field: "properties.name", title: "country" }, { field: "count", title: "entities linked" }],
            href: { field: "link" } } },
        { data: { values: points },
          mark: { type: "circle", color: "#9b1c1c", opacity: 0.9, stroke: "#fff", strokeWidth: 1 },
          encoding: { longitude: { field: "long" }, latitude: { field: "lat" },
            size: { field: "count", type: "quantitative", scale: { range: [80, 600] }, legend: null },
            tooltip: [{ field: "label", title: "place" }, { field: "what", title: "what happens there" }],
            href: { field: "href" } } },
        { data: { values: points },
          mark: { type: "text", dy: -14, fontSize: 12, fontWeight: "bold", color: "#1d2433" },
          encoding: { longitude: { field: "long" }, latitude: { field: "lat" }, text: { field: "label" },
            href: { field: "href" } } }
      ],
      config: { view: { stroke: null } }
    };
  }

  function draw() {
    var width = Math.max(320, box.clientWidth - 30);
    return window.vegaEmbed(box, spec(width), { renderer: "svg", actions: { export: true, source: false,
      compiled: false, editor: false } }).then(function (result) {
      window.briMap = result.view;
      box.dataset.ready = "true";
    });
  }

  function table() {
    var body = document.querySelector("#place-table tbody");
    data.points.concat(data.countries, data.unplaced || []).forEach(function (p) {
      var tr = document.createElement("tr");
      var name = document.createElement("td");
      var a = document.createElement("a");
      a.href = p.href; a.textContent = p.label; name.appendChild(a);
      var where = document.createElement("td");
      where.textContent = p.lat != null ? p.lat.toFixed(2) + ", " + p.long.toFixed(2)
        : p.iso_numeric ? "ISO 3166-1 " + p.iso_numeric : "not on the map (no coordinates in the gazetteer)";
      var what = document.createElement("td");
      p.things.slice(0, 12).forEach(function (t, i) {
        if (i) { what.appendChild(document.createTextNode(" · ")); }
        var link = document.createElement("a");
        link.href = t.href; link.textContent = t.label; link.title = t.relation;
        what.appendChild(link);
      });
      if (p.things.length > 12) { what.appendChild(document.createTextNode(" … (" + p.things.length + ")")); }
      tr.appendChild(name); tr.appendChild(where); tr.appendChild(what);
      body.appendChild(tr);
    });
  }

  document.getElementById("region").addEventListener("change", function (event) {
    var r = REGIONS[event.target.value] || REGIONS.world;
    view.center = r.center.slice(); view.scale = r.scale; draw();
  });
  document.getElementById("zoom-in").addEventListener("click", function () { view.scale *= 1.6; draw(); });
  document.getElementById("zoom-out").addEventListener("click", function () { view.scale = Math.max(0.6, view.scale / 1.6); draw(); });

  fetch("/api/map").then(function (r) {
    if (!r.ok) { throw new Error("the server answered " + r.status); }
    return r.json();
  }).then(function (json) {
    data = json;
    var focus = box.dataset.focus && data.points.filter(function (p) { return p.id === box.dataset.focus; })[0];
    if (focus) { view.center = [focus.long, focus.lat]; view.scale = 6; }
    table();
    status.textContent = data.points.length + " places with coordinates, " + data.countries.length + " countries" +
      ((data.unplaced || []).length ? "; " + data.unplaced.length + " places not on the map (listed below)." : ".");
    return draw();
  }).catch(function (err) { status.textContent = "Could not draw the map: " + err.message; });
})();
