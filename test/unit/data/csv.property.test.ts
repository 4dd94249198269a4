import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseCsvBytes, parseCsvSource, type CsvOptions } from '../../../src-main/data/formats/csv.js';
import { ImportError } from '../../../src-main/data/errors.js';
import type { ParsedDataset } from '../../../src-main/data/formats/types.js';

const enc = new TextEncoder();

/** Either a dataset that keeps every promise of ParsedDataset, or an ImportError; nothing else. */
function parseOrImportError(bytes: Uint8Array, options: CsvOptions = {}): ParsedDataset | ImportError {
  let d: ParsedDataset;
  try {
    d = parseCsvBytes('fuzz.csv', bytes, options);
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    expect(err.message.startsWith('fuzz.csv: ')).toBe(true);
    return err;
  }
  const size = d.featureShape.reduce((a, b) => a * b, 1);
  expect(size).toBeGreaterThan(0);
  expect(d.classNames.length).toBeGreaterThanOrEqual(2);
  expect(new Set(d.classNames).size).toBe(d.classNames.length);
  expect(d.train.count).toBeGreaterThan(0);
  expect(d.train.x.length).toBe(d.train.count * size);
  expect(d.train.y.length).toBe(d.train.count);
  for (const v of d.train.y) expect(v >= 0 && v < d.classNames.length).toBe(true);
  for (const v of d.train.x) expect(Number.isFinite(v)).toBe(true);
  return d;
}

/** Parses with tiny chunks, so rows, quotes and CRLFs fall across chunk boundaries. */
function parseChunked(bytes: Uint8Array, chunk: number): ParsedDataset {
  return parseCsvSource('fuzz.csv', bytes.length, (b, o, l, p) => {
    const n = Math.max(0, Math.min(l, bytes.length - p));
    b.set(bytes.subarray(p, p + n), o);
    return n;
  }, {}, undefined, chunk);
}

function outcome(f: () => ParsedDataset): unknown {
  try {
    const d = f();
    return { ...d, train: { x: Array.from(d.train.x), y: Array.from(d.train.y), type: d.train.x.constructor.name } };
  } catch (err) {
    return (err as Error).message;
  }
}

/** Cells users' files hold: numbers in several spellings, labels with quotes, delimiters, newlines. */
const numberCell = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map(String),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }).map(String),
  fc.constantFrom('1e3', '-0.5', '.25', ' 7', '5.'),
);
const labelCell = fc.oneof(fc.integer({ min: 0, max: 4 }).map(String), fc.constantFrom('setosa', 'a,b', 'say "hi"', 'two\nlines', 'ünï'));
const quote = (s: string, d: string) => (/[",\n\r;|\t]/.test(s) || s.includes(d) ? `"${s.replaceAll('"', '""')}"` : s);

const table = fc.record({
  features: fc.integer({ min: 1, max: 5 }),
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  newline: fc.constantFrom('\n', '\r\n'),
  header: fc.boolean(),
  bom: fc.boolean(),
}).chain((t) => fc.record({
  t: fc.constant(t),
  rows: fc.array(fc.tuple(fc.array(numberCell, { minLength: t.features, maxLength: t.features }), labelCell), { minLength: 1, maxLength: 12 }),
}));

function render({ t, rows }: fc.Arbitrary<unknown> extends never ? never : { t: { features: number; delimiter: string; newline: string; header: boolean; bom: boolean }; rows: [string[], string][] }): string {
  const lines = rows.map(([f, l]) => [...f, l].map((c) => quote(c, t.delimiter)).join(t.delimiter));
  if (t.header) lines.unshift([...Array.from({ length: t.features }, (_, i) => `f${i}`), 'label'].join(t.delimiter));
  return `${t.bom ? '\ufeff' : ''}${lines.join(t.newline)}${t.newline}`;
}

/** A mutation a file can suffer: bytes cut, inserted, replaced, or the file truncated. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 4 }) }),
  fc.record({ kind: fc.constant('special' as const), at: fc.nat(), byte: fc.constantFrom(0x22, 0x2c, 0x0a, 0x0d, 0x3b, 0x09, 0x7c, 0x00, 0xef, 0xff, 0x31, 0x61) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = Array.from(bytes);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    if (m.kind === 'insert') b.splice(at, 0, ...m.bytes);
    else if (m.kind === 'special') b.splice(at, 0, m.byte);
    else if (m.kind === 'delete') b.splice(at, m.n);
    else b = b.slice(0, at);
  }
  return Uint8Array.from(b);
}

describe('CSV parser under random input', () => {
  it('random bytes: a valid dataset or an ImportError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => { parseOrImportError(bytes); }), { numRuns: 2000 });
  });

  it('random text from CSV characters: a valid dataset or an ImportError', () => {
    const chars = fc.constantFrom('0', '1', '2', '9', '.', '-', 'e', 'a', ',', ';', '\t', '|', '"', '\n', '\r', ' ', '\ufeff');
    fc.assert(fc.property(fc.array(chars, { maxLength: 200 }), fc.option(fc.oneof(fc.nat(6), fc.constant('a'))), (cs, labelColumn) => {
      parseOrImportError(enc.encode(cs.join('')), labelColumn === null ? {} : { labelColumn });
    }), { numRuns: 2000 });
  });

  it('mutated valid files: a valid dataset or an ImportError', () => {
    fc.assert(fc.property(table, fc.array(mutation, { minLength: 1, maxLength: 4 }), (tab, ms) => {
      parseOrImportError(mutate(enc.encode(render(tab)), ms));
    }), { numRuns: 1500 });
  });

  it('well-formed tables round-trip: every number and label comes back', () => {
    fc.assert(fc.property(table, (tab) => {
      const got = parseOrImportError(enc.encode(render(tab)));
      const labels = new Set(tab.rows.map(([, l]) => l.trim()));
      if (labels.size < 2) { expect(got).toBeInstanceOf(ImportError); return; }
      if (got instanceof ImportError) {
        // Only a headerless table can be misread: its first row may look like a header.
        expect(tab.t.header).toBe(false);
        return;
      }
      const rows = tab.t.header || got.train.count === tab.rows.length ? tab.rows : tab.rows.slice(1);
      expect(got.train.count).toBe(rows.length);
      expect(Array.from(got.train.x)).toEqual(rows.flatMap(([f]) => f.map((c) => Math.fround(Number(c)))));
      expect(rows.map((_, i) => got.classNames[got.train.y[i]])).toEqual(rows.map(([, l]) => l.trim()).map((l) => got.classNames.find((n) => n === l || Number(n) === Number(l))));
    }), { numRuns: 1000 });
  });

  it('chunk boundaries do not change the result', () => {
    fc.assert(fc.property(table, fc.array(mutation, { maxLength: 2 }), fc.integer({ min: 1, max: 17 }), (tab, ms, chunk) => {
      const bytes = mutate(enc.encode(render(tab)), ms);
      expect(outcome(() => parseChunked(bytes, chunk))).toEqual(outcome(() => parseCsvBytes('fuzz.csv', bytes)));
    }), { numRuns: 1500 });
  });
});
