import { describe, it, expect, vi, afterEach } from 'vitest';
import { callService, createShutdown, fileSlug, pickRunToExport } from '../../../src-main/electron/lifecycle.js';
import type { AnyParsed, Caller } from '../../../src-main/shared/contract.js';
import type { ServiceLike } from '../../../src-main/electron/ipc.js';
import type { RunSummary } from '../../../src-main/shared/runs.js';

afterEach(() => { vi.useRealTimers(); });

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

describe('quitting with runs in flight', () => {
  it('holds the quit until the service has stopped its runs, then quits for real', async () => {
    const closing = deferred();
    const close = vi.fn(() => closing.promise);
    const quit = vi.fn();
    const s = createShutdown({ close, quit });
    const first = { preventDefault: vi.fn() };
    s.beforeQuit(first);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(close).toHaveBeenCalledWith('quit');
    expect(quit).not.toHaveBeenCalled();
    // A second Cmd+Q while closing waits for the same close.
    s.beforeQuit({ preventDefault: vi.fn() });
    expect(close).toHaveBeenCalledTimes(1);
    closing.resolve();
    await vi.waitFor(() => expect(quit).toHaveBeenCalled());
    // The quit that follows passes through.
    const again = { preventDefault: vi.fn() };
    s.beforeQuit(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('on power-off marks runs interrupted, and the quit that follows does not change that', async () => {
    const close = vi.fn(async () => undefined);
    const quit = vi.fn();
    const s = createShutdown({ close, quit });
    const e = { preventDefault: vi.fn() };
    s.shutdown(e);
    s.beforeQuit({ preventDefault: vi.fn() });
    await vi.waitFor(() => expect(quit).toHaveBeenCalled());
    expect(e.preventDefault).toHaveBeenCalled();
    expect(close.mock.calls).toEqual([['shutdown']]);
  });

  it('still quits when closing fails or hangs', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const quit1 = vi.fn();
    const s1 = createShutdown({ close: async () => { throw new Error('disk gone'); }, quit: quit1 });
    s1.beforeQuit({ preventDefault: vi.fn() });
    await vi.waitFor(() => expect(quit1).toHaveBeenCalled());

    vi.useFakeTimers();
    const quit2 = vi.fn();
    const s2 = createShutdown({ close: () => new Promise(() => undefined), quit: quit2, timeoutMs: 5000 });
    s2.shutdown();
    await vi.advanceTimersByTimeAsync(4999);
    expect(quit2).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(quit2).toHaveBeenCalled();
  });
});

const run = (id: string, status: RunSummary['status'], createdAt: string) => ({ id, name: id, status, createdAt }) as RunSummary;

describe('which run File › Export run… exports', () => {
  const runs = [run('a', 'completed', '2025-01-01T10:00:00Z'), run('b', 'stopped', '2025-01-02T10:00:00Z'), run('c', 'running', '2025-01-03T10:00:00Z')];

  it('the run the renderer reported', () => {
    expect(pickRunToExport('a', runs)?.id).toBe('a');
  });

  it('else the newest finished run', () => {
    expect(pickRunToExport(null, runs)?.id).toBe('b');
    expect(pickRunToExport('deleted', runs)?.id).toBe('b');
  });

  it('else none', () => {
    expect(pickRunToExport(null, [run('c', 'running', '2025-01-03T10:00:00Z')])).toBeNull();
    expect(pickRunToExport(null, [])).toBeNull();
  });

  it('names the file after the run', () => {
    expect(fileSlug('Dense 128 × 2 (seed 3)')).toBe('dense-128-2-seed-3');
    expect(fileSlug('???')).toBe('run');
  });
});

describe('callService (requests main builds itself)', () => {
  it('parses against the contract before calling the service', async () => {
    const invoke = vi.fn(async (_p: AnyParsed, _caller?: Caller) => []);
    const service = { invoke, dispatch: invoke, on: vi.fn(), close: vi.fn() } as unknown as ServiceLike;
    await expect(callService(service, 'runs:export', { id: '' })).rejects.toMatchObject({ name: 'ContractError' });
    expect(invoke).not.toHaveBeenCalled();
    await callService(service, 'runs:list', {});
    // As the app: main's own requests carry paths from native dialogs.
    expect(invoke).toHaveBeenCalledWith({ channel: 'runs:list', request: {} }, { face: 'app' });
  });
});
