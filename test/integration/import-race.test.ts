/**
 * Two imports of the same file at once (two pages, the app and the CLI) make one dataset, never two
 * and never an error: the cache write's last step (look for the content key, else rename into
 * place) runs under the data folder's commit lock. Real importer processes, real files.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Service } from '../../src-main/service/service.js';
import { directApi } from '../../src-main/service/local-api.js';
import { NodeWorkerHost } from '../../src-main/workers/node-host.js';
import { importPath } from '../../src-main/data/import.js';
import { listDatasets, writeDatasetCacheOnce } from '../../src-main/data/cache/index.js';
import type { Api } from '../../src-main/shared/contract.js';
import { OUT_NODE, ROOT, requireBuild } from '../helpers/build.js';
import { tempHome } from '../helpers/home.js';

const IRIS = join(ROOT, 'test', 'fixtures', 'csv', 'iris.csv');
const FLOWERS = join(ROOT, 'test', 'fixtures', 'e2e', 'flowers-mini.csv');

describe('simultaneous imports of the same content', () => {
  const { home, cleanup } = tempHome();
  let service: Service;
  let api: Api;
  beforeAll(async () => {
    requireBuild();
    service = new Service({ home, host: new NodeWorkerHost(OUT_NODE), concurrency: 1 });
    await service.start();
    api = directApi(service, { face: 'cli' });
  });
  afterAll(async () => {
    await service?.close();
    cleanup();
  });

  it('two importer processes on one file at once: one dataset, both answered with it', async () => {
    const [a, b] = await Promise.all([
      api.invoke('datasets:import', { source: { path: IRIS } }),
      api.invoke('datasets:import', { source: { path: IRIS } }),
    ]);
    expect(a.id).toBe(b.id);
    expect([a.reused ?? false, b.reused ?? false].filter(Boolean)).toHaveLength(1);
    expect(listDatasets(home).filter((m) => m.name === 'iris')).toHaveLength(1);
    // Nothing left behind: no temp folder, no lock.
    expect(readdirSync(join(home, 'datasets')).filter((n) => n.startsWith('.tmp-') || n === '.commit-lock')).toEqual([]);
  });

  it('two cache writes of one content key, both past the early look: one dataset, the second told it is reused', async () => {
    const other = tempHome();
    try {
      const parsed = (n: number) => ({
        format: 'csv' as const, featureShape: [2], classNames: ['a', 'b'], notes: [],
        train: { x: new Float32Array([0, 1, 2, 3]), y: new Int32Array([0, 1]), count: 2 },
        sourceSha256: `${n}`.repeat(64).slice(0, 64),
      });
      const meta = { name: 'same', sourcePath: '/nowhere/same.csv', format: 'csv' as const, contentKey: 'c'.repeat(64) };
      const [a, b] = await Promise.all([writeDatasetCacheOnce(other.home, parsed(1), meta), writeDatasetCacheOnce(other.home, parsed(2), meta)]);
      expect(a.manifest.id).toBe(b.manifest.id);
      expect([a.reused, b.reused].sort()).toEqual([false, true]);
      expect(listDatasets(other.home)).toHaveLength(1);
      expect(readdirSync(join(other.home, 'datasets')).filter((n) => n.startsWith('.tmp-') || n === '.commit-lock')).toEqual([]);
    } finally {
      other.cleanup();
    }
  });

  it('takes over a lock its holder left by dying', async () => {
    const other = tempHome();
    try {
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
      mkdirSync(join(other.home, 'datasets', '.commit-lock'), { recursive: true });
      writeFileSync(join(other.home, 'datasets', '.commit-lock', 'pid'), dead);
      const info = await importPath(other.home, FLOWERS, {});
      expect(listDatasets(other.home).map((m) => m.id)).toEqual([info.id]);
      expect(existsSync(join(other.home, 'datasets', '.commit-lock'))).toBe(false);
    } finally {
      other.cleanup();
    }
  });
});
