// The path finder: every shortest path of /api/paths drawn left to right with Cytoscape.js, and in words.
(function () {
  "use strict";
  var box = document.getElementById("paths");
  if (!box || !window.cytoscape) { return; }
  var status = document.getElementById("status");
  var url = "/api/paths?limit=20&from=" + encodeURIComponent(box.dataset.from) + "&to=" + encodeURIComponent(box.dataset.to);
  fetch(url).then(function (r) {
    if (!r.ok) { throw new Error("the server answered " + r.status); }
    return r.json();
  }).then(function (data) {
    var elements = {};
    var list = document.getElementById("path-list");
    function node(ref, depth) {
      if (!elements[ref.id]) {
        elements[ref.id] = { group: "nodes", data: { id: ref.id, label: ref.label, href: ref.href, depth: depth,
          colour: window.briViews.colour(ref.id === data.source.id || ref.id === data.target.id ? "conference" : "thing") } };
      }
    }
    node(data.source, 0);
    data.paths.forEach(function (path) {
      var li = document.createElement("li");
      var first = document.createElement("a");
      first.href = data.source.href;
      first.textContent = data.source.label;
      li.appendChild(first);
      path.steps.forEach(function (step, i) {
        node(step.to, i + 1);
        var a = step.direction === "forward" ? step.from : step.to;
        var b = step.direction === "forward" ? step.to : step.from;
        var id = a.id + "|" + step.property + "|" + b.id;
        elements[id] = { group: "edges", data: { id: id, source: a.id, target: b.id, label: step.property_label } };
        li.appendChild(document.createTextNode(step.direction === "forward" ? " —" + step.property_label + "→ " : " ←" + step.property_label + "— "));
        var link = document.createElement("a");
        link.href = step.to.href;
        link.textContent = step.to.label;
        li.appendChild(link);
      });
      list.appendChild(li);
    });
    if (!data.paths.length) {
      status.textContent = "No path of at most " + data.max_depth + " steps links them.";
      return;
    }
    status.textContent = data.paths.length + " shortest path" + (data.paths.length > 1 ? "s" : "") + " of " +
      data.paths[0].length + " step" + (data.paths[0].length > 1 ? "s" : "") + ".";
    var cy = window.cytoscape({
      container: box, elements: Object.keys(elements).map(function (k) { return elements[k]; }),
      style: [
        { selector: "node", style: { "background-color": "data(colour)", "label": "data(label)", "font-size": 11,
          "text-wrap": "wrap", "text-max-width": 160, "text-valign": "bottom", "text-margin-y": 4, "width": 20, "height": 20 } },
        { selector: "edge", style: { "label": "data(label)", "font-size": 9, "curve-style": "bezier", "width": 2,
          "line-color": "#868e96", "target-arrow-shape": "triangle", "target-arrow-color": "#868e96",
          "text-background-color": "#fff", "text-background-opacity": 0.9, "text-rotation": "autorotate" } }
      ],
      layout: { name: "breadthfirst", directed: false, roots: [data.source.id], spacingFactor: 1.3, padding: 30,
        transform: function (n, pos) { return { x: pos.y, y: pos.x }; } }
    });
    cy.on("dbltap", "node", function (event) { window.location.href = event.target.data("href"); });
    window.briPaths = cy;
    box.dataset.ready = "true";
  }).catch(function (err) { status.textContent = "Could not find paths: " + err.message; });
})();
