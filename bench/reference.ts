/** Where the yardsticks live and whether Debian's Python has what they need. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const REFERENCE_DIR = process.env.LAYERLAB_REFERENCE_DIR ?? join(import.meta.dirname, '..', '..', 'shared', 'reference');

export function pythonHas(module: string): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
