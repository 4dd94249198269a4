/**
 * native/install.cjs where the addon cannot compile: the install goes on (exit 0), the reason is
 * kept, and loading the package says it, so the trainer's ladder can show it beside the rung.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NATIVE = join(import.meta.dirname, '..', '..', '..', 'native');
const dir = mkdtempSync(join(tmpdir(), 'layerlab-native-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('layerlab-native install without a compiler', () => {
  it('finishes the install, keeps the reason, and the package says it when loaded', () => {
    for (const f of ['install.cjs', 'index.cjs', 'package.json']) copyFileSync(join(NATIVE, f), join(dir, f));
    // Stands in for node-gyp on a machine without a C toolchain.
    const gyp = join(dir, 'fake-gyp.cjs');
    writeFileSync(gyp, "console.error('gyp ERR! stack Error: not found: make'); process.exit(1);\n");
    const run = spawnSync(process.execPath, [join(dir, 'install.cjs')], { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_node_gyp: gyp } });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/layerlab-native: not built \(gyp ERR! stack Error: not found: make\); Layerlab will train on the wasm backend/);
    expect(readFileSync(join(dir, 'build', 'unavailable.txt'), 'utf8')).toMatch(/not found: make/);
    expect(existsSync(join(dir, 'build', 'Release'))).toBe(false);
    expect(() => createRequire(join(dir, 'x.js'))('./index.cjs')).toThrow(/native engine not built at install \(gyp ERR! stack Error: not found: make\); run: npm rebuild layerlab-native/);
  });
});
