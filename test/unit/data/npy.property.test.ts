import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpy } from '../../../src-main/data/formats/npy.js';
import { ImportError } from '../../../src-main/data/errors.js';

const dir = join(import.meta.dirname, '../../fixtures/npy');
const seeds = ['x_f4.npy', 'x_be_f8.npy', 'x_u1.npy', 'ints_bei8.npy', 'fortran.npy', 'object.npy'].map((f) => readFileSync(join(dir, f)));

/** Parses and reports only what matters: a result, an ImportError, or anything else (a bug). */
function outcome(bytes: Uint8Array): 'ok' | 'import-error' {
  try {
    parseNpy({ file: 'fuzz.npy' }, bytes, 2 ** 24);
    return 'ok';
  } catch (err) {
    if (err instanceof ImportError && err.file === 'fuzz.npy') return 'import-error';
    throw err;
  }
}

function npy(header: string, data: Uint8Array): Uint8Array {
  const text = Buffer.from(header + '\n', 'latin1');
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  pre.writeUInt16LE(text.length, 8);
  return Buffer.concat([pre, text, data]);
}

const mutation = fc.record({
  seed: fc.nat(seeds.length - 1),
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
});

describe('npy: any bytes give a result or an ImportError', () => {
  it('random bytes, with and without the magic', () => {
    const magic = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, withMagic) => {
      expect(['ok', 'import-error']).toContain(outcome(withMagic ? Buffer.concat([magic, bytes]) : bytes));
    }), { numRuns: 500 });
  });

  it('numpy files with bytes overwritten or cut short', () => {
    fc.assert(fc.property(mutation, ({ seed, flips, cut }) => {
      const bytes = Buffer.from(seeds[seed]);
      for (const [at, v] of flips) bytes[at % bytes.length] = v;
      expect(['ok', 'import-error']).toContain(outcome(cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1))));
    }), { numRuns: 1000 });
  });

  it('headers made of the right words in any order', () => {
    const word = fc.constantFrom("'descr'", "'shape'", "'fortran_order'", "'<f4'", "'|u1'", "'>i8'", "'O'", 'True', 'False',
      '(', ')', '{', '}', ',', ':', '[', ']', '3', '0', '4294967296', '99999999999999', "'", 'L', ' ', '\\');
    fc.assert(fc.property(fc.array(word, { maxLength: 30 }), fc.uint8Array({ maxLength: 64 }), (words, data) => {
      expect(['ok', 'import-error']).toContain(outcome(npy(words.join(''), data)));
    }), { numRuns: 1000 });
  });

  it('valid arrays of every dtype read back exactly', () => {
    const dtype = fc.constantFrom('|u1', '|i1', '<u2', '>i2', '<i4', '>u4', '<i8', '>i8', '<f4', '>f4', '<f8', '>f8');
    const shape = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 });
    fc.assert(fc.property(dtype, shape, fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 64, maxLength: 64 }), (dt, dims, pool) => {
      const count = dims.reduce((a, b) => a * b, 1);
      const size = Number(dt.slice(2));
      const unsigned = dt[1] === 'u';
      const values = Array.from({ length: count }, (_, i) => (unsigned ? Math.abs(pool[i % 64]) : pool[i % 64]));
      const data = new Uint8Array(count * size);
      const view = new DataView(data.buffer);
      const le = dt[0] !== '>';
      values.forEach((v, i) => {
        const o = i * size;
        switch (dt.slice(1)) {
          case 'u1': view.setUint8(o, v); break;
          case 'i1': view.setInt8(o, v); break;
          case 'u2': view.setUint16(o, v, le); break;
          case 'i2': view.setInt16(o, v, le); break;
          case 'i4': view.setInt32(o, v, le); break;
          case 'u4': view.setUint32(o, v, le); break;
          case 'i8': view.setBigInt64(o, BigInt(v), le); break;
          case 'f4': view.setFloat32(o, v, le); break;
          default: view.setFloat64(o, v, le);
        }
      });
      const shapeText = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
      const a = parseNpy({ file: 'ok.npy' }, npy(`{'descr': '${dt}', 'fortran_order': False, 'shape': ${shapeText}, }`, data));
      expect(a.shape).toEqual(dims);
      expect(Array.from(a.data)).toEqual(values);
      expect(a.data).toBeInstanceOf(dt === '|u1' ? Uint8Array : Float32Array);
    }), { numRuns: 500 });
  });
});
