/**
 * SIGKILL of the CLI during an import (issue 11, item 2): the importer, busy in a synchronous
 * parse that never looks at its channel, still dies with its parent, so nothing is imported after
 * the user killed the command; the temp folder a killed import leaves is removed at the next start.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layerlab, startLayerlab } from '../../helpers/cli.js';
import { tempHome } from '../../helpers/home.js';
import { childrenOf, running, waitFor } from './procs.js';

describe('SIGKILL of the CLI during an import', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  it('takes the importer with it: no dataset appears afterwards, and a stale temp folder is cleaned', async () => {
    // 400,000 rows of 64 features: seconds of parsing, far longer than it takes to kill the CLI.
    const row = `${Array.from({ length: 64 }, (_, i) => i % 10).join(',')},1\n`;
    const file = join(home, 'big.csv');
    writeFileSync(file, `${Array.from({ length: 64 }, (_, i) => `f${i}`).join(',')},label\n${row.replace(/,1\n$/, ',0\n')}${row.repeat(400_000)}`);
    const cli = startLayerlab(['datasets', 'import', file], home);
    let importer: number | undefined;
    expect(await waitFor(() => {
      importer = childrenOf(cli.pid!)[0];
      return importer !== undefined;
    }, 60_000)).toBe(true);
    cli.kill('SIGKILL');
    // A hang guard: without the watch the importer would parse on, then write the dataset.
    expect(await waitFor(() => !running(importer!), 30_000)).toBe(true);

    // A temp folder as a killed importer leaves it (its pid is gone), then a fresh start.
    mkdirSync(join(home, 'datasets', `.tmp-${importer}-leftover`), { recursive: true });
    const r = layerlab(['datasets', 'list', '--json'], home);
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.stdout) as Array<{ id: string; kind: string }>).filter((d) => d.kind !== 'builtin');
    expect(ids).toEqual([]);
    const cache = join(home, 'datasets', 'cache');
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
    expect(readdirSync(join(home, 'datasets')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  }, 120_000);
});
