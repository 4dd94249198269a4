/**
 * Whether @tensorflow/tfjs-node-gpu is installed with its native binding (lib/napi-v…/tfjs_binding.node;
 * its install script downloads it). No TensorFlow.js import here: the worker host asks before it
 * picks the trainer bundle (node-host.ts), the backend ladder before it imports the package.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function tensorflowBindingPresent(): boolean {
  try {
    const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-node-gpu/package.json');
    // Inside a packaged app's asar the import is the test (its files may be unpacked elsewhere).
    if (pkg.includes('.asar')) return true;
    const lib = join(dirname(pkg), 'lib');
    return existsSync(lib) && readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(join(lib, d, 'tfjs_binding.node')));
  } catch {
    return false;
  }
}
