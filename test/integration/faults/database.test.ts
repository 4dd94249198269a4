/**
 * Database faults (issue 11, items 3, 7, 9, 12): a damaged layerlab.db, a database another process
 * holds locked for longer than the busy timeout, a run deleted from another process while it trains,
 * and the permissions of what Layerlab creates. Each ends with integrity_check ok and nothing lost
 * that had been reported saved.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { CLI } from '../../helpers/build.js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { layerlab, startLayerlab } from '../../helpers/cli.js';
import { tempHome } from '../../helpers/home.js';
import { waitFor } from './procs.js';

/** Starts `layerlab train` and resolves with the child and the run id once it printed `epochs` epochs. */
async function trainUntil(home: string, epochs: number, args: string[]): Promise<{ child: ReturnType<typeof startLayerlab>; runId: string; printed: () => number; output: () => string }> {
  const child = startLayerlab(['train', '--preset', 'book-relu', '--limit', '600', '--json', ...args], home);
  let out = '';
  let printed = 0;
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    printed = out.split('\n').filter((l) => l.includes('"type":"epoch"')).length;
  });
  child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  expect(await waitFor(() => printed >= epochs, 120_000)).toBe(true);
  const db = new Database(join(home, 'layerlab.db'), { readonly: true });
  const runId = db.prepare("SELECT id FROM runs WHERE status = 'running'").pluck().get() as string;
  db.close();
  return { child, runId, printed: () => printed, output: () => out };
}

function integrity(home: string): string {
  const db = new Database(join(home, 'layerlab.db'), { readonly: true });
  try { return db.pragma('integrity_check', { simple: true }) as string; } finally { db.close(); }
}

