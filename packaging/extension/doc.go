// Package extension holds dialbridge's browser extension (Manifest V3,
// JavaScript in src/, built with esbuild by build.mjs) and its Go tests:
// the detection corpus under Node's test runner, and the built extension
// loaded unmodified into a real headless Chromium that reaches a real
// dialbridge through its native messaging host.
package extension
