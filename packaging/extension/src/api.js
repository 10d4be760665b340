// The WebExtension API of the browser at hand: Firefox's promise-based
// `browser`, else Chromium's `chrome` (which returns promises in Manifest V3).
export const api = globalThis.browser ?? globalThis.chrome;

/**
 * t is a translated message of _locales (English and German).
 * @param {string} key
 * @param {string|string[]} [subs]
 */
export function t(key, subs) {
  return api.i18n.getMessage(key, subs) || key;
}

/** The storage key of the sites where the person switched marking off. */
export const OFF_SITES = 'offSites';
