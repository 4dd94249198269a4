/**
 * Streaming CSV import: a labelled table of numbers (optionally images, one per row) → ParsedDataset.
 * The file is read in 4 MiB chunks and parsed from bytes; memory is about the size of the parsed
 * features (1 byte per value while they fit uint8), never the size of the text.
 */
import { closeSync, readSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { ImportError, importProblem } from '../errors.js';
import { openRegular } from '../source.js';
import { detectDelimiter, detectHeader, planColumns, sklearnClassNames, tokenizeSample } from './csv-sniff.js';
import { CsvRows, type RowLayout } from './csv-rows.js';
import type { ParsedDataset, ProgressFn } from './types.js';

export interface CsvOptions {
  /** Column name (header) or 0-based index of the labels; default: a column named label/class/target/species/y, else the last. */
  labelColumn?: string | number;
  /** Shape of one sample, [h, w] or [h, w, c]; its product must equal the number of feature columns. */
  imageShape?: number[];
}

/** Bytes read from a source at a position; 0 at its end. */
export type ReadAt = (buf: Uint8Array, offset: number, length: number, position: number) => number;

const CHUNK = 4 << 20;
const SAMPLE = 1 << 20;
const MAX_SAMPLE = 16 << 20;
/** A longer row is taken as a broken file (an unclosed quote swallowing the rest), not data. */
const MAX_ROW = 64 << 20;
/** More columns than this is not a table of samples (a 512×512 RGB image is 786,432: use an image folder). */
export const MAX_COLUMNS = 1 << 18;

/** Parses a CSV file. Progress is reported in bytes. Throws ImportError naming the file. */
export function parseCsvFile(file: string, options: CsvOptions = {}, onProgress?: ProgressFn): ParsedDataset {
  // Text is not held in memory (it streams), so the budget bounds the parsed values, not the file;
  // a file that grows while it is read is parsed up to the size it had when opened.
  const { fd, size } = openRegular(file, Number.MAX_SAFE_INTEGER);
  try {
    return parseCsvSource(file, size, (b, o, l, p) => readSync(fd, b, o, l, p), options, onProgress);
  } finally {
    closeSync(fd);
  }
}

/** Parses CSV bytes held in memory (tests, small uploads). */
export function parseCsvBytes(file: string, bytes: Uint8Array, options: CsvOptions = {}): ParsedDataset {
  return parseCsvSource(file, bytes.length, (b, o, l, p) => {
    const n = Math.max(0, Math.min(l, bytes.length - p));
    b.set(bytes.subarray(p, p + n), o);
    return n;
  }, options);
}

/**
 * The parser proper over any positional reader: sniffs the layout from the first MiB, then streams
 * the whole source in chunks of `chunkBytes` (tests make them tiny to exercise rows cut across
 * chunks). The result carries `sourceSha256`, the hash of exactly the bytes parsed.
 */
export function parseCsvSource(file: string, size: number, read: ReadAt, options: CsvOptions, onProgress?: ProgressFn, chunkBytes = CHUNK): ParsedDataset {
  const { layout, bom } = sniff(file, size, read, options);
  const hash = createHash('sha256');
  // Small inputs get a small buffer (property tests parse thousands); a longer row grows it.
  // One byte past the capacity holds a 0 sentinel after the data, so the row loop's digit scan
  // needs no bounds check.
  let cap = Math.max(4, Math.min(chunkBytes, size + 1));
  let buf = new Uint8Array(cap + 1);
  let len = fill(read, buf, cap, 0, 0, hash);
  let position = len;
  const rows = new CsvRows(file, layout, size);
  let start = Math.min(bom, len);
  for (;;) {
    const atEof = position >= size || len < cap;
    buf[len] = 0;
    const stop = rows.parse(buf, start, len, atEof);
    onProgress?.(position - (len - stop), size);
    if (atEof && stop === len) break;
    if (atEof) throw new ImportError(file, `line ${rows.line}: a row does not end (internal)`);
    // Keep the unfinished row: move it to the front, grow the buffer if it fills it, read on.
    const carry = len - stop;
    if (carry >= cap) {
      if (cap >= MAX_ROW) throw new ImportError(file, `line ${rows.line}: a row is longer than ${MAX_ROW >> 20} MiB; is a quote left open?`);
      cap *= 2;
      const grown = new Uint8Array(cap + 1);
      grown.set(buf.subarray(stop, len));
      buf = grown;
    } else buf.copyWithin(0, stop, len);
    const got = fill(read, buf, cap, carry, position, hash);
    position += got;
    len = carry + got;
    start = 0;
    if (got === 0) size = position; // The file shrank while we read it: finish with what we have.
  }
  const result = rows.finish();
  // Integer labels that index the names a scikit-learn file's first row gives: those are the names.
  const named = layout.classNames;
  if (named && result.classNames.every((c) => /^\d+$/.test(c) && Number(c) < named.length)) result.classNames = result.classNames.map((c) => named[Number(c)]);
  return { ...result, format: 'csv', notes: [...layout.notes, ...result.notes], sourceSha256: hash.digest('hex') };
}

/** Reads until `cap` bytes of `buf` are full or the source ends; hashes what it read. */
function fill(read: ReadAt, buf: Uint8Array, cap: number, offset: number, position: number, hash: Hash): number {
  let total = 0;
  while (offset + total < cap) {
    const n = read(buf, offset + total, cap - offset - total, position + total);
    if (n <= 0) break;
    total += n;
  }
  hash.update(buf.subarray(offset, offset + total));
  return total;
}

/**
 * Refuses a first line of more than MAX_COLUMNS columns before the sample is tokenized (which would
 * take long on megabytes of one line). Counted fast when the line has no quotes; a quoted line is
 * left to the tokenizer, whose count the caller checks again.
 */
function tooWide(file: string, text: string): void {
  const end = text.search(/[\r\n]/);
  const line = end < 0 ? text : text.slice(0, end);
  if (line.length <= MAX_COLUMNS || line.includes('"')) return;
  let most = 0;
  for (const d of [',', '\t', ';', '|']) most = Math.max(most, line.split(d).length);
  if (most > MAX_COLUMNS) throw new ImportError(file, `line 1: has more than ${MAX_COLUMNS} columns (${end < 0 ? 'at least ' : ''}${most}), more than are supported; is the delimiter right, or the whole file on one line?`);
}

/** Reads the first MiB (more, up to 16 MiB, until two rows are complete) and decides the layout. */
function sniff(file: string, size: number, read: ReadAt, options: CsvOptions): { layout: RowLayout; bom: number } {
  for (let want = Math.min(size, SAMPLE); ; want = Math.min(size, want * 4)) {
    const head = new Uint8Array(want);
    let got = 0;
    while (got < want) {
      const n = read(head, got, want - got, got);
      if (n <= 0) break;
      got += n;
    }
    const atEof = got >= size || got < want;
    if (got >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
      throw new ImportError(file, importProblem('import.utf16'));
    }
    const bom = got >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    const text = Buffer.from(head.buffer, bom, got - bom).toString('utf8');
    tooWide(file, text);
    const delimiter = detectDelimiter(text, atEof);
    const { rows } = tokenizeSample(text, delimiter, 50, atEof);
    if (rows.length < 2 && !atEof && want < MAX_SAMPLE) continue;
    if (rows.length === 0) {
      if (text.trim() === '') throw new ImportError(file, importProblem('import.empty'));
      throw new ImportError(file, atEof ? importProblem('import.unclosedQuote', { line: 1 }) : `has no complete row in its first ${MAX_SAMPLE >> 20} MiB`);
    }
    const nul = rows[0].findIndex((c) => c.includes('\0'));
    if (nul >= 0) throw new ImportError(file, `line 1, column ${nul + 1}: holds a NUL byte (\\0), which CSV text never has; is this a binary file? Save the data as CSV text`);
    // scikit-learn's layout: the first row holds counts and class names, not column names.
    const sklearn = sklearnClassNames(rows);
    const columns = sklearn ? rows[1].length : rows[0].length;
    if (columns > MAX_COLUMNS) throw new ImportError(file, `line 1: has more than ${MAX_COLUMNS} columns (${columns}), more than are supported; is the delimiter right, or the whole file on one line?`);
    const header = sklearn !== null || detectHeader(rows);
    const names = header && !sklearn ? rows[0].map((c) => c.trim()) : null;
    const plan = planColumns(file, names, columns, options.labelColumn ?? (sklearn ? columns - 1 : undefined));
    const notes = [`delimiter: ${delimiter === '\t' ? 'tab' : `'${delimiter}'`}`, sklearn ? `scikit-learn layout: class names ${sklearn.join(', ')} from the first row` : header ? 'header detected' : 'no header row'];
    const layout = {
      delimiter: delimiter.charCodeAt(0), header, columns, names, label: plan.label, skipped: plan.skipped, imageShape: options.imageShape,
      notes: [...notes, ...plan.notes], ...(sklearn && plan.label === columns - 1 ? { classNames: sklearn } : {}),
    };
    return { layout, bom };
  }
}
