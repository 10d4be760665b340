// Marking the numbers of a page: each number found in a text node is
// wrapped, text node and all, in a span that carries the number as found
// (data-dialbridge-number) and acts as its call button; tel:, callto: and
// sip: links get the same attribute. Nothing is parsed from or written as
// HTML: the page's text nodes are split and moved, never re-created, and
// the span has no box of its own, so the layout does not move.
import { findIn, mayHold, linkNumber } from './detect.js';

/** The class of the spans this script adds. */
export const NUMBER_CLASS = 'dialbridge-number';
/** The class of the phone links this script took over. */
export const LINK_CLASS = 'dialbridge-link';

// What this script marked, with the number it found: a click dials only
// these, with this number. The page's own scripts cannot see this map (the
// content script runs in a world of its own), so an element the page made
// up with a data-dialbridge-number attribute, or an attribute it changed
// afterwards, dials nothing.
const marked = new WeakMap();
const LINK = Symbol('link');

/**
 * markedNumber returns the number this script found for el or the nearest
 * of its ancestors it marked, and that element; null when there is none.
 * For a phone link it is read from the link as it is now: the page's own
 * link would dial that anyway.
 * @param {Element} el
 */
export function markedNumber(el) {
  for (let e = el; e; e = e.parentElement) {
    const n = marked.get(e);
    if (n === undefined) continue;
    if (n === LINK) {
      const now = linkNumber(e.getAttribute('href'));
      return now ? { el: e, number: now } : null;
    }
    return { el: e, number: n };
  }
  return null;
}

// Elements whose text is never touched: form fields, editors, code, other
// links and buttons (a click there must keep doing what the page wants),
// and what this script marked already.
const SKIP = 'script,style,noscript,template,textarea,input,select,option,button,code,pre,kbd,samp,var,tt,svg,math,iframe,object,a,label,[contenteditable]:not([contenteditable="false"]),[role="textbox"],.' + NUMBER_CLASS;

/**
 * skipped reports whether node lies where numbers are never marked.
 * @param {Node} node
 */
export function skipped(node) {
  const el = node.nodeType === 1 ? node : node.parentElement;
  return !el || !!el.closest(SKIP) || el.isContentEditable === true;
}

/**
 * markNumbers marks every number below root and takes over its phone links;
 * it returns how many it marked. The tooltips are left to the content
 * script, which sets one when the pointer first rests on a number.
 * @param {Node} root
 * @param {string} region ISO 3166 code
 */
export function markNumbers(root, region) {
  const doc = root.ownerDocument || root;
  let count = takeOverLinks(root);
  if (root.nodeType === 3) {
    if (!skipped(root) && mayHold(root.data)) count += markText(root, region, doc);
    return count;
  }
  if (skipped(root)) return count;
  const texts = [];
  const walker = doc.createTreeWalker(root, 1 | 4, {
    acceptNode(n) {
      if (n.nodeType === 1) {
        return n.matches(SKIP) || n.isContentEditable === true ? 2 /* REJECT */ : 3 /* SKIP */;
      }
      return mayHold(n.data) ? 1 /* ACCEPT */ : 3;
    },
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n);
  for (const t of texts) count += markText(t, region, doc);
  return count;
}

// markText wraps the numbers of one text node; the node is split so that
// each number becomes a text node of its own inside a span. The page's text
// is only ever moved as text nodes, never parsed as HTML: whatever markup a
// page's text spells stays characters on the screen. The content script and
// the popup likewise write only textContent, title and attributes, never
// innerHTML, so dialbridge's answers and the journal's names stay text too. The span is
// cloned from a prepared one: on a page of thousands of numbers, setting
// the same three attributes on each costs more than finding the numbers.
function markText(node, region, doc) {
  const found = findIn(node.data, region);
  if (!found.length) return 0;
  const proto = doc.createElement('span');
  proto.className = NUMBER_CLASS;
  proto.setAttribute('role', 'button');
  proto.setAttribute('tabindex', '0');
  let rest = node;
  let offset = 0;
  for (const f of found) {
    const num = rest.splitText(f.start - offset);
    rest = num.splitText(f.end - f.start);
    offset = f.end;
    const span = proto.cloneNode(false);
    span.setAttribute('data-dialbridge-number', f.text);
    marked.set(span, f.text);
    num.parentNode.insertBefore(span, num);
    span.appendChild(num);
  }
  return found.length;
}

// takeOverLinks gives tel:, callto: and sip: links below root (and root
// itself) the number attribute, so that a click dials through dialbridge.
function takeOverLinks(root) {
  if (root.nodeType !== 1 && root.nodeType !== 9 && root.nodeType !== 11) return 0;
  let count = 0;
  const links = root.nodeType === 1 && root.matches('a[href]') ? [root] : [];
  for (const a of root.querySelectorAll('a[href]')) links.push(a);
  for (const a of links) {
    if (marked.has(a)) continue;
    const n = linkNumber(a.getAttribute('href'));
    if (!n) continue;
    a.setAttribute('data-dialbridge-number', n);
    a.classList.add(LINK_CLASS);
    marked.set(a, LINK);
    count++;
  }
  return count;
}

/**
 * unmarkAll undoes markNumbers below root: the spans give their text node
 * back to the parent, the links lose the attribute.
 * @param {ParentNode} root
 */
export function unmarkAll(root) {
  for (const span of root.querySelectorAll('.' + NUMBER_CLASS)) {
    if (!marked.has(span)) continue;
    marked.delete(span);
    const parent = span.parentNode;
    span.replaceWith(...span.childNodes);
    if (parent) parent.normalize();
  }
  for (const a of root.querySelectorAll('.' + LINK_CLASS)) {
    if (!marked.has(a)) continue;
    marked.delete(a);
    a.removeAttribute('data-dialbridge-number');
    a.removeAttribute('data-dialbridge-state');
    a.classList.remove(LINK_CLASS);
  }
}
