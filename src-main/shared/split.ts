import { mulberry32, permutation } from './random.js';

/**
 * The train/validation split of `n` samples: a seeded permutation, the first part for training and
 * the rest for validation (like scikit-learn's train_test_split, which the textbook uses).
 * `limit` keeps only the first `limit` training samples, for quick runs; validation is kept whole
 * unless it is larger than the limit, then it is cut to a quarter of the limit (at least 1).
 */
export function splitIndices(n: number, validationSplit: number, splitSeed: number, limit?: number): { train: Int32Array; val: Int32Array } {
  const perm = permutation(n, mulberry32(splitSeed));
  const valCount = Math.round(n * validationSplit);
  let train = perm.subarray(0, n - valCount);
  let val = perm.subarray(n - valCount);
  if (limit !== undefined && limit < train.length) {
    train = train.subarray(0, limit);
    const valLimit = Math.max(1, Math.ceil(limit / 4));
    if (val.length > valLimit) val = val.subarray(0, valLimit);
  }
  return { train: Int32Array.from(train), val: Int32Array.from(val) };
}
