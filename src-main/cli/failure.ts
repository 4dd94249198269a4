/**
 * How the CLI reports a failure: one line on stderr, naming the file or field and what to do;
 * exit 2 when it is the user's to fix, 1 otherwise. The stack only with --debug.
 */
import { isUserError } from '../shared/errors.js';
import { flagMessage } from './flags.js';

export function reportFailure(err: unknown, debug: boolean): number {
  const user = isUserError(err);
  const message = err instanceof Error ? err.message : String(err);
  if (debug && err instanceof Error && err.stack) {
    process.stderr.write(`layerlab: ${err.stack}\n`);
    return user ? 2 : 1;
  }
  const line = (user && err instanceof Error && err.name === 'ContractError' ? flagMessage(message) : message).split('\n')[0];
  process.stderr.write(user ? `layerlab: ${line}\n` : `layerlab: internal error: ${line} (run again with --debug for the details)\n`);
  return user ? 2 : 1;
}
