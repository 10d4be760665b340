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
  let texts;
  if (root.nodeType === 3) {
    if (skipped(root) || !mayHold(root.data)) return count;
    texts = [root];
  } else {
    if (skipped(root)) return count;
    texts = textsBelow(root, doc);
  }
  // All numbers are found before the page changes: finding reads only the
  // text, and the writes then follow each other with nothing in between.
  const found = texts.map((t) => findIn(t.data, region));
  const proto = doc.createElement('span');
  proto.className = NUMBER_CLASS;
  proto.setAttribute('role', 'button');
  proto.setAttribute('tabindex', '0');
  for (let i = 0; i < texts.length; i++) {
    if (found[i].length) count += wrap(texts[i], found[i], proto);
  }
  return count;
}

// textsBelow lists the text nodes below root that may hold a number,
// leaving out those inside elements where numbers are never marked. The
// walk itself calls no script (a filter that the browser calls back for
// every node costs more than everything else): the places to leave out are
// found by the browser's own selector matching, and only a text with
// enough digits is checked against them.
function textsBelow(root, doc) {
  const out = new Set(root.querySelectorAll(SKIP));
  const memo = new Map();
  const texts = [];
  const walker = doc.createTreeWalker(root, 4 /* SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (mayHold(n.data) && !excluded(n.parentNode, root, out, memo)) texts.push(n);
  }
  return texts;
}

// excluded reports whether el, or one of its ancestors below root (root
// itself was checked by skipped), is a place where numbers are never
// marked: one of out, or editable. Each element is judged once.
function excluded(el, root, out, memo) {
  if (!el || el === root) return false;
  let no = memo.get(el);
  if (no === undefined) {
    no = out.has(el) || el.isContentEditable === true || excluded(el.parentNode, root, out, memo);
    memo.set(el, no);
  }
  return no;
}

// wrap puts each number found in a text node into a span of its own. The
// page's text is only ever handled as text nodes, never parsed as HTML:
// whatever markup a page's text spells stays characters on the screen. The
// content script and the popup likewise write only textContent, title and
// attributes, never innerHTML, so dialbridge's answers and the journal's
// names stay text too. The page's node keeps the text before the first
// number; the numbers, each in a span cloned from a prepared one, and the
// text between and after them follow it in one insertion (strings given
// to after() become text nodes): on a page of thousands of numbers, each
// change to the live page costs more than finding the numbers.
function wrap(node, found, proto) {
  const text = node.data;
  const pieces = [];
  let at = found[0].start;
  for (const f of found) {
    if (f.start > at) pieces.push(text.slice(at, f.start));
    const span = proto.cloneNode(false);
    span.setAttribute('data-dialbridge-number', f.text);
    span.append(text.slice(f.start, f.end));
    marked.set(span, f.text);
    pieces.push(span);
    at = f.end;
  }
  if (at < text.length) pieces.push(text.slice(at));
  node.after(...pieces);
  node.deleteData(found[0].start, text.length - found[0].start);
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
