/**
 * The `layerlab` command's entry: for `train`, a trainer process is forked first (it then loads
 * TensorFlow.js and its backend beside this process loading the CLI, instead of after it), then
 * the CLI itself is loaded. See node-host.ts (prestartTrainer) and docs/architecture.md (start-up).
 */
import { prestartTrainer } from '../workers/node-host.js';
import { trace } from '../workers/trace.js';

trace('cli: entry');
if (trainsHere(process.argv.slice(2))) {
  try {
    prestartTrainer();
  } catch {
    // No built trainer beside the CLI: the service forks one when the run starts, and says why.
  }
}
await import('./main.js');

/**
 * Whether this command will train in a local trainer process: `train`, unless it trains through a
 * Redis queue or on a GPU rung (a browser page), or only asks for help. A wrong guess costs a
 * trainer started for nothing, or started later: never a different result.
 */
export function trainsHere(argv: string[]): boolean {
  if (argv[0] !== 'train') return false;
  const backendAt = argv.findIndex((a) => a === '--backend' || a.startsWith('--backend='));
  const backend = backendAt < 0 ? 'auto' : argv[backendAt].includes('=') ? argv[backendAt].split('=')[1] : argv[backendAt + 1];
  return !argv.some((a) => a === '--redis' || a.startsWith('--redis=') || a === '--help' || a === '-h') && backend !== 'webgpu' && backend !== 'webgl';
}
