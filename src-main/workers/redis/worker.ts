/**
 * `layerlab worker --redis URL`: takes training runs from the Redis queue and trains each with
 * this machine's own trainer (the backend ladder, GPU where there is one), reporting every
 * message back to the run's owner on its stream. A job is parsed and checked before anything
 * runs: its format and Layerlab version must be this worker's, its dataset's content hash the one
 * the worker has (or fetches and checks); otherwise the job is refused with the reason, which the
 * owner records as the run's error.
 */
import { Redis } from 'ioredis';
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import { hostname } from 'node:os';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeExit, type ExitInfo, type WorkerHost } from '../host.js';
import type { TrainerMessage, TrainerRequest } from '../protocol.js';
import { parseModelSpec, describeSpecErrors } from '../../shared/spec.js';
import { toDatasetRef } from '../../shared/dataset-ref.js';
import { LAYERLAB_VERSION } from '../../shared/version.js';
import { JOB_FORMAT, QUEUE_NAME, RemoteJobSchema, keys, redactUrl, type Report, type WorkerExtra, type WorkerIdentity } from './protocol.js';
import { connectOrExplain, describeRedisError, redisOptions } from './host.js';
import { cleanRemoteTemps, prepareDataset } from './datasets.js';

export interface WorkerOptions {
  url: string;
  home: string;
  concurrency: number;
  /** Trainers of this machine. */
  host: WorkerHost;
  /** Seconds without a lock renewal after which a job counts as stalled and goes to another worker. */
  stallMs?: number;
  name?: string;
  /** One line per event (a run taken, finished, refused; Redis lost and back). */
  log: (line: string) => void;
}

export interface RunningWorker {
  /** Takes no more jobs; waits for those running (or stops them when `now`). */
  close(now?: boolean): Promise<void>;
  readonly identity: WorkerIdentity;
}

