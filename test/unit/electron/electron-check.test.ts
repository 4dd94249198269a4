/**
 * `npm start` without the Electron binary: one line saying what to do, at once, instead of Electron's
 * first-use download hanging where GitHub cannot be reached.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desktopProblem, electronBinary } from '../../../bin/electron-check.js';

describe('electron-check', () => {
  it('finds the binary only where path.txt names a file that exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layerlab-electron-pkg-'));
    try {
      expect(electronBinary(dir, {})).toBeNull();
      writeFileSync(join(dir, 'path.txt'), 'electron');
      expect(electronBinary(dir, {})).toBeNull();
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'electron'), '');
      expect(electronBinary(dir, {})).toBe(join(dir, 'dist', 'electron'));
      expect(electronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'nowhere') })).toBeNull();
      expect(electronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'dist') })).toBe(join(dir, 'dist', 'electron'));
      expect(electronBinary(null, {})).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the Node version the desktop tools need, then the missing binary', () => {
    expect(desktopProblem('20.19.0', '/x/electron')).toMatch(/needs Node 22\.12 or newer; this is Node 20\.19\.0.*npx layerlab serve/);
    expect(desktopProblem('22.11.9', '/x/electron')).toMatch(/Node 22\.12/);
    expect(desktopProblem('22.12.0', null)).toMatch(/npx install-electron/);
    expect(desktopProblem('24.1.0', '/x/electron')).toBeNull();
  });

  it('fails fast, in one line, when the binary is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'layerlab-no-electron-'));
    try {
      // A hang guard, not a timing check: waiting on a download would be killed and fail the status check.
      const r = spawnSync(process.execPath, ['bin/electron-check.js'], { env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty }, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^layerlab: the desktop app .*(Node 22\.12|npx install-electron)/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
