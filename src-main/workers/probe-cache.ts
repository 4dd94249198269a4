/**
 * The `auto` probe's figures, kept so the next run of the same model on the same machine trains
 * at once instead of starting a browser and timing every rung again (tens of seconds on a
 * software adapter). One JSON file in the data folder (probe-cache.json), written atomically
 * (temp file, fsync, rename); a damaged or foreign file counts as empty and is replaced.
 *
 * An entry is keyed by the model's fingerprint (input shape, layers, optimizer, loss, batch size,
 * training path: what sets a step's speed, not seeds, epochs or the dataset's rows) and by the
 * machine: the app's build, Node/Electron, OS, CPU, and the GPU side (the browser's executable
 * and its size and time, the adapter asked for, the GPUs the OS lists). A change in any of them
 * is a different key, so the old figures are simply not found. Entries older than
 * PROBE_CACHE_MAX_AGE_DAYS are measured again (a driver update the key cannot see), and the
 * ladder drops an entry whose winner then fails to start or starts on another adapter.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelSpec } from '../shared/spec.js';
import type { ProbeFigure } from '../shared/runs.js';

export const PROBE_CACHE_FILE = 'probe-cache.json';
export const PROBE_CACHE_MAX_AGE_DAYS = 30;
/** Entries kept (the most recently measured). */
const MAX_ENTRIES = 200;

const Figure = z.object({
  backend: z.string().max(100), samplesPerSecond: z.number().min(0).nullable(),
  device: z.string().max(1000).optional(), reason: z.string().max(2000).optional(),
}).strict();

const Entry = z.object({
  key: z.string().regex(/^[0-9a-f]{64}$/),
  measuredAt: z.string().datetime(),
  figures: z.array(Figure).min(1).max(20),
  /** What the key was made of, for a person reading the file. */
  machine: z.record(z.string(), z.string().max(2000)),
}).strict();
export type ProbeCacheEntry = z.infer<typeof Entry>;

const CacheFile = z.object({ version: z.literal(1), entries: z.array(Entry).max(MAX_ENTRIES) }).strict();

/** What sets a training step's speed: the model's shape and the batch, not its seeds or epochs. */
export function modelFingerprint(spec: ModelSpec, path: 'fast' | 'stock'): unknown {
  return { inputShape: spec.inputShape, layers: spec.layers, optimizer: spec.optimizer.type, loss: spec.loss, batchSize: spec.training.batchSize, path };
}

/** The machine's side of the key; `gpu` names the browser and adapter (GpuHost.identity). */
export function machineIdentity(app: string, gpu: string): Record<string, string> {
  const cpu = cpus();
  return {
    app, gpu,
    node: process.versions.node, electron: process.versions.electron ?? '',
    os: `${platform()} ${arch()}`, cpu: `${cpu[0]?.model ?? 'unknown'} × ${cpu.length}`,
  };
}

export function probeKey(spec: ModelSpec, path: 'fast' | 'stock', machine: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify({ model: modelFingerprint(spec, path), machine })).digest('hex');
}

function readAll(home: string): ProbeCacheEntry[] {
  try {
    const parsed = CacheFile.safeParse(JSON.parse(readFileSync(join(home, PROBE_CACHE_FILE), 'utf8')));
    return parsed.success ? parsed.data.entries : [];
  } catch {
    return [];
  }
}

function writeAll(home: string, entries: ProbeCacheEntry[]): void {
  const file = join(home, PROBE_CACHE_FILE);
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ version: 1, entries }, null, 1));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs the next run a probe.
    rmSync(tmp, { force: true });
  }
}

/** The entry for `key` measured within the last PROBE_CACHE_MAX_AGE_DAYS, or null. */
export function readProbeCache(home: string, key: string, now = new Date()): ProbeCacheEntry | null {
  const e = readAll(home).find((x) => x.key === key);
  if (!e) return null;
  const age = now.getTime() - Date.parse(e.measuredAt);
  return age >= 0 && age <= PROBE_CACHE_MAX_AGE_DAYS * 86_400_000 ? e : null;
}

export function writeProbeCache(home: string, entry: { key: string; measuredAt: string; figures: ProbeFigure[]; machine: Record<string, string> }): void {
  const parsed = Entry.safeParse(entry);
  if (!parsed.success) return;
  const rest = readAll(home).filter((x) => x.key !== entry.key);
  writeAll(home, [parsed.data, ...rest].slice(0, MAX_ENTRIES));
}

export function dropProbeCache(home: string, key: string): void {
  const all = readAll(home);
  if (all.some((x) => x.key === key)) writeAll(home, all.filter((x) => x.key !== key));
}

/**
 * The GPUs the operating system lists, where that is cheap to read (Linux: each DRM card's PCI
 * vendor and device, and the NVIDIA driver's version): a new card or driver is a new key.
 */
export function osGpuIdentity(): string {
  if (platform() !== 'linux') return '';
  const parts: string[] = [];
  const read = (p: string) => { try { return readFileSync(p, 'utf8').trim(); } catch { return ''; } };
  try {
    for (const card of readdirSync('/sys/class/drm').filter((n) => /^card\d+$/.test(n)).sort()) {
      parts.push(`${card}:${read(`/sys/class/drm/${card}/device/vendor`)}:${read(`/sys/class/drm/${card}/device/device`)}`);
    }
  } catch { /* no DRM */ }
  const nvidia = read('/proc/driver/nvidia/version').split('\n')[0];
  if (nvidia) parts.push(nvidia);
  return parts.join(' ');
}
