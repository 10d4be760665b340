// Builds dialbridge's extension with esbuild (from npm; nothing is
// downloaded here):
//   node build.mjs OUT           the unpacked Chromium extension in OUT
//   node build.mjs OUT --zip DIR also OUT-firefox and the store zips in DIR
// The source manifest names both background forms; each browser gets only
// its own (Chromium a service worker and the fixed key, Firefox background
// scripts and its add-on ID), so neither warns about the other's keys.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const out = resolve(args[0] || join(here, '../../dist/extension'));
const zipAt = args.indexOf('--zip');
const zipDir = zipAt >= 0 ? resolve(args[zipAt + 1]) : '';

const manifest = JSON.parse(readFileSync(join(here, 'manifest.json'), 'utf8'));
const flavours = {
  chromium: (m) => {
    m.background = { service_worker: m.background.service_worker };
    delete m.browser_specific_settings;
    return m;
  },
  firefox: (m) => {
    m.background = { scripts: m.background.scripts };
    delete m.key;
    return m;
  },
};

async function buildInto(dir, flavour) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: ['content', 'background', 'popup'].map((n) => join(here, 'src', n + '.js')),
    bundle: true,
    format: 'iife',
    target: ['chrome120', 'firefox128'],
    outdir: dir,
    legalComments: 'eof',
    logLevel: 'warning',
  });
  for (const f of ['popup.html', 'popup.css', 'content.css', '_locales', 'icons']) {
    cpSync(join(here, f), join(dir, f), { recursive: true });
  }
  const m = flavours[flavour](structuredClone(manifest));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
}

await buildInto(out, 'chromium');
if (zipDir) {
  await buildInto(out + '-firefox', 'firefox');
  mkdirSync(zipDir, { recursive: true });
  for (const [dir, name] of [[out, 'chromium'], [out + '-firefox', 'firefox']]) {
    const zip = join(zipDir, `dialbridge-extension-${manifest.version}-${name}.zip`);
    rmSync(zip, { force: true });
    execFileSync('zip', ['-q', '-r', '-X', zip, '.'], { cwd: dir });
    console.log(zip);
  }
}