describe('database faults', () => {
  const homes: Array<() => void> = [];
  const fresh = () => { const h = tempHome(); homes.push(h.cleanup); return h.home; };
  afterAll(() => { for (const c of homes) c(); });

  it('a damaged layerlab.db: one line with the path and what to do, exit 2, the file untouched', () => {
    const home = fresh();
    const file = join(home, 'layerlab.db');
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const r = layerlab(['runs', 'list'], home);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe(`layerlab: ${file}: is not a Layerlab database, or is damaged; move it aside (mv ${file} ${file}.broken) to start a new history, or restore it from a backup\n`);
    expect(readFileSync(file).equals(Buffer.alloc(8192, 0x5a))).toBe(true);
  });

  it('a database damaged after it opened: the same one line with the path, not an internal error', () => {
    const home = fresh();
    const file = join(home, 'layerlab.db');
    expect(layerlab(['runs', 'list'], home).code).toBe(0);
    // Enough rows that the runs table spans pages, then its root page overwritten: the header and
    // the schema still read, so the file opens, and the damage shows only when runs are read.
    const db = new Database(file);
    const add = db.prepare("INSERT INTO runs (id, name, status, spec, dataset_id, seed, created_at) VALUES (?, ?, 'completed', '{}', 'xor', 1, ?)");
    db.transaction(() => { for (let i = 0; i < 300; i++) add.run(`run${i}`, 'x'.repeat(100), new Date(i * 1000).toISOString()); })();
    const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'runs'").pluck().get() as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma('journal_mode = DELETE');
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0xff, (root - 1) * pageSize, root * pageSize);
    writeFileSync(file, bytes);
    const r = layerlab(['runs', 'list'], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`layerlab: ${file}: is damaged (corrupt); move it aside (mv ${file} ${file}.broken) to start a new history, or restore it from a backup\n`);
  });

  it('a data folder the system refuses: one line naming it, at once (/proc once made Node loop forever)', () => {
    // Node's mkdir -p spins at full CPU where a parent refuses new entries with ENOENT (/proc);
    // /sys/kernel refuses with EPERM even for root, the one permission error a root test can meet.
    const cases: Array<[string, RegExp]> = [
      ['/proc/layerlab-home', /^layerlab: \/proc\/layerlab-home: cannot create the data folder: .+\n$/],
      ['/sys/kernel/layerlab-home/a', /^layerlab: \/sys\/kernel\/layerlab-home\/a: cannot create the data folder: the operation is not permitted; check its permissions\n$/],
    ];
    for (const [home, line] of cases) {
      const r = layerlab(['runs', 'list'], home, 30_000);
      expect(r.code, `${home}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(line);
    }
  });

  it('permission denied on the database or its folder: one line naming it (root without its file-permission override)', () => {
    // Root ignores file modes; setpriv drops the two capabilities that let it, so the modes below
    // bite as they would for any user.
    const drop = ['--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search'];
    if (spawnSync('setpriv', [...drop, 'true']).status !== 0) {
      console.log('permission faults skipped: setpriv cannot drop capabilities here');
      return;
    }
    const run = (home: string) => spawnSync('setpriv', [...drop, process.execPath, CLI, 'runs', 'list', '--home', home], { encoding: 'utf8', timeout: 60_000 });
    const home = fresh();
    const file = join(home, 'layerlab.db');
    expect(layerlab(['runs', 'list'], home).code).toBe(0);
    chmodSync(file, 0o000);
    let r = run(home);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`layerlab: ${file}: cannot be opened (check that the folder exists and that you may read and write it)\n`);
    chmodSync(file, 0o600);
    chmodSync(home, 0o500);
    r = run(home);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`layerlab: ${file}: is read-only; check its permissions and those of its folder\n`);
    chmodSync(home, 0o700);
    const locked = join(fresh(), 'locked');
    mkdirSync(locked, { mode: 0o500 });
    r = run(join(locked, 'home'));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`layerlab: ${join(locked, 'home')}: cannot create the data folder: permission denied; check its permissions\n`);
  });

  it('a new data folder is 0700 and its database 0600', () => {
    const home = join(fresh(), 'new', 'home');
    expect(layerlab(['runs', 'list'], home).code).toBe(0);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, 'layerlab.db')).mode & 0o777).toBe(0o600);
  });

  it('a database held locked by another process past the busy timeout: the run still completes with every epoch', async () => {
    const home = fresh();
    const { child, runId, output } = await trainUntil(home, 1, ['--epochs', '12']);
    // Another program takes the write lock for 7 s, longer than the 5 s busy timeout.
    const locker = new Database(join(home, 'layerlab.db'));
    locker.exec('BEGIN EXCLUSIVE');
    await new Promise((r) => setTimeout(r, 7000));
    locker.exec('COMMIT');
    locker.close();
    const code = await new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c))));
    expect(output()).not.toMatch(/locked/);
    expect(code).toBe(0);
    const db = new Database(join(home, 'layerlab.db'), { readonly: true });
    const row = db.prepare('SELECT status, error FROM runs WHERE id = ?').get(runId) as { status: string; error: string | null };
    const epochs = db.prepare('SELECT count(*) FROM epochs WHERE run_id = ?').pluck().get(runId);
    db.close();
    expect(row).toEqual({ status: 'completed', error: null });
    expect(epochs).toBe(12);
    expect(integrity(home)).toBe('ok');
  }, 180_000);

  it('two processes in one folder: deleting a run the other is training is refused in one line; nothing is lost', async () => {
    const home = fresh();
    const { child, runId, printed } = await trainUntil(home, 2, ['--epochs', '3000']);
    const r = layerlab(['runs', 'delete', runId], home);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`run ${runId} is training in another Layerlab process \\(pid \\d+\\); stop it there`));
    const seen = printed();
    child.kill('SIGKILL');
    await new Promise((res) => child.once('exit', res));
    expect(integrity(home)).toBe('ok');
    const list = JSON.parse(layerlab(['runs', 'list', '--json'], home).stdout) as Array<{ id: string; status: string }>;
    expect(list.find((x) => x.id === runId)?.status).toBe('interrupted');
    const db = new Database(join(home, 'layerlab.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM epochs WHERE run_id = ?').pluck().get(runId)).toBeGreaterThanOrEqual(seen);
    db.close();
    // Once it is no longer training, it may be deleted.
    expect(layerlab(['runs', 'delete', runId], home).code).toBe(0);
    expect(existsSync(join(home, 'runs', runId))).toBe(false);
  }, 180_000);
});
