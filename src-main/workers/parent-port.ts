/**
 * The worker's side of the channel to the service: child_process IPC under Node, the parentPort
 * under Electron's utilityProcess. Worker code uses only these two functions.
 */
import { Worker } from 'node:worker_threads';

interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

function electronPort(): ElectronParentPort | undefined {
  return (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
}

/**
 * Sends a message to the service. `sent` runs once it has left this process (child_process: when the
 * channel has taken all of it, which for a message of megabytes is later than the call returns), so
 * a worker that exits in `sent` never cuts off its own last message.
 */
export function sendToParent(message: unknown, sent?: () => void): void {
  const port = electronPort();
  if (port) {
    port.postMessage(message);
    if (sent) setTimeout(sent, 50);
  } else if (process.send) {
    process.send(message as object, undefined, {}, () => sent?.());
  } else sent?.();
}

export function onParentMessage(listener: (message: unknown) => void): void {
  const port = electronPort();
  if (port) port.on('message', (e) => listener(e.data));
  else process.on('message', listener);
}

/**
 * Exit when the service goes away, so no worker outlives a crashed CLI or app: on the channel's
 * close, and, since a worker busy in a long synchronous parse never sees that event, from a watch
 * thread that kills this process as soon as it is handed to another parent (its own died).
 */
export function exitWithParent(): void {
  if (!electronPort()) process.on('disconnect', () => process.exit(0));
  try {
    const watch = new Worker(WATCH, { eval: true, workerData: { ppid: process.ppid, pid: process.pid } });
    watch.unref();
    watch.on('error', () => undefined);
  } catch {
    // No threads here: the channel's close is the only signal.
  }
}

/** The watch thread: polls the parent pid (a cheap system call) four times a second. */
const WATCH = `
const { workerData } = require('node:worker_threads');
setInterval(() => { if (process.ppid !== workerData.ppid) process.kill(workerData.pid, 'SIGKILL'); }, 250);
`;
