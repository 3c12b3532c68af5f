// Apache Annotator's DOM matchers, bundled for the browser tests (tests/annotator.py).
//
// window.explainerAnnotator.anchor(selectors, rootCssSelector) resolves, for each W3C
// selector, to the list of strings it matches inside the element found by rootCssSelector
// (the scope is a Range over that element's contents). A selector anchors when its list
// holds exactly one string, and that string equals its `exact`.
//
// Supported: TextQuoteSelector, TextPositionSelector, CssSelector and RangeSelector, each
// optionally `refinedBy` another (Web Annotation model, section 4.2.9), all through Apache
// Annotator's own matchers; nothing here matches text itself.
import {
  createCssSelectorMatcher,
  createTextPositionSelectorMatcher,
  createTextQuoteSelectorMatcher,
  makeCreateRangeSelectorMatcher,
} from '@apache-annotator/dom';
import { makeRefinable } from '@apache-annotator/selector';

// More matches than this means the selector is useless anyway (an empty `exact` matches everywhere).
const MAX_MATCHES = 100;

const createMatcher = makeRefinable((selector) => {
  const create = {
    TextQuoteSelector: createTextQuoteSelectorMatcher,
    TextPositionSelector: createTextPositionSelectorMatcher,
    CssSelector: createCssSelectorMatcher,
    RangeSelector: makeCreateRangeSelectorMatcher(createMatcher),
  }[selector.type];
  if (!create) throw new Error(`unsupported selector type: ${JSON.stringify(selector.type)}`);
  return create(selector);
});

function text(match) {
  if (match instanceof Range) return match.toString();
  const range = document.createRange();
  range.selectNodeContents(match);
  return range.toString();
}

async function anchorOne(selector, scope) {
  const found = [];
  for await (const match of createMatcher(selector)(scope)) {
    found.push(text(match));
    if (found.length >= MAX_MATCHES) break;
  }
  return found;
}

async function anchor(selectors, rootCssSelector) {
  const root = document.querySelector(rootCssSelector);
  if (!root) throw new Error(`no element matches ${JSON.stringify(rootCssSelector)}`);
  const results = [];
  for (const selector of selectors) {
    // A fresh Range each time: a matcher must never see another's leftovers.
    const scope = document.createRange();
    scope.selectNodeContents(root);
    results.push(await anchorOne(selector, scope));
  }
  return results;
}

window.explainerAnnotator = { anchor, MAX_MATCHES };
