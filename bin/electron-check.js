#!/usr/bin/env node
/**
 * `npm start` and `npm run dev` run this first. Electron 45 fetches its binary from GitHub the first
 * time it is started, not at `npm install`; where that host cannot be reached the fetch hangs for
 * minutes and ends in a stack trace. This says in one line what is missing and how to get it, at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Node version the desktop tools (electron 45, @electron/get, @electron/rebuild) declare. */
export const DESKTOP_NODE = [22, 12];

/**
 * The Electron executable `npm start` would run, without starting a download: null when it is not
 * on disk. `electronDir` is the electron package's folder (default: the one node_modules resolves).
 * Honours ELECTRON_OVERRIDE_DIST_PATH as electron's own index.js does.
 */
export function electronBinary(electronDir = packageDir(), env = process.env) {
  if (!electronDir && !env.ELECTRON_OVERRIDE_DIST_PATH) return null;
  const pathFile = electronDir ? join(electronDir, 'path.txt') : '';
  const name = pathFile && existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const path = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, name || 'electron')
    : name ? join(electronDir, 'dist', name) : null;
  return path && existsSync(path) ? path : null;
}

function packageDir() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** Why the desktop app cannot start here, as one line; null when it can. */
export function desktopProblem(version = process.versions.node, binary = electronBinary()) {
  const [major, minor] = version.split('.').map(Number);
  const [needMajor, needMinor] = DESKTOP_NODE;
  if (major < needMajor || (major === needMajor && minor < needMinor)) {
    return `the desktop app (Electron 45) needs Node ${needMajor}.${needMinor} or newer; this is Node ${version}. The CLI and the browser mode work here: npx layerlab serve`;
  }
  if (!binary) {
    return 'the desktop app needs the Electron binary, which is not installed: run `npx install-electron` where github.com can be reached (about 100 MB), or use the browser mode: npx layerlab serve';
  }
  return null;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problem = desktopProblem();
  if (problem) {
    process.stderr.write(`layerlab: ${problem}\n`);
    process.exit(1);
  }
}
