/* Explainer pages: citation previews and the landing highlight.
 * Plain DOM code, no dependencies and no network: the data comes from the JSON
 * each page embeds (template.explainer-previews), and text is set with textContent.
 *
 * With Material's instant navigation the script runs once while pages come and go:
 * the listeners are delegated to the document (set once), and each page's data and
 * landing highlight are set up again whenever Material's document$ announces a page. */
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

  function ensurePopover() {
    if (popover && document.body.contains(popover)) return popover;
    popover = el("div", "explainer-popover");
    popover.id = "explainer-popover";
    popover.setAttribute("role", "tooltip");
    popover.hidden = true;
    popover.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    popover.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(popover);
    return popover;
  }

  // The link to the passage is the trigger's own (the data leaves it out to keep pages small).
  function passageContent(entry, trigger) {
    var box = el("div", "explainer-preview preview-passage");
    box.appendChild(el("p", "preview-head", entry.passage + " \u00b7 " + entry.article));
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

  function quotedWords(id) {
    return Array.prototype.filter.call(document.querySelectorAll("mark.quote[data-citations]"), function (mark) {
      return mark.getAttribute("data-citations").split(" ").indexOf(id) >= 0;
    });
  }

  // On the article page the citing entry holds the sheet, the claim and the link;
  // the embedded data adds the kind and the attribution.
  function claimContent(ids) {
    var box = el("div", "explainer-preview preview-claims");
    ids.forEach(function (id) {
      var entry = data[id];
      var li = document.querySelector('.cited-by li[data-citation="' + CSS.escape(id) + '"]');
      if (!entry || !li) return;
      var link = li.querySelector("a");
      var item = el("div", "preview-claim");
      item.appendChild(el("p", "preview-head", entry.kind + " \u00b7 " + link.textContent));
      item.appendChild(el("p", "preview-label", li.querySelector(".cited-label").textContent));
      if (entry.attribution) item.appendChild(el("p", "preview-attribution", "Attributed to: " + entry.attribution));
      var words = quotedWords(id).map(function (mark) { return mark.textContent; }).join("");
      item.appendChild(el("q", "preview-quote", words));
      var go = el("a", "preview-go", "Open the sheet \u2192");
      go.href = link.getAttribute("href");
      item.appendChild(go);
      box.appendChild(item);
    });
    return box;
  }

  function contentFor(trigger) {
    if (trigger.matches("mark.quote")) {
      return claimContent(trigger.getAttribute("data-citations").split(" "));
    }
    var id = trigger.getAttribute("data-citation");
    var entry = data[id];
    if (!entry) return null;
    return entry.segments ? passageContent(entry, trigger) : claimContent([id]);
  }

  function relatedMarks(trigger, on) {
    var id = trigger.getAttribute("data-citation");
    if (!id || !trigger.closest(".cited-by")) return;
    quotedWords(id).forEach(function (mark) { mark.classList.toggle("is-related", on); });
  }

  function place(trigger) {
    var rect = trigger.getBoundingClientRect();
    var width = Math.min(360, document.documentElement.clientWidth - 16);
    popover.style.width = width + "px";
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    popover.style.left = (left + window.scrollX) + "px";
    var below = rect.bottom + 6;
    var height = popover.offsetHeight;
    var top = below + height > window.innerHeight && rect.top - height - 6 > 0 ? rect.top - height - 6 : below;
    popover.style.top = (top + window.scrollY) + "px";
  }

  function show(trigger) {
    clearTimeout(hideTimer);
    if (current === trigger && !popover.hidden) return;
    var content = contentFor(trigger);
    if (!content) return;
    hide();
    ensurePopover();
    popover.replaceChildren(content);
    popover.hidden = false;
    current = trigger;
    trigger.setAttribute("aria-describedby", popover.id);
    trigger.setAttribute("aria-expanded", "true");
    relatedMarks(trigger, true);
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
      relatedMarks(current, false);
    }
    current = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  var TRIGGERS = "a.cite[data-citation], .cited-by a[data-citation], mark.quote[data-citations]";

  function triggerOf(event) {
    return event.target instanceof Element ? event.target.closest(TRIGGERS) : null;
  }

  document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType || "mouse"; }, true);
  document.addEventListener("mouseover", function (event) {
    var trigger = triggerOf(event);
    if (trigger && lastPointer !== "touch") show(trigger);
  });
  document.addEventListener("mouseout", function (event) {
    var trigger = triggerOf(event);
    if (trigger && trigger === current && !trigger.contains(event.relatedTarget)) scheduleHide();
  });
  document.addEventListener("focusin", function (event) {
    var trigger = triggerOf(event);
    if (trigger) show(trigger);
    else if (!(popover && popover.contains(event.target))) hide();
  });
  document.addEventListener("focusout", function (event) {
    if (triggerOf(event) && !(popover && popover.contains(event.relatedTarget))) scheduleHide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && popover && !popover.hidden) {
      var trigger = current;
      hide();
      if (trigger && popover.contains(document.activeElement)) trigger.focus();
    }
  });
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

  // Graph nodes are SVG links (xlink:href), which Material's instant navigation cannot follow:
  // follow them through an ordinary link, which it can.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("svg a") : null;
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var href = link.getAttribute("href") || link.getAttributeNS("http://www.w3.org/1999/xlink", "href");
    if (!href) return;
    event.preventDefault();
    event.stopPropagation();
    var proxy = document.createElement("a");
    proxy.href = href;
    proxy.hidden = true;
    document.body.appendChild(proxy);
    proxy.click();
    proxy.remove();
  }, true);

  // Landing on a passage from a citation: mark the cited words and the citing entry.
  function land() {
    var cite = new URLSearchParams(window.location.search).get("cite");
    if (!cite) return;
    var marks = quotedWords(cite);
    marks.forEach(function (mark) { mark.classList.add("is-target"); });
    document.querySelectorAll('.cited-by li[data-citation="' + CSS.escape(cite) + '"]').forEach(function (li) {
      li.classList.add("is-current");
      // First in its list, so it shows right below the passage even on a small screen.
      li.parentNode.insertBefore(li, li.parentNode.firstChild);
    });
    var passage = marks.length ? marks[0].closest(".passage") : null;
    if (passage) {
      passage.classList.add("is-landing");
      passage.scrollIntoView({ block: "start" });
    }
  }

  function setUpPage() {
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
