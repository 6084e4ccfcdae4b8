// The timeline: vis-timeline over /api/timeline, one row per kind; items link to their fact sheets.
(function () {
  "use strict";
  var box = document.getElementById("timeline");
  if (!box || !window.vis) { return; }
  var status = document.getElementById("status");
  var KIND_LABELS = { conference: "Conferences", policy: "Policy documents", document: "Source documents",
    launch: "Launches", statistic: "Statistics", "joint-lab-batch": "Joint lab batches" };

  function isoDay(value) { return /^\d{4}$/.test(value) ? value + "-07-01" : value; }
  function shifted(value, years) {
    var d = new Date(isoDay(value) + "T00:00:00Z");
    d.setUTCFullYear(d.getUTCFullYear() + years);
    return d;
  }
  var ORDER = ["conference", "policy", "launch", "document", "statistic", "joint-lab-batch"];

  fetch("/api/timeline?limit=" + box.dataset.limit).then(function (r) {
    if (!r.ok) { throw new Error("the server answered " + r.status); }
    return r.json();
  }).then(function (page) {
    var kinds = {};
    var items = new vis.DataSet();
    var list = document.getElementById("event-list");
    page.items.forEach(function (event, i) {
      kinds[event.kind] = true;
      var link = document.createElement("a");
      link.href = event.entity.href;
      link.textContent = event.entity.label;
      link.title = event.entity.label + " — " + event.date + (event.end_date ? " to " + event.end_date : "") +
        (event.note ? " (" + event.note + ")" : "");
      var item = { id: i, group: event.kind, content: link, start: isoDay(event.date), entity: event.entity.id,
        className: "kind-" + event.kind, title: link.title, date: event.date };
      item.type = "point";  // a range of two days would be too narrow to read at any useful zoom
      items.add(item);
      var li = document.createElement("li");
      li.className = "kind-" + event.kind;
      li.appendChild(document.createTextNode(event.date + " · " + event.kind + " · "));
      li.appendChild(link.cloneNode(true));
      list.appendChild(li);
    });
    var groups = new vis.DataSet(Object.keys(kinds).map(function (k, i) {
      return { id: k, content: KIND_LABELS[k] || k, order: ORDER.indexOf(k) < 0 ? 100 + i : ORDER.indexOf(k) };
    }));
    var timeline = new vis.Timeline(box, items, groups, {
      stack: true, zoomable: true, zoomMin: 1000 * 60 * 60 * 24 * 7, orientation: "top", margin: { item: 6 },
      groupOrder: "order", tooltip: { followMouse: true }, maxHeight: "70vh", showCurrentTime: false,
      start: page.items.length ? shifted(page.items[0].date, -1) : undefined,
      end: page.items.length ? shifted(page.items[page.items.length - 1].date, 2) : undefined
    });
    window.briTimeline = timeline;
    document.getElementById("zoom-in").addEventListener("click", function () { timeline.zoomIn(0.5); });
    document.getElementById("zoom-out").addEventListener("click", function () { timeline.zoomOut(0.5); });
    document.getElementById("fit").addEventListener("click", function () { timeline.fit(); });
    document.querySelectorAll("#kinds input").forEach(function (box) {
      if (!kinds[box.value]) { box.parentNode.style.display = "none"; }
      box.addEventListener("change", function () {
        groups.update({ id: box.value, visible: box.checked });
      });
    });
    var focus = box.dataset.focus;
    if (focus) {
      var ids = items.getIds({ filter: function (item) { return item.entity === focus; } });
      if (ids.length) { timeline.setSelection(ids, { focus: true }); }
    }
    status.textContent = page.items.length + " of " + page.total + " dated events" +
      (page.total > page.items.length ? " (the first " + page.items.length + ")" : "") + ".";
    box.dataset.ready = "true";
  }).catch(function (err) { status.textContent = "Could not load the timeline: " + err.message; });
})();
