/**
 * The `layerlab` command's entry: for `train`, a trainer process is forked first (it then loads
 * TensorFlow.js and its backend beside this process loading the CLI, instead of after it), then
 * the CLI itself is loaded. See node-host.ts (prestartTrainer) and docs/architecture.md (start-up).
 */
import { prestartTrainer } from '../workers/node-host.js';
import { trace } from '../workers/trace.js';
import { trainsHere } from './prestart.js';

trace('cli: entry');
if (trainsHere(process.argv.slice(2))) {
  try {
    prestartTrainer();
  } catch {
    // No built trainer beside the CLI: the service forks one when the run starts, and says why.
  }
}
await import('./main.js');
