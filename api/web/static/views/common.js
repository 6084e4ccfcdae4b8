// Shared by the views: colours per kind, and name suggestions for entity inputs from /api/search.
(function () {
  "use strict";
  var KIND_COLOURS = {
    conference: "#b42318", series: "#e8590c", policy: "#7048e8", alliance: "#1c7ed6", lab: "#0c8599",
    program: "#2b8a3e", report: "#5c940d", statistic: "#868e96", document: "#495057", topic: "#f08c00",
    role: "#ae3ec9", commitment: "#9c36b5", affiliation: "#c2255c", participation: "#d6336c",
    place: "#087f5b", person: "#364fc7", organization: "#1864ab", thing: "#adb5bd", launch: "#1c7ed6"
  };
  function colour(kind) { return KIND_COLOURS[kind] || KIND_COLOURS.thing; }

  // Fill a <datalist> with matching entities as the user types into an input bound to it.
  function suggest(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2 || q.indexOf("/") > 0) { return; }
      timer = setTimeout(function () {
        fetch("/api/search?limit=10&q=" + encodeURIComponent(q)).then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (page) {
            list.textContent = "";
            page.items.forEach(function (hit) {
              var option = document.createElement("option");
              option.value = hit.entity.href.replace(/^\/id\//, "");
              option.label = hit.entity.label;
              option.textContent = hit.entity.label;
              list.appendChild(option);
            });
          });
      }, 200);
    });
  }
  document.querySelectorAll("input[list]").forEach(suggest);

  function legend(element, kinds) {
    if (!element) { return; }
    element.textContent = "";
    kinds.forEach(function (kind) {
      var item = document.createElement("span");
      item.style.setProperty("--c", colour(kind));
      item.textContent = kind;
      element.appendChild(item);
    });
  }
  window.briViews = { colour: colour, legend: legend };
})();
