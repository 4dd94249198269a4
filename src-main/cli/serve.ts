/**
 * `layerlab serve`: the app in a browser. Loopback only unless asked twice (`--host ADDR
 * --allow-remote`), and then with a warning: the traffic is plain HTTP, the token travels in it.
 * A page names files by upload, or inside `--import-root` when given.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../shared/errors.js';
import { Service } from '../service/service.js';
import { resolveHome } from '../data/home.js';
import { serve, isLoopback } from '../server/server.js';
import { HOME_OPTION, stringOption, type Options } from './args.js';
import { localWorkersOption, redisOption, stallSeconds } from './worker.js';
import { redactUrl } from '../workers/redis/protocol.js';
import { messageText } from '../shared/messages.js';

export const SERVE_OPTIONS: Options = {
  port: { type: 'string' }, host: { type: 'string' }, 'allow-remote': { type: 'boolean' }, 'import-root': { type: 'string' },
  'max-upload-mb': { type: 'string' }, redis: { type: 'string' }, 'stall-seconds': { type: 'string' }, 'local-workers': { type: 'string' }, debug: { type: 'boolean' }, ...HOME_OPTION,
};

function portOption(values: Record<string, unknown>): number {
  const v = stringOption(values, 'port');
  if (v === undefined) return 7860;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new UserError(`--port: '${v}' is not a port number (0 to 65535; 0 picks a free one)`);
  return n;
}

export async function serveCommand(values: Record<string, unknown>, staticDir: string): Promise<number> {
  const port = portOption(values);
  const host = stringOption(values, 'host') ?? '127.0.0.1';
  const remote = !isLoopback(host);
  if (remote && values['allow-remote'] !== true) {
    throw new UserError(`--host ${host}: other machines could reach Layerlab over plain HTTP; to allow that, add --allow-remote (or leave --host out for this machine only)`);
  }
  const rootFlag = stringOption(values, 'import-root');
  const importRoot = rootFlag === undefined ? undefined : resolve(rootFlag);
  if (importRoot !== undefined && !statSync(importRoot, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError(`--import-root ${rootFlag}: no such folder`);
  }
  const maxRaw = stringOption(values, 'max-upload-mb');
  const maxMb = maxRaw === undefined ? undefined : Number(maxRaw);
  if (maxMb !== undefined && !(/^\d+$/.test(maxRaw!) && maxMb >= 1)) throw new UserError(`--max-upload-mb: '${maxRaw}' is not a whole number of megabytes (1 or more)`);
  const redis = redisOption(values, false);
  const stall = stallSeconds(values);
  const localWorkers = localWorkersOption(values);
  const service = new Service({
    home: resolveHome(stringOption(values, 'home')), savedQueue: true, onQueueLine: (line: string) => process.stderr.write(`layerlab: ${line}\n`),
    ...(redis ? { redis: { url: redis, ...(stall ? { stallSeconds: stall } : {}), ...localWorkers, onStatus: (line: string) => process.stderr.write(`layerlab: ${line}\n`) } } : {}),
  });
  await service.start();
  let server;
  try {
    server = await serve({ service, staticDir, port, host, importRoot, allowRemote: remote, ...(maxMb ? { maxUploadBytes: maxMb * 1048576 } : {}) });
  } catch (err) {
    await service.close('quit');
    throw err;
  }
  if (remote) {
    process.stderr.write(`layerlab: warning: listening on ${host}: anyone who can reach this machine and learns the address below can use Layerlab; the connection is not encrypted\n`);
  }
  process.stdout.write(`Layerlab is running at ${server.url}\n(data folder: ${service.home}; press Ctrl+C to stop)\n`);
  const queue = service.queueSetting();
  if (redis) process.stdout.write(`runs go to the Redis queue at ${redactUrl(redis)}: start 'layerlab worker --redis …' on each machine that should train\n`);
  else if (queue.problem) process.stderr.write(`layerlab: warning: ${messageText(queue.problem)}\n`);
  else if (queue.url) process.stdout.write(`runs go to the Redis queue saved in Settings (${queue.url}): start 'layerlab worker --redis …' on each machine that should train\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await server.close();
  await service.close('quit');
  return 0;
}
