// The relationship graph: Cytoscape.js over /api/graph. Click a node to add its neighbours, double-click
// to open its page; checkboxes hide relations; the same edges are listed below for keyboard and screen readers.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || !window.cytoscape) { return; }
  var status = document.getElementById("status");
  var filters = document.getElementById("filters");
  var hidden = {};
  var relationLabels = {};
  var big = Number(box.dataset.maxNodes) > 250;

  var cy = window.cytoscape({
    container: box,
    pixelRatio: 1,
    hideEdgesOnViewport: big,
    textureOnViewport: big,
    minZoom: 0.1,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)", "label": "data(short)", "font-size": 10, "color": "#1d2433",
        "text-valign": "bottom", "text-margin-y": 3, "width": 18, "height": 18,
        "text-wrap": "ellipsis", "text-max-width": 140, "min-zoomed-font-size": 7 } },
      { selector: "node[depth = 0]", style: { "width": 30, "height": 30, "font-weight": "bold", "font-size": 12,
        "border-width": 3, "border-color": "#1d2433" } },
      { selector: "edge", style: {
        "width": 1.5, "line-color": "#adb5bd", "target-arrow-color": "#adb5bd", "target-arrow-shape": "triangle",
        "curve-style": "bezier", "arrow-scale": 0.8 } },
      { selector: "edge.labelled", style: { "label": "data(label)", "font-size": 8, "color": "#5b6475",
        "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.8,
        "min-zoomed-font-size": 6 } },
      { selector: "edge[via]", style: { "line-style": "dashed", "line-color": "#d6336c", "target-arrow-color": "#d6336c" } },
      { selector: ".hidden", style: { "display": "none" } },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#ffd43b", "line-color": "#f59f00" } }
    ]
  });
  window.briGraph = cy;

  // Shown elements by class, not by the ":visible" selector, whose style is brought up to date later.
  function shownEdges() { return cy.edges().filter(function (e) { return !e.hasClass("hidden"); }); }
  function shownNodes() { return cy.nodes().filter(function (n) { return !n.hasClass("hidden"); }); }

  function short(label) { return label.length > 40 ? label.slice(0, 38) + "…" : label; }

  function add(data) {
    var added = cy.collection();
    data.nodes.forEach(function (n) {
      if (cy.getElementById(n.id).nonempty()) { return; }
      added = added.union(cy.add({ group: "nodes", data: { id: n.id, label: n.label, short: short(n.label),
        kind: n.kind, href: n.href, depth: n.depth, colour: window.briViews.colour(n.kind) } }));
    });
    data.edges.forEach(function (e) {
      var id = e.source + "|" + e.relation + "|" + e.label + "|" + e.target;
      if (cy.getElementById(id).nonempty()) { return; }
      var edge = { id: id, source: e.source, target: e.target, label: e.label, relation: e.relation };
      if (e.via) { edge.via = e.via; edge.viaHref = e.via_href; }
      added = added.union(cy.add({ group: "edges", data: edge }));
    });
    data.relations.forEach(function (r) { relationLabels[r.relation] = r.label; });
    return added;
  }

  function applyFilters() {
    cy.edges().forEach(function (e) { e.toggleClass("hidden", !!hidden[e.data("relation")]); });
    cy.nodes().forEach(function (n) {
      var visible = n.data("depth") === 0 || n.connectedEdges().some(function (e) { return !e.hasClass("hidden"); });
      n.toggleClass("hidden", !visible);
    });
    cy.edges().toggleClass("labelled", shownEdges().length <= 150);
    list();
  }

  function renderFilters() {
    var counts = {};
    cy.edges().forEach(function (e) { counts[e.data("relation")] = (counts[e.data("relation")] || 0) + 1; });
    filters.querySelectorAll("label").forEach(function (l) { l.remove(); });
    Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; }).forEach(function (relation) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = !hidden[relation];
      box.dataset.relation = relation;
      box.addEventListener("change", function () { hidden[relation] = !box.checked; applyFilters(); });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + (relationLabels[relation] || relation) + " (" + counts[relation] + ")"));
      filters.appendChild(label);
    });
  }

  function list() {
    var ul = document.getElementById("edge-list");
    ul.textContent = "";
    shownEdges().forEach(function (e) {
      var li = document.createElement("li");
      [e.source(), null, e.target()].forEach(function (node) {
        if (node === null) {
          var rel = document.createElement(e.data("viaHref") ? "a" : "span");
          if (e.data("viaHref")) { rel.href = e.data("viaHref"); }
          rel.textContent = " — " + e.data("label") + " → ";
          li.appendChild(rel);
          return;
        }
        var a = document.createElement("a");
        a.href = node.data("href");
        a.textContent = node.data("label");
        a.className = "node-link kind-" + node.data("kind");
        li.appendChild(a);
      });
      ul.appendChild(li);
    });
  }

  function layout(fit) {
    var n = shownNodes().length;
    cy.layout({ name: n > 300 ? "concentric" : "cose", animate: false, fit: fit, padding: 30,
      numIter: n > 150 ? 400 : 1000, nodeRepulsion: function () { return 400000; },
      idealEdgeLength: function () { return 110; }, nodeOverlap: 20, gravity: 60,
      concentric: function (node) { return 10 - node.data("depth"); }, levelWidth: function () { return 1; },
      randomize: fit }).run();
  }

  function load(focus, hops, then) {
    var url = "/api/graph?focus=" + encodeURIComponent(focus) + "&hops=" + hops + "&max_nodes=" + box.dataset.maxNodes;
    status.textContent = "Loading…";
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error("the server answered " + r.status); }
      return r.json();
    }).then(function (data) {
      add(data);
      renderFilters();
      applyFilters();
      then(data);
      var kinds = {};
      cy.nodes().forEach(function (n) { kinds[n.data("kind")] = true; });
      window.briViews.legend(document.getElementById("legend"), Object.keys(kinds).sort());
      status.textContent = cy.nodes().length + " entities, " + cy.edges().length + " relations" +
        (data.truncated ? " (cut at " + box.dataset.maxNodes + " nodes: choose a larger limit or fewer hops)" : "") + ".";
      box.dataset.ready = "true";
    }).catch(function (err) { status.textContent = "Could not load the graph: " + err.message; });
  }

  load(box.dataset.focus, box.dataset.hops, function () { layout(true); });
  cy.on("tap", "node", function (event) {
    var node = event.target;
    if (node.data("expanded")) { return; }
    node.data("expanded", true);
    load(node.id(), 1, function () { layout(false); });
  });
  cy.on("dbltap", "node", function (event) { window.location.href = event.target.data("href"); });
  cy.on("dbltap", "edge", function (event) {
    if (event.target.data("viaHref")) { window.location.href = event.target.data("viaHref"); }
  });
})();
