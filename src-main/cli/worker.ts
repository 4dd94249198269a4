/**
 * `layerlab worker --redis URL [--concurrency N] [--home DIR] [--name NAME] [--stall-seconds N]`:
 * this machine trains runs other Layerlabs put on a Redis queue. Ctrl+C (or SIGTERM) takes no more
 * runs and finishes those running; a second Ctrl+C leaves at once (the queue hands them to
 * another worker once they count as stalled).
 */
import { UserError } from '../shared/errors.js';
import { resolveHome } from '../data/home.js';
import { LadderHost } from '../workers/ladder-host.js';
import { NodeWorkerHost } from '../workers/node-host.js';
import { BrowserGpuHost } from '../workers/browser-host.js';
import { checkRedisUrl } from '../workers/redis/protocol.js';
import { HOME_OPTION, intOption, stringOption, type Options } from './args.js';

export const WORKER_OPTIONS: Options = {
  redis: { type: 'string' }, concurrency: { type: 'string' }, name: { type: 'string' }, 'stall-seconds': { type: 'string' },
  debug: { type: 'boolean' }, ...HOME_OPTION,
};

/** --redis, checked; the environment's LAYERLAB_REDIS when the flag is left out. */
export function redisOption(values: Record<string, unknown>, required: boolean): string | undefined {
  const url = stringOption(values, 'redis') ?? (process.env.LAYERLAB_REDIS || undefined);
  if (url === undefined) {
    if (required) throw new UserError('worker: give the queue\'s address with --redis redis://[user:password@]host:port (or rediss:// for TLS)');
    return undefined;
  }
  return checkRedisUrl(url);
}

/** --local-workers N: this process takes runs from the queue too (N at a time); needs --redis. */
export function localWorkersOption(values: Record<string, unknown>): { localWorkers?: number } {
  const n = intOption(values, 'local-workers', 0);
  if (n && redisOption(values, false) === undefined) throw new UserError('--local-workers takes runs from a Redis queue: give its address with --redis too (or leave --local-workers out)');
  return n ? { localWorkers: n } : {};
}

export function stallSeconds(values: Record<string, unknown>): number | undefined {
  return intOption(values, 'stall-seconds', 1);
}

export async function workerCommand(values: Record<string, unknown>): Promise<number> {
  const url = redisOption(values, true)!;
  const concurrency = intOption(values, 'concurrency', 1) ?? 1;
  const stall = stallSeconds(values);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  // Loaded only here: bullmq and ioredis cost every other command's start ~0.4 s.
  const { startWorker } = await import('../workers/redis/worker.js');
  const worker = await startWorker({
    url, home: resolveHome(stringOption(values, 'home')), concurrency,
    host: new LadderHost(new NodeWorkerHost(), new BrowserGpuHost()),
    ...(stall ? { stallMs: stall * 1000 } : {}), name: stringOption(values, 'name'), log,
  });
  await new Promise<void>((done) => {
    const first = () => {
      log('finishing the runs in progress, taking no more (Ctrl+C again to leave now; the queue retries them elsewhere)');
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      done();
    };
    process.once('SIGINT', first);
    process.once('SIGTERM', first);
  });
  await worker.close();
  return 0;
}
