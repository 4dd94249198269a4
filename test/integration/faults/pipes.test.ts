/**
 * The ends of pipes (issue 11, item 6 and the EPIPE case): a worker's last big message reaches the
 * service before the worker exits, and a reader that stops early (`layerlab runs list | head -1`)
 * ends the CLI quietly, without a stack trace.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { fork, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { layerlab } from '../../helpers/cli.js';
import { CLI } from '../../helpers/build.js';
import { tempHome } from '../../helpers/home.js';

describe('pipes', () => {
  const homes: Array<() => void> = [];
  const fresh = () => { const h = tempHome(); homes.push(h.cleanup); return h.home; };
  afterAll(() => { for (const c of homes) c(); });

  it("a worker's last message of 24 MB arrives whole although the worker exits right after sending it", async () => {
    const dir = fresh();
    const script = join(dir, 'worker.ts');
    const portModule = join(process.cwd(), 'src-main', 'workers', 'parent-port.ts');
    // As importer-entry.ts ends: the answer, then exit as soon as it has left (24 MB is far more
    // than a pipe holds, so an exit that did not wait would cut it off).
    writeFileSync(script, `import { sendToParent } from ${JSON.stringify(portModule)};
sendToParent({ type: 'done', payload: 'x'.repeat(24 * 2 ** 20) }, () => process.exit(0));
`);
    const child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const got: Array<{ type: string; payload: string }> = [];
    child.on('message', (m) => got.push(m as { type: string; payload: string }));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    // 'message' events may follow 'exit' by a tick: let the channel drain.
    await new Promise((r) => setTimeout(r, 200));
    expect(code).toBe(0);
    expect(got).toHaveLength(1);
    expect(got[0].payload.length).toBe(24 * 2 ** 20);
  }, 60_000);

  it('`runs list | head -1` ends quietly: exit 0, nothing on stderr', () => {
    const home = fresh();
    expect(layerlab(['runs', 'list'], home).code).toBe(0);
    // 1,000 runs make ~200 KB of table, far more than a pipe holds once head has gone.
    const presets = JSON.parse(layerlab(['presets', '--json'], home).stdout) as Array<{ name: string; spec: unknown }>;
    const spec = JSON.stringify(presets.find((p) => p.name === 'book-relu')!.spec);
    const db = new Database(join(home, 'layerlab.db'));
    const add = db.prepare("INSERT INTO runs (id, name, status, spec, dataset_id, seed, created_at) VALUES (?, ?, 'completed', ?, 'fashion-mnist', 1, ?)");
    db.transaction(() => { for (let i = 0; i < 1000; i++) add.run(`run${i}`, `name ${i} ${'x'.repeat(60)}`, spec, new Date(i * 1000).toISOString()); })();
    db.close();
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" runs list --home "${home}" 2>"${home}/err" | head -n 1; echo "codes \${PIPESTATUS[*]}"`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toMatch(/^id +name/);
    expect(r.stdout).toMatch(/codes 0 0\n$/);
    expect(spawnSync('cat', [join(home, 'err')], { encoding: 'utf8' }).stdout).toBe('');
  }, 60_000);
});
