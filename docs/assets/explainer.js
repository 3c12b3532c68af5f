/* Explainer pages: citation previews, the article's margin highlights and the landing highlight.
 * Plain DOM code, no dependencies and no network: the data comes from the JSON each page embeds
 * (template.explainer-previews), and text is set with textContent.
 *
 * With Material's instant navigation the script runs once while pages come and go: listeners are
 * delegated to the document (set once), and each page's data and landing highlight are set up
 * again whenever Material's document$ announces a page. */
(function () {
  "use strict";

  var data = {};

  function readData() {
    data = {};
    document.querySelectorAll("template.explainer-previews").forEach(function (el) {
      try { Object.assign(data, JSON.parse(el.content.textContent)); } catch (e) { /* leave previews off */ }
    });
  }

  var popover = null;
  var current = null;
  var hideTimer = null;
  var lastPointer = "mouse";
  var armed = null; // the trigger a first tap has previewed; a second tap follows it

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // A non-modal dialog inside the page's main landmark, described by its heading.
  function ensurePopover() {
    if (popover && document.body.contains(popover)) return popover;
    popover = el("div", "explainer-popover");
    popover.id = "explainer-popover";
    popover.setAttribute("role", "dialog");
    popover.setAttribute("aria-labelledby", "explainer-popover-head");
    popover.hidden = true;
    popover.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    popover.addEventListener("mouseleave", scheduleHide);
    (document.querySelector("main") || document.body).appendChild(popover);
    return popover;
  }

  // The link to the passage is the trigger's own (the data leaves it out to keep pages small).
  function passageContent(entry, trigger) {
    var box = el("div", "explainer-preview preview-passage");
    var head = el("p", "preview-head", "Passage " + entry.passage.slice(1) + " \u00b7 " + entry.article);
    head.id = "explainer-popover-head";
    box.appendChild(head);
    var quote = el("blockquote", "preview-text");
    entry.segments.forEach(function (seg) {
      quote.appendChild(seg[1] ? el("mark", "quote", seg[0]) : document.createTextNode(seg[0]));
    });
    box.appendChild(quote);
    var go = el("a", "preview-go", "Go to passage " + entry.passage.slice(1) + " \u2192");
    go.href = trigger.getAttribute("href");
    box.appendChild(go);
    return box;
  }

  function place(trigger) {
    var rect = trigger.getBoundingClientRect();
    var width = Math.min(360, document.documentElement.clientWidth - 16);
    popover.style.width = width + "px";
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    var parent = popover.offsetParent ? popover.offsetParent.getBoundingClientRect() : { left: -window.scrollX, top: -window.scrollY };
    popover.style.left = (left - parent.left) + "px";
    var below = rect.bottom + 6;
    var height = popover.offsetHeight;
    var top = below + height > window.innerHeight && rect.top - height - 6 > 0 ? rect.top - height - 6 : below;
    popover.style.top = (top - parent.top) + "px";
  }

  function show(trigger) {
    clearTimeout(hideTimer);
    if (current === trigger && !popover.hidden) return;
    var entry = data[trigger.getAttribute("data-citation")];
    if (!entry || !entry.segments) return;
    hide();
    ensurePopover();
    popover.replaceChildren(passageContent(entry, trigger));
    popover.hidden = false;
    current = trigger;
    trigger.setAttribute("aria-describedby", popover.id);
    trigger.setAttribute("aria-expanded", "true");
    place(trigger);
  }

  function hide() {
    clearTimeout(hideTimer);
    if (!popover || popover.hidden) return;
    popover.hidden = true;
    armed = null;
    if (current) {
      current.removeAttribute("aria-describedby");
      current.setAttribute("aria-expanded", "false");
    }
    current = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  // The article's margin: hovering or focusing a sheet (or one of its claims) marks its words.
  function quotedWords(ids, scope) {
    return Array.prototype.filter.call((scope || document).querySelectorAll("mark.quote[data-citations]"), function (mark) {
      var cited = mark.getAttribute("data-citations").split(" ");
      return ids.some(function (id) { return cited.indexOf(id) >= 0; });
    });
  }

  function marginIds(target) {
    var link = target.closest(".margin [data-citations], .margin [data-citation]");
    if (!link) return null;
    return (link.getAttribute("data-citations") || link.getAttribute("data-citation")).split(" ");
  }

  function relate(target, on) {
    var ids = marginIds(target);
    if (!ids) return;
    quotedWords(ids, target.closest(".passage")).forEach(function (mark) { mark.classList.toggle("is-related", on); });
  }

  var TRIGGERS = "a.cite[data-citation]";

  function triggerOf(event) {
    return event.target instanceof Element ? event.target.closest(TRIGGERS) : null;
  }

  document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType || "mouse"; }, true);
  document.addEventListener("mouseover", function (event) {
    if (!(event.target instanceof Element)) return;
    relate(event.target, true);
    var trigger = triggerOf(event);
    if (trigger && lastPointer !== "touch") show(trigger);
  });
  document.addEventListener("mouseout", function (event) {
    if (!(event.target instanceof Element)) return;
    relate(event.target, false);
    var trigger = triggerOf(event);
    if (trigger && trigger === current && !trigger.contains(event.relatedTarget)) scheduleHide();
  });
  document.addEventListener("focusin", function (event) {
    if (!(event.target instanceof Element)) return;
    relate(event.target, true);
    var trigger = triggerOf(event);
    if (trigger) show(trigger);
    else if (!(popover && popover.contains(event.target))) hide();
  });
  document.addEventListener("focusout", function (event) {
    if (!(event.target instanceof Element)) return;
    relate(event.target, false);
    if (triggerOf(event) && !(popover && popover.contains(event.relatedTarget))) scheduleHide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && popover && !popover.hidden) {
      var trigger = current;
      hide();
      if (trigger) trigger.focus();
    }
  });
  // The skip link moves focus into the content, not just the view. Left to itself, Material's
  // instant navigation refetches the page on the first same-page link and swaps the content,
  // dropping the focus: the next Tab would land back in the header.
  document.addEventListener("click", function (event) {
    var skip = event.target instanceof Element ? event.target.closest("a.md-skip") : null;
    var target = skip && skip.hash ? document.getElementById(decodeURIComponent(skip.hash.slice(1))) : null;
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    var header = document.querySelector("[data-md-component=header]");
    var below = header ? header.getBoundingClientRect().bottom : 0;
    // A page's heading is shown with what sits above it in the article (its kind, say).
    var shown = target.tagName === "H1" ? target.closest("article") || target : target;
    window.scrollTo(0, Math.max(0, window.scrollY + shown.getBoundingClientRect().top - below - 8));
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }, true);
  // Capture phase: a first tap that only previews must reach no other handler (Material's
  // instant navigation listens on the body and would follow the link).
  document.addEventListener("click", function (event) {
    var trigger = triggerOf(event);
    // On touch, the first tap shows the preview; its link (or a second tap) follows the citation.
    if (trigger && lastPointer === "touch" && armed !== trigger) {
      event.preventDefault();
      event.stopPropagation();
      show(trigger);
      armed = trigger;
    } else if (!trigger && popover && !popover.contains(event.target)) {
      hide();
    }
  }, true);
  window.addEventListener("resize", function () { if (current) place(current); });

  // Landing on a passage from a citation: mark exactly that claim's words, and its entry in the margin.
  function land() {
    var cite = new URLSearchParams(window.location.search).get("cite");
    if (!cite) return;
    var marks = quotedWords([cite]);
    marks.forEach(function (mark) { mark.classList.add("is-target"); });
    var passage = marks.length ? marks[0].closest(".passage") : null;
    if (!passage) return;
    passage.classList.add("is-landing");
    passage.querySelectorAll(".margin [data-citations]").forEach(function (link) {
      if (link.getAttribute("data-citations").split(" ").indexOf(cite) >= 0) link.classList.add("is-current");
    });
    passage.querySelectorAll('.margin-claims li[data-citation="' + CSS.escape(cite) + '"]').forEach(function (li) {
      li.classList.add("is-current");
    });
    passage.scrollIntoView({ block: "start" });
  }

  // Search: a result whose name or alias is exactly the query goes first (Material's ranking
  // weighs every word alike, so "LNA" would rank "LNA losing ground" above the LNA itself).
  function plain(text) {
    return (text || "").replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, " ").trim().toLowerCase();
  }

  function exactFirst(list) {
    var input = document.querySelector("input.md-search__input");
    var query = plain(input && input.value);
    if (!query) return;
    var items = Array.prototype.slice.call(list.children);
    var exact = items.filter(function (item) {
      var names = [item.querySelector(".md-search-result__article h1")].concat(
        Array.prototype.slice.call(item.querySelectorAll(".md-tag")));
      return names.some(function (el) { return el && plain(el.textContent) === query; });
    });
    if (exact.length && items[0] !== exact[0]) {
      exact.slice().reverse().forEach(function (item) { list.insertBefore(item, list.firstChild); });
    }
  }

  var watched = null;

  function watchSearch() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || list === watched) return;
    watched = list;
    new MutationObserver(function () { exactFirst(list); }).observe(list, { childList: true });
  }

  // A link to a relation lands in the relations table, folded under the graph: unfold it.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    var details = target ? target.closest("details") : null;
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView({ block: "center" });
    }
  }

  window.addEventListener("hashchange", openTarget);

  function setUpPage() {
    openTarget();
    watchSearch();
    if (popover) hide();
    current = null;
    armed = null;
    readData();
    ensurePopover();
    land();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpPage);
  } else {
    setUpPage();
  }
})();