/** How often a running job looks for its owner's stop request. */
const STOP_POLL_MS = 1000;

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const identity: WorkerIdentity = { host: hostname(), pid: process.pid, name: o.name ?? `${hostname()}:${process.pid}` };
  const stallMs = o.stallMs ?? 30_000;
  const cmd = await connectOrExplain(o.url, '--redis');
  cmd.removeAllListeners('error');
  let down = false;
  cmd.on('error', (err: Error) => {
    if (!down) o.log(`${describeRedisError(o.url, err)}: waiting for it; running runs go on and report when it is back`);
    down = true;
  });
  cmd.on('ready', () => { if (down) o.log(`Redis at ${redactUrl(o.url)} is back`); down = false; });
  mkdirSync(o.home, { recursive: true, mode: 0o700 });
  cleanRemoteTemps(o.home);
  const active = new Map<string, { stop: () => void }>();

  async function process_(job: Job): Promise<string> {
    const key = `${identity.name}:${job.id}:${randomBytes(4).toString('hex')}`;
    let seq = 0;
    const parsed = RemoteJobSchema.safeParse(job.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      o.log(`job ${job.id}: refused: not a Layerlab run (${issue.path.join('.') || 'job'}: ${issue.message})`);
      throw new UnrecoverableError(`not a Layerlab run (${issue.path.join('.') || 'job'}: ${issue.message})`);
    }
    const data = parsed.data;
    const { runId } = data;
    const report = (message: TrainerMessage | WorkerExtra): Promise<unknown> => {
      const r: Report = { runId, key, seq: seq++, worker: identity, message };
      return cmd.xadd(keys.results(data.owner), 'MAXLEN', '~', '100000', '*', 'r', JSON.stringify(r));
    };
    const refuse = async (why: string): Promise<never> => {
      o.log(`run ${runId}: refused: ${why}`);
      await report({ type: 'error', runId, error: { name: 'UserError', message: `worker ${identity.name} refused run ${runId}: ${why}` } });
      throw new UnrecoverableError(why);
    };
    if (data.format !== JOB_FORMAT || data.version !== LAYERLAB_VERSION) {
      await refuse(`it runs Layerlab ${LAYERLAB_VERSION}, the run was queued by Layerlab ${data.version}; install the same version on every machine`);
    }
    if (!(await cmd.exists(keys.owner(data.owner)))) {
      o.log(`run ${runId}: skipped: the Layerlab that queued it is gone`);
      return 'owner gone';
    }
    const spec = parseModelSpec(data.spec);
    if (!spec.ok) return refuse(`its model is not valid here (${describeSpecErrors(spec.errors)})`);
    const ref = toDatasetRef(data.dataset);
    if ('problem' in ref) return refuse(ref.problem);
    const prepared = await prepareDataset(o.home, ref, data.datasetHash, () => cmd.getBuffer(keys.dataset(data.datasetHash)));
    if ('refused' in prepared) return refuse(prepared.refused);

    const scratch = mkdtempSync(join(o.home, '.job-'));
    let initFrom: string | undefined;
    if (data.initModel) {
      initFrom = join(scratch, 'init');
      mkdirSync(initFrom);
      for (const [name, b64] of Object.entries(data.initModel)) writeFileSync(join(initFrom, name), Buffer.from(b64, 'base64'));
    }
    const modelDir = data.saveModel ? join(scratch, 'model') : undefined;
    const trainer = o.host.start('trainer');
    let ended: 'done' | 'error' | null = null;
    let outcome = '';
    const sends: Promise<unknown>[] = [];
    const stopTimer = setInterval(() => {
      void cmd.get(keys.stop(runId)).then((v) => { if (v) trainer.send({ type: 'stop' }); }, () => undefined);
    }, STOP_POLL_MS);
    active.set(runId, { stop: () => trainer.send({ type: 'stop' }) });
    o.log(`run ${runId}: taken (job ${job.id}, attempt ${job.attemptsStarted})`);
    try {
      const exit = await new Promise<ExitInfo>((resolve) => {
        trainer.onMessage((raw) => {
          const m = raw as TrainerMessage;
          if (m.runId !== runId) return;
          if (m.type === 'model') {
            const files: Record<string, string> = {};
            for (const name of m.files) files[name] = readFileSync(join(m.dir, name)).toString('base64');
            sends.push(report({ type: 'model-files', runId, files }));
            return;
          }
          if (m.type === 'started') o.log(`run ${runId}: training on ${m.backend} (${m.device})`);
          if (m.type === 'done') { ended = 'done'; outcome = m.status; }
          if (m.type === 'error') { ended = 'error'; outcome = `failed: ${m.error.message}`; }
          sends.push(report(m));
        });
        trainer.onExit(resolve);
        const request: TrainerRequest = {
          type: 'train', runId, spec: spec.spec, dataset: ref, home: prepared.home, limit: data.limit,
          backend: data.backend, path: data.path, modelDir, initFrom,
        };
        trainer.send(request);
      });
      if (!ended) {
        outcome = `failed: ${describeExit('trainer', exit)}`;
        sends.push(report({ type: 'error', runId, error: { name: 'Error', message: `on worker ${identity.name}: ${describeExit('trainer', exit)}` } }));
      }
      // Every report is in Redis before the job counts as done.
      await Promise.all(sends);
      o.log(`run ${runId}: ${outcome}`);
      return outcome;
    } finally {
      clearInterval(stopTimer);
      active.delete(runId);
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  const connection = new Redis(o.url, { ...redisOptions(), lazyConnect: false });
  connection.on('error', () => undefined);
  const worker = new Worker(QUEUE_NAME, process_, {
    connection, concurrency: o.concurrency, lockDuration: stallMs, stalledInterval: stallMs, maxStalledCount: 3,
  });
  const errors = new Set<string>();
  worker.on('error', (err) => {
    // BullMQ says the same thing at every retry while Redis is away: once is enough.
    if (errors.has(err.message)) return;
    errors.add(err.message);
    if (process.env.LAYERLAB_DEBUG) o.log(`queue: ${err.message}`);
  });
  await worker.waitUntilReady();
  o.log(`worker ${identity.name} (Layerlab ${LAYERLAB_VERSION}) takes runs from ${redactUrl(o.url)}, ${o.concurrency} at a time; data folder ${o.home}`);
  return {
    identity,
    async close(now = false): Promise<void> {
      if (now) for (const a of active.values()) a.stop();
      await worker.close();
      connection.disconnect();
      cmd.disconnect();
    },
  };
}
