import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvBytes, parseCsvFile } from '../../../src-main/data/formats/csv.js';
import { ImportError } from '../../../src-main/data/errors.js';
import { messageText } from '../../../src-main/shared/messages.js';
import { detectDelimiter, detectHeader, isNumeric } from '../../../src-main/data/formats/csv-sniff.js';
import { parseNumberBytes } from '../../../src-main/data/formats/csv-store.js';

/** Fixtures written by pandas (test/fixtures/csv/make.py) and what each must import as. */
const DIR = join(import.meta.dirname, '../../fixtures/csv');
interface Expected { count: number; featureShape: number[]; classNames: string[]; y: number[]; x: number[]; dtype: 'uint8' | 'float32'; featureNames: string[] | null }
const EXPECTED = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { ok: Record<string, Expected>; errors: Record<string, string> };
const bytes = (s: string) => new TextEncoder().encode(s);

function thrown(f: () => unknown): Error {
  try { f(); } catch (err) { return err as Error; }
  throw new Error('expected a throw');
}

describe('CSV fixtures written by pandas', () => {
  it('covers every fixture file', () => {
    const files = readdirSync(DIR).filter((f) => /\.(csv|tsv)$/.test(f)).sort();
    expect(files).toEqual([...Object.keys(EXPECTED.ok), ...Object.keys(EXPECTED.errors)].sort());
  });

  for (const [name, want] of Object.entries(EXPECTED.ok)) {
    it(`imports ${name}`, () => {
      const progress: number[] = [];
      const d = parseCsvFile(join(DIR, name), {}, (done, total) => progress.push(done / total));
      expect(d.format).toBe('csv');
      expect(d.train.count).toBe(want.count);
      expect(d.featureShape).toEqual(want.featureShape);
      expect(d.classNames).toEqual(want.classNames);
      expect(Array.from(d.train.y)).toEqual(want.y);
      expect(d.train.x).toBeInstanceOf(want.dtype === 'uint8' ? Uint8Array : Float32Array);
      expect(Array.from(d.train.x)).toEqual(want.x.map((v) => Math.fround(v)));
      if (want.featureNames) expect(d.featureNames).toEqual(want.featureNames);
      expect(d.test).toBeUndefined();
      expect(progress.at(-1)).toBe(1);
      expect(d.sourceSha256).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  for (const [name, message] of Object.entries(EXPECTED.errors)) {
    it(`refuses ${name}: ${message}`, () => {
      const err = thrown(() => parseCsvFile(join(DIR, name)));
      expect(err).toBeInstanceOf(ImportError);
      expect(err.message.startsWith(`${join(DIR, name)}: `)).toBe(true);
      expect(err.message).toContain(message);
      // Coded, so a page says it in the user's language: the same English from the code and its parameters.
      const coded = (err as ImportError).coded;
      expect(coded?.code, name).toMatch(/^import\./);
      expect(messageText(coded!)).toBe(err.message);
      expect(coded!.params.file).toBe(join(DIR, name));
    });
  }

  it('notes what it detected', () => {
    const d = parseCsvFile(join(DIR, 'iris-with-index.csv'));
    expect(d.notes).toEqual(expect.arrayContaining(["delimiter: ','", 'header detected', "label column: 'species'"]));
    expect(d.notes.join('\n')).toContain('ignored row-number column');
    expect(parseCsvFile(join(DIR, 'iris-headerless.csv')).notes.join('\n')).toContain('the last column');
    expect(parseCsvFile(join(DIR, 'pixels-8x8.csv')).isImage).toBe(true);
    expect(parseCsvFile(join(DIR, 'iris.csv')).isImage).toBe(false);
  });
});

describe('CSV options', () => {
  const text = 'a,b,c,d\n1,2,3,0\n4,5,6,1\n7,8,9,1\n';

  it('takes the label column by name (any case) or by index', () => {
    expect(Array.from(parseCsvBytes('t.csv', bytes(text), { labelColumn: 'A' }).train.y)).toEqual([0, 1, 2]);
    const byIndex = parseCsvBytes('t.csv', bytes(text), { labelColumn: 1 });
    expect(byIndex.classNames).toEqual(['2', '5', '8']);
    expect(Array.from(byIndex.train.x)).toEqual([1, 3, 0, 4, 6, 1, 7, 9, 1]);
    expect(thrown(() => parseCsvBytes('t.csv', bytes(text), { labelColumn: 'nope' })).message).toContain("no column named 'nope'");
    expect(thrown(() => parseCsvBytes('t.csv', bytes(text), { labelColumn: 9 })).message).toContain('label column 9 does not exist');
  });

  it('applies an image shape whose product is the feature count', () => {
    const d = parseCsvBytes('t.csv', bytes('label,p1,p2,p3,p4,p5,p6\n0,1,2,3,4,5,6\n1,0,0,0,0,0,255\n'), { imageShape: [1, 2, 3] });
    expect(d.featureShape).toEqual([1, 2, 3]);
    expect(d.isImage).toBe(true);
    expect(thrown(() => parseCsvBytes('t.csv', bytes('label,p1,p2,p3\n0,1,2,3\n1,4,5,6\n'), { imageShape: [2, 2] })).message)
      .toContain('image shape [2, 2] holds 4 values but the file has 3 feature columns');
  });
});

describe('CSV details', () => {
  it('stores uint8 until a value does not fit, then float32 for all', () => {
    const d = parseCsvBytes('t.csv', bytes('x,y,label\n1,2,0\n255,0,1\n3,256,0\n'));
    expect(d.train.x).toBeInstanceOf(Float32Array);
    expect(Array.from(d.train.x)).toEqual([1, 2, 255, 0, 3, 256]);
  });

  it('reads rows split across chunks and rows longer than a chunk', () => {
    const width = 3000;
    const rows = Array.from({ length: 2000 }, (_, r) => [r % 3, ...Array.from({ length: width }, (_, j) => (r * 7 + j) % 256)].join(','));
    const text = `label,${Array.from({ length: width }, (_, j) => `f${j}`).join(',')}\r\n${rows.join('\r\n')}\r\n`;
    const d = parseCsvBytes('big.csv', bytes(text), { labelColumn: 'label' });
    expect(d.train.count).toBe(2000);
    expect(d.train.x[1999 * width + 5]).toBe((1999 * 7 + 5) % 256);
    expect(d.train.y[1999]).toBe(1999 % 3);
  });

  it('counts lines inside quoted fields in error messages', () => {
    const err = thrown(() => parseCsvBytes('t.csv', bytes('a,label\n1,"two\nlines"\n2,x\nfoo,y\n')));
    expect(err.message).toBe("t.csv: line 5, column 'a': 'foo' is not a number; features must be numeric (if this column holds the classes, choose it as the label column)");
  });

  it('refuses UTF-16 and a single column with advice', () => {
    expect(thrown(() => parseCsvBytes('t.csv', Uint8Array.of(0xff, 0xfe, 0x61, 0))).message).toContain('UTF-16');
    expect(thrown(() => parseCsvBytes('t.csv', bytes('a\n1\n2\n'))).message).toContain('needs a label and at least one feature');
  });

  it('merges numeric labels written differently and sorts them numerically', () => {
    const d = parseCsvBytes('t.csv', bytes('x,label\n1,10\n2,9\n3,10.0\n4,-1\n'));
    expect(d.classNames).toEqual(['-1', '9', '10']);
    expect(Array.from(d.train.y)).toEqual([2, 1, 2, 0]);
  });

  it('parses decimal numbers exactly as Number does', () => {
    for (const s of ['0', '-0.5', '-5e-324', '-0.1000000000000000055511151231257827', '-123456789012345678', '+3', '1e3', '1E-7', '.5', '5.', '123456789012345678', '0.1000000000000000055511151231257827', ' 7 ']) {
      expect(parseNumberBytes(bytes(s), 0, s.length)).toBe(Number(s));
    }
    for (const s of ['', '-', '1e', 'abc', '1.2.3', 'NaN', 'Infinity', '0x10', '1,5']) {
      expect(parseNumberBytes(bytes(s), 0, s.length)).toBeNaN();
    }
  });

  it('detects delimiters and headers', () => {
    expect(detectDelimiter('a;b;c\n1;2;3\n', true)).toBe(';');
    expect(detectDelimiter('a,b\n1,2\n', true)).toBe(',');
    expect(detectDelimiter('a\tb\tc\nx,y\t2\t3\n', true)).toBe('\t');
    expect(detectDelimiter('a|b|c\n1|2|3\n', true)).toBe('|');
    expect(detectHeader([['5.1', '3.5', 'setosa'], ['4.9', '3', 'virginica']])).toBe(false);
    expect(detectHeader([['sepal', 'width', 'species'], ['4.9', '3', 'virginica']])).toBe(true);
    expect(detectHeader([['0', '1', '2'], ['4.9', '3', '1']])).toBe(true);
    expect(isNumeric(' -1.5e3 ')).toBe(true);
    expect(isNumeric('1,5')).toBe(false);
  });
});

describe("scikit-learn's bundled CSV layout", () => {
  it('takes the class names from the first row (iris.csv: 150,4,setosa,versicolor,virginica)', () => {
    const text = '6,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n7.0,3.2,4.7,1.4,1\n6.4,3.2,4.5,1.5,1\n6.3,3.3,6.0,2.5,2\n5.8,2.7,5.1,1.9,2\n';
    const d = parseCsvBytes('iris.csv', bytes(text));
    expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.featureShape).toEqual([4]);
    expect(d.featureNames).toBeUndefined();
    expect(Array.from(d.train.y)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(Array.from(d.train.x.slice(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
  });

  it('reads a first row shorter than the data rows (wine_data.csv: 13 features, 3 classes)', () => {
    const row = (label: number) => `${Array.from({ length: 13 }, (_, i) => (i + label / 10).toFixed(2)).join(',')},${label}`;
    const d = parseCsvBytes('wine_data.csv', bytes(`3,13,class_0,class_1,class_2\n${row(0)}\n${row(1)}\n${row(2)}\n`));
    expect(d.classNames).toEqual(['class_0', 'class_1', 'class_2']);
    expect(d.featureShape).toEqual([13]);
  });

  it('leaves an ordinary header alone', () => {
    const d = parseCsvBytes('t.csv', bytes('a,b,c,label\n1,2,3,x\n4,5,6,y\n'));
    expect(d.featureNames).toEqual(['a', 'b', 'c']);
    expect(d.classNames).toEqual(['x', 'y']);
  });
});
