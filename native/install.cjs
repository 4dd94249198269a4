// Builds the addon at install time (npm runs this for `npm ci` / `npm install`). A machine without
// a C compiler must still install Layerlab: then the build's last words are kept in
// build/unavailable.txt, the install goes on, and Layerlab trains on the wasm rung, showing why.
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdirSync, writeFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const here = __dirname;
const note = join(here, 'build', 'unavailable.txt');
rmSync(note, { force: true });
// npm hands its own node-gyp to install scripts; fall back to one on the PATH.
const gyp = process.env.npm_config_node_gyp;
const run = gyp
  ? spawnSync(process.execPath, [gyp, 'rebuild'], { cwd: here, encoding: 'utf8' })
  : spawnSync('node-gyp', ['rebuild'], { cwd: here, encoding: 'utf8', shell: process.platform === 'win32' });
if (run.status === 0) process.exit(0);
const output = `${run.stdout ?? ''}\n${run.stderr ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
const why = run.error ? run.error.message : output.filter((l) => /error/i.test(l)).slice(-3).join(' / ') || output.slice(-1)[0] || `exit ${run.status}`;
mkdirSync(join(here, 'build'), { recursive: true });
writeFileSync(note, `${why}\n`);
process.stderr.write(`layerlab-native: not built (${why}); Layerlab will train on the wasm backend. Rebuild with: npm rebuild layerlab-native\n`);
