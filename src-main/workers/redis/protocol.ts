/**
 * Runs on a Redis queue (BullMQ), between the service that owns a run (it alone writes its
 * history) and `layerlab worker` processes on any machine. One BullMQ queue holds the jobs; each
 * owner reads its workers' reports from a Redis stream of its own; datasets travel by content
 * hash. Everything a worker takes from Redis is parsed here before it is used: a worker trains
 * nothing but a validated job.
 */
import { z } from 'zod';
import { BACKEND_CHOICES } from '../../shared/backends.js';
import { UserError } from '../../shared/errors.js';
import { message } from '../../shared/messages.js';
import type { TrainerMessage } from '../protocol.js';

/** The BullMQ queue every owner and worker of one Redis share. */
export const QUEUE_NAME = 'layerlab-runs';
/** The job format: a worker refuses others. */
export const JOB_FORMAT = 1;
/** Redis keys besides BullMQ's own (which live under bull:<queue>:). */
export const keys = {
  /** An owner's stream of reports, read only by it. */
  results: (owner: string) => `layerlab:results:${owner}`,
  /** Set while the owner is alive (refreshed; expires): a worker skips runs whose owner is gone. */
  owner: (owner: string) => `layerlab:owner:${owner}`,
  /** A dataset's bundle by the sha256 of its contents. */
  dataset: (hash: string) => `layerlab:dataset:${hash}`,
  /** Set when the owner asks a running run to stop. */
  stop: (runId: string) => `layerlab:stop:${runId}`,
};

const base64 = z.string().max(700_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const RemoteJobSchema = z.object({
  format: z.literal(JOB_FORMAT),
  version: z.string().max(50),
  owner: z.string().regex(/^[a-z0-9-]{8,64}$/),
  runId: z.string().regex(/^[0-9a-z]{8,40}$/),
  /** A ModelSpec; parsed by parseModelSpec on the worker. */
  spec: z.unknown(),
  /** A dataset id (fashion-mnist, iris-3fa9c2). */
  dataset: z.string().min(1).max(200),
  datasetHash: z.string().regex(/^[0-9a-f]{64}$/),
  limit: z.number().int().positive().optional(),
  backend: z.enum(BACKEND_CHOICES),
  path: z.enum(['fast', 'stock']),
  saveModel: z.boolean(),
  /** Continued training: the saved model to start from. */
  initModel: z.object({ 'model.json': base64, 'weights.bin': base64 }).strict().optional(),
}).strict();
export type RemoteJob = z.infer<typeof RemoteJobSchema>;

/** The worker as it names itself in reports. */
export interface WorkerIdentity { host: string; pid: number; name: string }

/** What a worker sends on top of the trainer's messages. */
export type WorkerExtra =
  /** The trained model's files (the trainer's 'model' message names a folder on the worker's machine). */
  | { type: 'model-files'; runId: string; files: Record<string, string> };

/** One report: `key` names the attempt (one worker's one try at the run), `seq` orders it. */
export interface Report {
  runId: string;
  key: string;
  seq: number;
  worker: WorkerIdentity;
  message: TrainerMessage | WorkerExtra;
}

const MESSAGE_TYPES = ['started', 'batch', 'epoch', 'marks', 'evaluation', 'model-files', 'regions', 'done', 'error'] as const;

/**
 * A report read from the stream, checked for its shape (the fields the owner acts on); null for
 * anything else. The owner commits only reports of runs it queued.
 */
export function parseReport(text: string): Report | null {
  let r: unknown;
  try { r = JSON.parse(text); } catch { return null; }
  if (typeof r !== 'object' || r === null) return null;
  const o = r as Record<string, unknown>;
  const m = o.message as Record<string, unknown> | undefined;
  const w = o.worker as Record<string, unknown> | undefined;
  if (typeof o.runId !== 'string' || typeof o.key !== 'string' || !Number.isInteger(o.seq) || !m || typeof m !== 'object') return null;
  if (!w || typeof w.host !== 'string' || typeof w.name !== 'string' || !Number.isInteger(w.pid)) return null;
  if (!(MESSAGE_TYPES as readonly unknown[]).includes(m.type) || m.runId !== o.runId) return null;
  if (m.type === 'epoch' && !['epoch', 'loss', 'accuracy', 'valLoss', 'valAccuracy', 'seconds', 'samplesPerSecond'].every((k) => typeof m[k] === 'number' || m[k] === null)) return null;
  if (m.type === 'started' && (typeof m.backend !== 'string' || typeof m.device !== 'string' || !Array.isArray(m.skipped))) return null;
  if (m.type === 'model-files' && (typeof m.files !== 'object' || m.files === null)) return null;
  if (m.type === 'error' && (typeof m.error !== 'object' || m.error === null || typeof (m.error as { message?: unknown }).message !== 'string')) return null;
  // JSON has no NaN: an epoch without validation comes as null and is NaN again here.
  if (m.type === 'epoch') for (const k of ['loss', 'accuracy', 'valLoss', 'valAccuracy', 'samplesPerSecond']) if (m[k] === null) m[k] = NaN;
  return r as Report;
}

/** A Redis address as it may be shown: the password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable address)';
  }
}

/**
 * Checks a --redis value: redis:// or rediss:// (TLS), with an optional user and password.
 * @returns the value; throws a one-line error naming the flag otherwise.
 */
export function checkRedisUrl(url: string, flag = '--redis'): string {
  let u: URL;
  try { u = new URL(url); } catch {
    throw new UserError(message('queue.notAddress', { field: flag, url: url.slice(0, 200) }));
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UserError(message('queue.notRedis', { field: flag, url: redactUrl(url), protocol: u.protocol }));
  }
  if (!u.hostname) throw new UserError(message('queue.noHost', { field: flag, url: redactUrl(url) }));
  return url;
}
