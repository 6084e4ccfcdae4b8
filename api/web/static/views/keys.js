// Keyboard help for list pages: "/" focuses the search box; arrow keys move through result links.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    var typing = tag === "input" || tag === "textarea" || tag === "select";
    if (event.key === "/" && !typing) {
      var box = document.getElementById("q") || document.querySelector("input[type=search]");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
    var links = Array.prototype.slice.call(document.querySelectorAll("a.hit"));
    if (!links.length || (typing && event.key === "ArrowUp")) { return; }
    var at = links.indexOf(document.activeElement);
    var next = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
    event.preventDefault();
    links[next].focus();
  });
})();
