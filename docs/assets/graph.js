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

  function init() {
    document.querySelectorAll("svg.relgraph-svg:not([data-relgraph-ready])").forEach(setUp);
  }

  if (window.document$) window.document$.subscribe(init);
  else init();
})();
