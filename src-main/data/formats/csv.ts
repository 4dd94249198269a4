/**
 * Streaming CSV import: a labelled table of numbers (optionally images, one per row) → ParsedDataset.
 * The file is read in 4 MiB chunks and parsed from bytes; memory is about the size of the parsed
 * features (1 byte per value while they fit uint8), never the size of the text.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { ImportError } from '../errors.js';
import { detectDelimiter, detectHeader, planColumns, tokenizeSample } from './csv-sniff.js';
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
/** A longer row is taken as a broken file (an unclosed quote swallowing the rest), not data. */
const MAX_ROW = 64 << 20;

/** Parses a CSV file. Progress is reported in bytes. Throws ImportError naming the file. */
export function parseCsvFile(file: string, options: CsvOptions = {}, onProgress?: ProgressFn): ParsedDataset {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new ImportError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const size = fstatSync(fd).size;
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
 * The parser proper over any positional reader: sniffs the layout from the first chunk, then streams.
 * The result carries `sourceSha256`, the hash of exactly the bytes parsed.
 */
export function parseCsvSource(file: string, size: number, read: ReadAt, options: CsvOptions, onProgress?: ProgressFn): ParsedDataset {
  const hash = createHash('sha256');
  // Small inputs get a small buffer (property tests parse thousands); a longer row grows it.
  let buf = new Uint8Array(Math.min(CHUNK, size + 1));
  let len = fill(read, buf, 0, 0, hash);
  let position = len;
  if (len >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    throw new ImportError(file, 'is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)');
  }
  const bom = len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const layout = sniff(file, buf.subarray(bom, len), position >= size || len < buf.length, options);

  const rows = new CsvRows(file, layout);
  let start = bom;
  for (;;) {
    const atEof = position >= size || len < buf.length;
    const stop = rows.parse(buf, start, len, atEof);
    onProgress?.(position - (len - stop), size);
    if (atEof && stop === len) break;
    if (atEof) throw new ImportError(file, `line ${rows.line}: a row does not end (internal)`);
    // Keep the unfinished row: move it to the front, grow the buffer if it fills it, read on.
    const carry = len - stop;
    if (carry >= buf.length) {
      if (buf.length >= MAX_ROW) throw new ImportError(file, `line ${rows.line}: a row is longer than ${MAX_ROW >> 20} MiB; is a quote left open?`);
      const grown = new Uint8Array(buf.length * 2);
      grown.set(buf.subarray(stop, len));
      buf = grown;
    } else buf.copyWithin(0, stop, len);
    const got = fill(read, buf, carry, position, hash);
    position += got;
    len = carry + got;
    start = 0;
    if (got === 0) size = position; // The file shrank while we read it: finish with what we have.
  }
  const result = rows.finish();
  return { ...result, format: 'csv', notes: [...layout.notes, ...result.notes], sourceSha256: hash.digest('hex') };
}

/** Reads until `buf` is full or the source ends; hashes what it read. */
function fill(read: ReadAt, buf: Uint8Array, offset: number, position: number, hash: Hash): number {
  let total = 0;
  while (offset + total < buf.length) {
    const n = read(buf, offset + total, buf.length - offset - total, position + total);
    if (n <= 0) break;
    total += n;
  }
  hash.update(buf.subarray(offset, offset + total));
  return total;
}

function sniff(file: string, head: Uint8Array, atEof: boolean, options: CsvOptions): RowLayout {
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8');
  if (text.trim() === '') throw new ImportError(file, 'is empty');
  const delimiter = detectDelimiter(text, atEof);
  const { rows } = tokenizeSample(text, delimiter, 50, atEof);
  if (rows.length === 0) {
    throw new ImportError(file, atEof ? 'line 1: a quoted field is not closed' : `has no complete row in its first ${CHUNK >> 20} MiB`);
  }
  const header = detectHeader(rows);
  const columns = rows[0].length;
  const names = header ? rows[0].map((c) => c.trim()) : null;
  const plan = planColumns(file, names, columns, options.labelColumn);
  const notes = [`delimiter: ${delimiter === '\t' ? 'tab' : `'${delimiter}'`}`, header ? 'header detected' : 'no header row'];
  return { delimiter: delimiter.charCodeAt(0), header, columns, names, label: plan.label, skipped: plan.skipped, imageShape: options.imageShape, notes: [...notes, ...plan.notes] };
}
