/**
 * The importer process: parses one untrusted file or folder into the dataset cache. A hostile
 * file can at worst crash or exhaust this process; the service reports the import failed.
 */
import { toErrorInfo } from '../shared/errors.js';
import { importPath } from '../data/import.js';
import { exitWithParent, onParentMessage, sendToParent } from './parent-port.js';
import type { ImporterMessage, ImporterRequest } from './protocol.js';

const send = (m: ImporterMessage) => sendToParent(m);

/** Sends the last message and exits once it has left: a big answer is never cut off by the exit. */
function finish(m: ImporterMessage): void {
  sendToParent(m, () => process.exit(0));
}

async function run(req: ImporterRequest): Promise<void> {
  const { importId } = req;
  try {
    let last = 0;
    const dataset = await importPath(req.home, req.path, req.options, (phase, done, total) => {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      send({ type: 'progress', importId, phase, done, total });
    });
    finish({ type: 'done', importId, dataset });
  } catch (err) {
    finish({ type: 'error', importId, error: toErrorInfo(err) });
  }
}

exitWithParent();
onParentMessage((raw) => {
  const msg = raw as ImporterRequest | { type: 'stop' };
  if (msg?.type === 'stop') process.exit(0);
  if (msg?.type === 'import') void run(msg);
});
