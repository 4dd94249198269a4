/** Tests that start real processes run the built bundle; `npm test` builds before testing. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const OUT_NODE = join(ROOT, 'out', 'node');
export const CLI = join(OUT_NODE, 'cli.js');

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first (npm test does)`);
}
