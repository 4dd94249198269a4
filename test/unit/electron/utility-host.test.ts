import { describe, it, expect, vi, afterEach } from 'vitest';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ForkOptions } from 'electron';

vi.mock('electron', () => ({ utilityProcess: { fork: () => { throw new Error('tests pass their own fork'); } } }));
const { UtilityWorkerHost } = await import('../../../src-main/electron/utility-host.js');

/** A fake utilityProcess child: records what the host does, exits when told. */
class FakeChild extends EventEmitter {
  pid = 4242;
  stdout = new PassThrough();
  stderr = new PassThrough();
  posted: unknown[] = [];
  kills = 0;
  constructor(private readonly obeysStop: boolean) { super(); }
  postMessage(message: unknown): void {
    this.posted.push(message);
    if (this.obeysStop && (message as { type?: string }).type === 'stop') setTimeout(() => this.emit('exit', 0), 10);
  }
  kill(): boolean {
    this.kills++;
    setTimeout(() => this.emit('exit', 9), 0);
    return true;
  }
}

function setup(obeysStop: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-uh-'));
  writeFileSync(join(dir, 'trainer.js'), '');
  const child = new FakeChild(obeysStop);
  const fork = vi.fn((_path: string, _args: string[], _options: ForkOptions) => child as never);
  return { host: new UtilityWorkerHost(dir, fork), child, fork, dir };
}

afterEach(() => { vi.useRealTimers(); });

describe('UtilityWorkerHost', () => {
  it('forks <kind>.js beside main as a named utility process with piped stdio', () => {
    const { host, fork, dir } = setup(true);
    host.start('trainer', { maxOldSpaceMB: 2048 });
    const [path, args, options] = fork.mock.calls[0];
    expect(path).toBe(join(dir, 'trainer.js'));
    expect(args).toEqual([]);
    expect(options).toMatchObject({ serviceName: 'Layerlab trainer', stdio: 'pipe', execArgv: ['--max-old-space-size=2048'] });
  });

  it('says which build is missing instead of forking nothing', () => {
    const { host, fork } = setup(true);
    expect(() => host.start('importer')).toThrow(/importer\.js is missing: run npm run build/);
    expect(fork).not.toHaveBeenCalled();
  });

  it('stop asks first, and a worker that listens exits without being killed', async () => {
    const { host, child } = setup(true);
    const w = host.start('trainer');
    const exits: unknown[] = [];
    w.onExit((info) => exits.push(info));
    await w.stop(1000);
    expect(child.posted).toEqual([{ type: 'stop' }]);
    expect(child.kills).toBe(0);
    expect(exits).toEqual([{ code: 0, signal: null, stderrTail: '' }]);
  });

  it('stop = ask, wait the grace period, then kill', async () => {
    vi.useFakeTimers();
    const { host, child } = setup(false);
    const w = host.start('trainer');
    let done = false;
    const stopped = w.stop(3000).then(() => { done = true; });
    expect(child.posted).toEqual([{ type: 'stop' }]);
    await vi.advanceTimersByTimeAsync(2999);
    expect(child.kills).toBe(0);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(child.kills).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
    expect(done).toBe(true);
  });

  it('reports the exit code with the stderr tail, and sends nothing after exit', async () => {
    const { host, child } = setup(true);
    const w = host.start('trainer');
    const exits: { code: number | null; stderrTail: string }[] = [];
    w.onExit((info) => exits.push(info));
    const messages: unknown[] = [];
    w.onMessage((m) => messages.push(m));
    child.emit('message', { type: 'epoch', runId: 'r1' });
    child.stderr.write('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n');
    await new Promise((r) => setImmediate(r));
    child.emit('exit', 134);
    expect(messages).toEqual([{ type: 'epoch', runId: 'r1' }]);
    expect(exits[0].code).toBe(134);
    expect(exits[0].stderrTail).toContain('heap out of memory');
    w.send({ type: 'stop' });
    expect(child.posted).toEqual([]);
    await w.stop();
    expect(w.pid).toBe(4242);
  });

  it('keeps the reason of a V8 fatal error', () => {
    const { host, child } = setup(true);
    const w = host.start('trainer');
    const exits: { stderrTail: string }[] = [];
    w.onExit((info) => exits.push(info));
    child.emit('error', 'FatalError', 'v8::internal::Heap', '{}');
    child.emit('exit', 5);
    expect(exits[0].stderrTail).toContain('FatalError');
  });
});
