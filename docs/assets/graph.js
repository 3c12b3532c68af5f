/* Relationship graphs (templates/_graph_svg.j2): hovering or focusing a node highlights its
 * edges and its neighbours and fades the rest. Sets classes only (styled in graph.css);
 * plain DOM code, no dependencies, no network. */
(function () {
  "use strict";

  function setUp(svg) {
    svg.setAttribute("data-relgraph-ready", "");
    var linked = svg.querySelectorAll(".relgraph-edge, .relgraph-label");
    var nodes = svg.querySelectorAll(".relgraph-node");
    var current = null;

    function clear() {
      current = null;
      svg.classList.remove("has-focus");
      svg.querySelectorAll(".is-focus, .is-near").forEach(function (el) {
        el.classList.remove("is-focus", "is-near");
      });
    }

    function highlight(slug) {
      if (slug === current) return;
      clear();
      current = slug;
      var near = {};
      linked.forEach(function (el) {
        var source = el.getAttribute("data-source");
        var target = el.getAttribute("data-target");
        if (source === slug || target === slug) {
          el.classList.add("is-near");
          near[source] = true;
          near[target] = true;
        }
      });
      nodes.forEach(function (node) {
        var own = node.getAttribute("data-slug");
        if (own === slug) node.classList.add("is-focus");
        else if (near[own]) node.classList.add("is-near");
      });
      svg.classList.add("has-focus");
    }

    function nodeOf(target) {
      return target && target.closest ? target.closest(".relgraph-node") : null;
    }

    svg.addEventListener("mouseover", function (event) {
      var node = nodeOf(event.target);
      if (node) highlight(node.getAttribute("data-slug"));
      else if (!svg.contains(document.activeElement)) clear();
    });
    svg.addEventListener("mouseleave", function () {
      var node = nodeOf(document.activeElement);
      if (node && svg.contains(node)) highlight(node.getAttribute("data-slug"));
      else clear();
    });
    svg.addEventListener("focusin", function (event) {
      var node = nodeOf(event.target);
      if (node) highlight(node.getAttribute("data-slug"));
    });
    svg.addEventListener("focusout", function (event) {
      if (!svg.contains(event.relatedTarget)) clear();
    });
  }

  // The relations table's filter: rows whose text holds every word typed stay shown.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("relations-filter-input")) return;
    var table = document.getElementById(input.getAttribute("data-filters"));
    if (!table) return;
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var text = row.textContent.toLowerCase();
      row.hidden = !words.every(function (word) { return text.indexOf(word) >= 0; });
    });
  });

  // A drawing wider or taller than its frame opens on its most connected sheet (drawn first),
  // not on its top-left corner, which in a left-to-right layout is often empty.
  function openOnFirstNode(frame) {
    var first = frame.querySelector(".relgraph-node rect");
    if (!first || (frame.scrollWidth <= frame.clientWidth && frame.scrollHeight <= frame.clientHeight)) return;
    var box = first.getBBox();
    frame.scrollLeft = Math.max(0, box.x + box.width / 2 - frame.clientWidth / 2);
    frame.scrollTop = Math.max(0, box.y + box.height / 2 - frame.clientHeight / 2);
  }

  function init() {
    document.querySelectorAll("svg.relgraph-svg:not([data-relgraph-ready])").forEach(function (svg) {
      setUp(svg);
      var frame = svg.closest(".relgraph-fit-scroll .relgraph-frame");
      if (frame) openOnFirstNode(frame);
    });
  }

  if (window.document$) window.document$.subscribe(init);
  else init();
})();
