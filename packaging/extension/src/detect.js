// Finding phone numbers in a piece of text, for the content script. The
// candidates come from one cheap regular expression; libphonenumber-js
// decides, for the region of dialbridge's dialing rules, which of them are
// phone numbers; a few rules then drop what pages write that only looks
// like one: dates, IBANs, order and customer numbers, postcodes, amounts.
import { parsePhoneNumberFromString, findNumbers, Metadata } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/metadata.max.json';

// A run that may be a phone number: an optional + or 00, digits and the
// separators people write between them, starting and ending with a digit
// (or an opening parenthesis). Letters or digits right before or after
// mean it is part of something else (an IBAN, a product code).
const CANDIDATE = /(?<![\p{L}\p{N}+_@\/.,-])(?:\+|\(\+?)?\d[\d \u00a0\u202f().\/\u2010-\u2015-]{4,24}\d(?![\p{L}\p{N}_@]|[.,]\d)/gu;

// Enough digits for any phone number with its area code: shorter runs are
// postcodes, house numbers, years.
const MIN_DIGITS = 7;
const MAX_DIGITS = 17;

// Countries whose national numbers are written with a leading trunk 0
// ("030 ..." in Germany, "01 ..." in France). There, a national-looking
// run without that 0 is an amount, an ID or a postcode, not a number people
// dial.
const TRUNK_ZERO = new Set(['DE', 'AT', 'CH', 'LI', 'FR', 'BE', 'NL', 'LU', 'GB', 'IE', 'SE', 'FI', 'AU', 'NZ', 'TR', 'ZA', 'IN', 'JP', 'KR', 'BR', 'AR']);

// Dates in the forms the four corpora write them (12.03.2024, 12/03/2024,
// 03/12/24, 2024-03-12), with real days and months so that a French
// 01.42.68.53.02 stays a phone number.
const DAY = '(?:0?[1-9]|[12]\\d|3[01])';
const MONTH = '(?:0?[1-9]|1[0-2])';
const DATE = new RegExp(`(?<!\\d)(?:${DAY}[./-]${MONTH}|${MONTH}/${DAY})[./-](?:\\d{4}|\\d{2})(?![./]?\\d)|(?<!\\d)\\d{4}-${MONTH}-${DAY}(?!\\d)`);

// ZIP+4 (94105-1234), the only postcode long enough to pass MIN_DIGITS.
const ZIP4 = /^\d{5}-\d{4}$/;

// An IBAN: country, check digits and groups of four.
const IBAN = /\b[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{4}){2,7}(?:[ \u00a0]?[A-Z0-9]{1,3})?\b/g;

// What a page writes before a number that is not a phone number, and
// before one that is. A word such as "Bestellnummer" or "invoice" rules a
// number out unless a phone word comes after it; a bare "Nr.", "No." or
// "#" only when no phone word labels the number ("Tel.-Nr.:" is a phone
// number, "Nr. 0301234567" is not).
const KEYWORDS = /(?<not>order|bestell|auftrag|rechnung|invoice|commande|facture|kunden|customer|client|account|konto|vertrag|contract|ticket|tracking|sendung|colis|referen|référence|artikel|article|item|sku|isbn|ean|gtin|serial|serien|policy|police|steuer|tax|siret|siren|iban|bic|blz|swift|company|firma|handelsreg|hrb|amtsgericht|\b(?:ref|réf|ust|vat)\b)|(?<qualifier>\b(?:id|nr|no|n°|num|nummer|number|numéro)\b|#)|(?<phone>\b(?:tel|phone|fon|handy|mobil|mobile|cell|fax|call|ruf|appel|portable|hotline|zentrale|durchwahl|standard|contact|kontakt|whatsapp)|☎|📞)/giu;

// labelSays reports whether a label rules out the number after it: a
// non-phone word after the last phone word, or a bare qualifier without
// any phone word. A page labels its numbers with the same few words
// ("Tel.: ", "Fax: "), so each label is judged once; the answers are
// forgotten when they grow past a bound.
const labels = new Map();

function labelSays(label) {
  let says = labels.get(label);
  if (says === undefined) {
    if (labels.size >= 4096) labels.clear();
    says = judgeLabel(label);
    labels.set(label, says);
  }
  return says;
}

function judgeLabel(label) {
  let not = -1;
  let qualifier = -1;
  let phone = -1;
  KEYWORDS.lastIndex = 0;
  for (let m = KEYWORDS.exec(label); m; m = KEYWORDS.exec(label)) {
    if (m.groups.not) not = m.index;
    else if (m.groups.qualifier) qualifier = m.index;
    else phone = m.index;
  }
  return not > phone || (phone < 0 && qualifier >= 0);
}

/**
 * findIn returns the phone numbers in text: their start and end offsets and
 * the number as written there.
 * @param {string} text
 * @param {string} region ISO 3166 code, e.g. "DE"
 * @returns {{start:number,end:number,text:string}[]}
 */
export function findIn(text, region) {
  const found = [];
  let ibans = null;
  // exec rather than matchAll, which copies the expression for each text.
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    let cand = m[0];
    let start = m.index;
    // A parenthesis the number opened but did not close stays outside.
    if (cand.startsWith('(') && !cand.includes(')')) {
      cand = cand.slice(1);
      start++;
    }
    if (cand.endsWith(')') && !cand.includes('(')) cand = cand.slice(0, -1);
    const digits = countDigits(cand);
    if (digits < MIN_DIGITS) continue;
    if (ibans === null) ibans = /[A-Z]{2}\d\d/.test(text) ? ibanRanges(text) : [];
    if (overlaps(ibans, start, start + cand.length)) continue;
    if (digits > MAX_DIGITS) {
      // Two numbers with only spaces between them: let libphonenumber
      // split them.
      for (const n of findNumbers(cand, region, { v2: true })) {
        const t = cand.slice(n.startsAt, n.endsAt);
        if (acceptable(text, start + n.startsAt, t, region)) found.push({ start: start + n.startsAt, end: start + n.endsAt, text: t });
      }
      continue;
    }
    if (!acceptable(text, start, cand, region)) continue;
    if (quickValid(cand, region) || isValidNumber(cand, region)) found.push({ start, end: start + cand.length, text: cand });
  }
  return found;
}

function isValidNumber(cand, region) {
  const p = parsePhoneNumberFromString(cand, region);
  return !!p && p.isValid();
}

// The numbering plans, read once per country: libphonenumber's own
// validation compiles its patterns anew for every number, which on a page
// of thousands of numbers costs more than everything else together.
const meta = new Metadata(metadata);
const plans = new Map();

function plan(country) {
  let p = plans.get(country);
  if (p === undefined) {
    p = null;
    if (meta.hasCountry(country)) {
      const np = meta.selectNumberingPlan(country).numberingPlan;
      const prefix = np.nationalPrefix() || '';
      const forParsing = np.nationalPrefixForParsing();
      p = {
        pattern: new RegExp('^(?:' + np.nationalNumberPattern() + ')$'),
        lengths: new Set(np.possibleLengths()),
        // The number types, each with its pattern and lengths: a number is
        // valid when one of them takes it, as in libphonenumber.
        types: TYPES.map((name) => np.type(name)).filter((ty) => ty && ty.pattern()).map((ty) => ({
          pattern: new RegExp('^(?:' + ty.pattern() + ')$'),
          lengths: ty.possibleLengths() ? new Set(ty.possibleLengths()) : null,
        })),
        prefix,
        // Countries whose trunk prefix is more than a fixed string (a
        // pattern, a carrier code) are left to libphonenumber.
        simple: !forParsing || forParsing === prefix,
      };
    }
    plans.set(country, p);
  }
  return p;
}

const TYPES = ['FIXED_LINE', 'MOBILE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

const NANP = new Set(meta.getCountryCodesForCallingCode('1') || []);

// quickValid says yes to the numbers it can check against the numbering
// plan itself (the general pattern and lengths, then the number types, the
// test of libphonenumber's isValid); anything else, a "no" included, goes
// to libphonenumber, so quickValid never loses a number it would accept,
// and a test checks that it accepts none libphonenumber refuses.
export function quickValid(cand, region) {
  const s = cand.includes('(0)') ? cand.replace('(0)', '') : cand;
  let digits = s.replace(/\D/g, '');
  let country = region;
  let national;
  const plus = /^\(?\+/.test(s);
  if (plus || (!NANP.has(region) && digits.startsWith('00'))) {
    if (!plus) digits = digits.slice(2);
    for (let l = 1; l <= 3 && national === undefined; l++) {
      const countries = meta.getCountryCodesForCallingCode(digits.slice(0, l));
      if (countries && countries.length) {
        country = countries.includes(region) ? region : countries[0];
        national = digits.slice(l);
      }
    }
    if (national === undefined) return false;
  } else {
    const p = plan(region);
    if (!p || !p.simple) return false;
    national = p.prefix && digits.startsWith(p.prefix) ? digits.slice(p.prefix.length) : digits;
  }
  const p = plan(country);
  if (!p || !p.lengths.has(national.length) || !p.pattern.test(national)) return false;
  return p.types.some((ty) => (!ty.lengths || ty.lengths.has(national.length)) && ty.pattern.test(national));
}

// acceptable applies the rules libphonenumber does not know: where a run
// stands and how it is written.
function acceptable(text, start, cand, region) {
  // Dates and ZIP+4 need a separator other than a space.
  if (SEPARATED.test(cand) && (DATE.test(cand) || ZIP4.test(cand))) return false;
  const intl = cand.startsWith('+') || cand.startsWith('(+') || cand.startsWith('00');
  if (!intl && TRUNK_ZERO.has(region) && !/^\(?0/.test(cand)) return false;
  // The label is what stands between the previous digit (or line) and
  // the run: "Rechnung 2024-17, Tel. ..." labels the number by "Tel.".
  const label = text.slice(labelStart(text, start), start);
  if (/\p{L}|#/u.test(label) && labelSays(label)) return false;
  return true;
}

const SEPARATED = /[./-]/;
const LABEL_END = /[\p{N}\n;|]/u;

// labelStart is where the label before start begins: after the last digit
// (of any script), line break, ";" or "|" within the 40 characters before
// it. The scan runs on character codes, as it does for every number on
// the page.
function labelStart(text, start) {
  const from = Math.max(0, start - 40);
  for (let i = start - 1; i >= from; i--) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 10 || c === 59 || c === 124) return i + 1;
    if (c > 127) {
      // A digit outside the BMP is two code units: test it whole.
      const pair = c >= 0xdc00 && c <= 0xdfff && i > from;
      if (LABEL_END.test(pair ? text.slice(i - 1, i + 1) : text[i])) return i + 1;
    }
  }
  return from;
}

function countDigits(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function ibanRanges(text) {
  const r = [];
  IBAN.lastIndex = 0;
  for (const m of text.matchAll(IBAN)) r.push([m.index, m.index + m[0].length]);
  return r;
}

function overlaps(ranges, a, b) {
  return ranges.some(([s, e]) => a < e && s < b);
}

/**
 * mayHold is the quick test before findIn: a text with fewer than
 * MIN_DIGITS digits holds no number.
 * @param {string} text
 */
export function mayHold(text) {
  return countDigits(text) >= MIN_DIGITS;
}

/**
 * linkNumber returns the number of a tel:, callto:, sip: or sips: link as
 * written in its href, or "" for any other link.
 * @param {string} href
 */
export function linkNumber(href) {
  const m = /^\s*(tel|callto|sips?):(?:\/\/)?([^?;]*)/i.exec(href || '');
  if (!m) return '';
  let n = m[2];
  try {
    n = decodeURIComponent(n);
  } catch {
    // A broken escape: the raw text is still the best description.
  }
  return n.trim();
}
