// Detection on a corpus of real-looking pages (German, British, French, US):
// every phone number is marked with the text as written, nothing else is
// (dates, IBANs, order and customer numbers, postcodes, amounts), and
// nothing inside form fields, editors or code changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { markNumbers, unmarkAll } from '../src/mark.js';
import { findIn, linkNumber } from '../src/detect.js';

const corpus = new URL('./corpus/', import.meta.url);

function load(name) {
  return new JSDOM(readFileSync(new URL(name, corpus), 'utf8')).window.document;
}

const marked = (doc) => [...doc.querySelectorAll('[data-dialbridge-number]')].map((e) => e.getAttribute('data-dialbridge-number'));

for (const page of readdirSync(corpus).filter((f) => f.endsWith('.html'))) {
  test(`the ${page} page gets exactly its phone numbers marked`, () => {
    const want = JSON.parse(readFileSync(new URL(page.replace('.html', '.json'), corpus), 'utf8'));
    const doc = load(page);
    const text = doc.body.textContent;
    const untouched = [...doc.querySelectorAll('input,textarea,[contenteditable],pre,code')].map((e) => e.outerHTML);
    const n = markNumbers(doc.body, want.region);
    assert.deepEqual(marked(doc).sort(), [...want.numbers].sort());
    assert.equal(n, want.numbers.length);
    assert.equal(doc.body.textContent, text, 'the page text is unchanged');
    assert.deepEqual([...doc.querySelectorAll('input,textarea,[contenteditable],pre,code')].map((e) => e.outerHTML), untouched);
    // A second pass finds nothing new, and undoing restores the page.
    assert.equal(markNumbers(doc.body, want.region), 0);
    unmarkAll(doc);
    assert.equal(doc.querySelectorAll('[data-dialbridge-number]').length, 0);
    assert.equal(doc.body.textContent, text);
  });
}

test('false positives stay unmarked', () => {
  const cases = [
    ['DE', 'am 12.03.2024 um 10:30'],
    ['DE', 'IBAN DE89 3704 0044 0532 0130 00'],
    ['DE', 'Bestellnummer: 0301234567'],
    ['DE', 'Kundennr. 0301234567'],
    ['DE', '10117 Berlin'],
    ['DE', 'Summe 1.234.567,89 EUR'],
    ['DE', 'Artikel-Nr. 030-1234567'],
    ['US', 'San Francisco, CA 94105-1234'],
    ['US', 'Order #4155550123'],
    ['US', 'on 2024-03-12 and 03/12/2024'],
    ['FR', 'Facture n° 0142685303'],
    ['FR', 'le 24/12/2024'],
    ['GB', 'Invoice no. 02079460958'],
    ['GB', 'London SW1A 1AA'],
  ];
  for (const [region, text] of cases) {
    assert.deepEqual(findIn(text, region), [], `${region}: ${text}`);
  }
});

test('phone numbers after their keywords are found', () => {
  const cases = [
    ['DE', 'Tel.-Nr.: 030 1234567', '030 1234567'],
    ['DE', 'Telefonnummer 0171/2345678', '0171/2345678'],
    ['FR', 'numéro de téléphone : 01 42 68 53 00', '01 42 68 53 00'],
    ['US', 'Phone number: (415) 555-2671', '(415) 555-2671'],
  ];
  for (const [region, text, want] of cases) {
    assert.deepEqual(findIn(text, region).map((f) => f.text), [want], text);
  }
});

test('content added to a form field or editor is never marked', () => {
  const doc = new JSDOM('<div contenteditable><p>030 1234567</p></div><textarea>030 1234567</textarea>').window.document;
  assert.equal(markNumbers(doc.querySelector('p'), 'DE'), 0);
  assert.equal(markNumbers(doc.querySelector('p').firstChild, 'DE'), 0);
  assert.equal(markNumbers(doc.body, 'DE'), 0);
});

test('phone links give their number', () => {
  assert.equal(linkNumber('tel:+49%2030%201234567'), '+49 30 1234567');
  assert.equal(linkNumber('callto://+442079460000'), '+442079460000');
  assert.equal(linkNumber('sip:201@pbx.example;transport=tcp'), '201@pbx.example');
  assert.equal(linkNumber('TEL:0301234567?foo'), '0301234567');
  assert.equal(linkNumber('https://example.com/tel:123'), '');
  assert.equal(linkNumber('tel:%E0%A4%A'), '%E0%A4%A');
});

// The page's text stays text: markup-looking text around a number (the
// page escaped it, so it is a text node) is wrapped as it stands, and no
// element besides the extension's own span appears.
test('markup in the page text next to a number stays text', () => {
  const hostile = '<img src=x onerror="alert(1)"> <b>Bank</b> & Co: 030 1234567 <script>x()</script>';
  const doc = new JSDOM('<p></p>').window.document;
  doc.querySelector('p').textContent = hostile;
  assert.equal(markNumbers(doc.body, 'DE'), 1);
  const p = doc.querySelector('p');
  assert.equal(p.textContent, hostile);
  assert.deepEqual([...p.querySelectorAll('*')].map((e) => e.tagName), ['SPAN']);
  assert.equal(p.querySelector('span').textContent, '030 1234567');
});

// Several numbers in one text node: each gets its span, the text between
// and after them stays as it was, and the page's own text node stays in
// place holding the text before the first number (a page's script that
// keeps a reference to it still finds it in the page).
test('a text node with several numbers keeps its text and its node', () => {
  const doc = new JSDOM('<p>Tel. 030 1234567 oder 040 7654321, Fax 030 7654320 (Büro)</p>').window.document;
  const p = doc.querySelector('p');
  const own = p.firstChild;
  const text = p.textContent;
  assert.equal(markNumbers(doc.body, 'DE'), 3);
  assert.equal(p.textContent, text);
  assert.equal(p.firstChild, own);
  assert.equal(own.data, 'Tel. ');
  assert.deepEqual([...p.childNodes].map((n) => n.nodeType === 1 ? `[${n.getAttribute('data-dialbridge-number')}]` : n.data),
    ['Tel. ', '[030 1234567]', ' oder ', '[040 7654321]', ', Fax ', '[030 7654320]', ' (Büro)']);
});
