/**
 * Tests that start real processes (the CLI, trainer and importer workers, `layerlab serve`) run the
 * built bundle in out/, so `npm test` builds first; this only checks the build is there.
 */
import { existsSync } from 'node:fs';

export default function setup(): void {
  if (!existsSync('out/node/cli.js')) {
    throw new Error('out/node/cli.js is missing: run `npm run build` first (npm test does it for you)');
  }
}
