/**
 * A small Fashion-MNIST for tests whose cost is per sample on a slow device (the GPU rungs on
 * SwiftShader): the first `train` and `test` samples of Debian's real files, as an IDX folder
 * that `layerlab train --dataset FOLDER` imports. Real data and the real importer, and a test set
 * small enough that scoring it takes seconds, not minutes (--limit keeps at least 1,000 test
 * samples of the full set).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

/** Writes the IDX folder under `dir` and returns its path. */
export function smallFashion(dir: string, counts: { train: number; test: number }): string {
  const out = join(dir, `fashion-${counts.train}-${counts.test}`);
  if (existsSync(out)) return out;
  mkdirSync(out, { recursive: true });
  const cut = (name: string, n: number, header: number, rowBytes: number) => {
    const all = gunzipSync(readFileSync(join(FASHION_DIR, `${name}.gz`)));
    const part = Buffer.from(all.subarray(0, header + n * rowBytes));
    part.writeUInt32BE(n, 4);
    writeFileSync(join(out, name), part);
  };
  for (const [split, n] of [['train', counts.train], ['t10k', counts.test]] as const) {
    cut(`${split}-images-idx3-ubyte`, n, 16, 784);
    cut(`${split}-labels-idx1-ubyte`, n, 8, 1);
  }
  return out;
}
