// The fast validity check against the numbering plans must never accept a
// number libphonenumber's isValid refuses (it may refuse more: those go to
// libphonenumber). Checked on random digit strings in national,
// international and bare form for eight countries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { quickValid } from '../src/detect.js';

test('quickValid accepts only what libphonenumber calls valid', () => {
  let seed = 1;
  const rnd = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (const region of ['DE', 'FR', 'GB', 'US', 'AT', 'CH', 'IT', 'NL']) {
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      let d = '';
      for (let j = 6 + rnd(9); j > 0; j--) d += rnd(10);
      for (const f of ['0' + d, '+' + ['49', '1', '33', '44'][rnd(4)] + d, '00' + d, d]) {
        if (!quickValid(f, region)) continue;
        accepted++;
        const p = parsePhoneNumberFromString(f, region);
        assert.ok(p && p.isValid(), `${region}: quickValid took ${f}, libphonenumber calls it invalid`);
      }
    }
    assert.ok(accepted > 100, `${region}: quickValid accepted only ${accepted} numbers`);
  }
});
