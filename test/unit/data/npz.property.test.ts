import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpz } from '../../../src-main/data/formats/npz.js';
import { ImportError } from '../../../src-main/data/errors.js';

const dir = join(import.meta.dirname, '../../fixtures/npy');
const seeds = ['mnist.npz', 'xy.npz', 'named.npz'].map((f) => readFileSync(join(dir, f)));

function outcome(bytes: Uint8Array): 'ok' | 'import-error' {
  try {
    parseNpz('fuzz.npz', bytes, { maxMemberBytes: 2 ** 20 });
    return 'ok';
  } catch (err) {
    if (err instanceof ImportError && err.file === 'fuzz.npz') return 'import-error';
    throw err;
  }
}

/** Offsets of the zip structures in a seed, so mutations land where parsers are most fragile. */
function structureOffsets(bytes: Buffer): number[] {
  const out: number[] = [];
  for (const sig of [0x04034b50, 0x02014b50, 0x06054b50]) {
    for (let o = 0; o + 4 <= bytes.length; o++) if (bytes.readUInt32LE(o) === sig) for (let k = 0; k < 46; k++) out.push(o + k);
  }
  return out;
}
const hot = seeds.map(structureOffsets);

describe('npz: any bytes give a result or an ImportError', () => {
  it('random bytes, and random bytes ending in an end-of-central-directory record', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.uint8Array({ minLength: 18, maxLength: 18 }), fc.boolean(), (body, tail, withEnd) => {
      const end = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), tail]);
      if (withEnd) end.writeUInt16LE(0, 16); // no comment, so the record is found
      expect(['ok', 'import-error']).toContain(outcome(withEnd ? Buffer.concat([body, end]) : body));
    }), { numRuns: 500 });
  });

  it('numpy archives with bytes overwritten (often inside zip headers) or cut short', () => {
    const mutation = fc.record({
      seed: fc.nat(seeds.length - 1),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), { minLength: 1, maxLength: 6 }),
      cut: fc.option(fc.nat(), { nil: undefined, freq: 4 }),
    });
    fc.assert(fc.property(mutation, ({ seed, flips, cut }) => {
      const bytes = Buffer.from(seeds[seed]);
      for (const [at, v, inHeader] of flips) {
        const o = inHeader ? hot[seed][at % hot[seed].length] : at % bytes.length;
        bytes[o] = v;
      }
      expect(['ok', 'import-error']).toContain(outcome(cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1))));
    }), { numRuns: 1500 });
  });

  it('32-bit fields set to extreme values', () => {
    fc.assert(fc.property(fc.nat(seeds.length - 1), fc.nat(), fc.constantFrom(0, 1, 0xffff, 0xffffffff, 0x7fffffff, 0x80000000), (seed, at, v) => {
      const bytes = Buffer.from(seeds[seed]);
      const o = hot[seed][at % hot[seed].length];
      if (o + 4 <= bytes.length) bytes.writeUInt32LE(v, o);
      expect(['ok', 'import-error']).toContain(outcome(bytes));
    }), { numRuns: 1000 });
  });
});
