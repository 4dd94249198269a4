/**
 * The CSV hot loop: rows parsed straight from bytes into the feature store, no strings except for
 * text labels and errors. `parse` consumes whole rows and returns where an unfinished row starts,
 * so the caller can carry it into the next chunk; a row is written only when it completes.
 */
import { ImportError, importProblem } from '../errors.js';
import { LabelCollector } from './csv-labels.js';
import { sampleShape } from './csv-sniff.js';
import { FeatureStore, POW10, parseNumberBytes } from './csv-store.js';
import type { ParsedDataset } from './types.js';

export interface RowLayout {
  /** Delimiter byte. */
  delimiter: number;
  header: boolean;
  columns: number;
  /** Header names, or null without a header. */
  names: string[] | null;
  label: number;
  skipped: number[];
  imageShape?: number[];
  notes: string[];
  /** Class names for integer labels 0..K-1, from a scikit-learn file's first row. */
  classNames?: string[];
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const F32_MAX = 3.4028234663852886e38;
/** Column roles below 0; a role ≥ 0 is the feature index. */
const LABEL = -1;
const SKIP = -2;

export class CsvRows {
  /** Line (1-based) where the next row starts. */
  line = 1;
  private count = 0;
  private headerPending: boolean;
  private fast = true;
  private misses = 0;
  private readonly role: Int32Array;
  private readonly store: FeatureStore;
  private readonly labels = new LabelCollector();
  private readonly d: number;
  // The last quoted field: content bytes, whether it holds "" escapes, newlines inside it.
  private qStart = 0;
  private qEnd = 0;
  private qEscapes = false;
  private qLines = 0;

  /** `sourceBytes`: the source's size, which bounds how many values can come. */
  constructor(private readonly file: string, private readonly layout: RowLayout, sourceBytes: number) {
    this.headerPending = layout.header;
    this.d = layout.delimiter;
    this.role = new Int32Array(layout.columns);
    let f = 0;
    for (let c = 0; c < layout.columns; c++) {
      this.role[c] = c === layout.label ? LABEL : layout.skipped.includes(c) ? SKIP : f++;
    }
    this.store = new FeatureStore(f, Math.ceil(sourceBytes / 2) + f);
  }

  /** Parses rows in buf[pos, end); returns the offset of the first unfinished row (end when none). */
  parse(buf: Uint8Array, pos: number, end: number, atEof: boolean): number {
    while (pos < end) {
      const c = buf[pos];
      if (c === LF) { pos++; this.line++; continue; }
      if (c === CR) {
        if (pos + 1 === end && !atEof) return pos;
        pos += buf[pos + 1] === LF ? 2 : 1;
        this.line++;
        continue;
      }
      let next: number;
      if (this.headerPending) next = this.skipRow(buf, pos, end, atEof);
      else {
        next = this.fast ? this.rowFast(buf, pos, end) : -1;
        if (next < 0) {
          // Rows the fast path cannot take: stop trying once they are common (text labels, floats).
          if (this.fast && ++this.misses >= 64 && this.misses * 16 > this.count) this.fast = false;
          next = this.row(buf, pos, end, atEof);
        }
      }
      if (next < 0) return pos;
      this.headerPending = false;
      pos = next;
    }
    return pos;
  }

  /**
   * The common row of an image CSV: every cell 0..255 written as plain digits, the label too, no
   * quotes. Relies on the 0 sentinel at buf[end] (see csv.ts) instead of bounds checks. Returns -1
   * for anything else, and the general `row` parses it again (nothing is committed here until the
   * row is complete).
   */
  private rowFast(buf: Uint8Array, p: number, end: number): number {
    const u8 = this.store.u8;
    if (u8 === null) return -1;
    const D = this.d;
    const role = this.role;
    const last = this.layout.columns - 1;
    const base = this.store.rowInBlock * this.store.width;
    let labelId = -1;
    for (let col = 0; col <= last; col++) {
      const s = p;
      let v = 0;
      let digit: number;
      while ((digit = buf[p] - 48) >= 0 && digit <= 9) { v = v * 10 + digit; p++; }
      if (p === s || p - s > 3 || v > 255) return -1;
      const t = buf[p];
      if (col < last) { if (t !== D) return -1; }
      else if (t === CR) { if (p + 1 >= end) return -1; if (buf[p + 1] === LF) p++; }
      else if (t !== LF) return -1;
      p++;
      const r = role[col];
      if (r >= 0) u8[base + r] = v;
      else if (r === LABEL) labelId = this.labels.idOfSmallInt(v);
    }
    this.store.endRow();
    this.labels.push(labelId);
    this.count++;
    this.line++;
    return p;
  }

  private row(buf: Uint8Array, p: number, end: number, atEof: boolean): number {
    const D = this.d;
    const role = this.role;
    const columns = this.layout.columns;
    const store = this.store;
    const base = store.rowInBlock * store.width;
    let col = 0;
    let lines = 0;
    let labelId = -1;
    for (;;) {
      const r = col < columns ? role[col] : SKIP;
      if (p < end && buf[p] === QUOTE) {
        const q = this.quoted(buf, p, end, atEof, lines);
        if (q < 0) return -1;
        lines += this.qLines;
        if (r >= 0) {
          const v = this.qEscapes ? NaN : parseNumberBytes(buf, this.qStart, this.qEnd);
          if (!(Math.abs(v) <= F32_MAX)) throw this.notNumber(col, v, this.text(buf, this.qStart, this.qEnd), lines);
          store.put(base + r, v);
        } else if (r === LABEL) labelId = this.labelOfText(this.text(buf, this.qStart, this.qEnd), lines);
        p = q;
      } else if (r >= 0) {
        // Fast path: [-]digits[.digits] with at most 15 digits, exact in a double (see
        // parseNumberBytes); the 0 sentinel at buf[end] stops the digit loops.
        let q = p;
        const neg = buf[q] === 45;
        if (neg) q++;
        const digitsStart = q;
        let v = 0;
        let digit: number;
        while ((digit = buf[q] - 48) >= 0 && digit <= 9) { v = v * 10 + digit; q++; }
        let fraction = 0;
        const dot = buf[q] === 46;
        if (dot) {
          const fractionStart = ++q;
          while ((digit = buf[q] - 48) >= 0 && digit <= 9) { v = v * 10 + digit; q++; }
          fraction = q - fractionStart;
        }
        const digits = q - digitsStart - (dot ? 1 : 0);
        const t = q < end ? buf[q] : -1;
        if (digits > 0 && digits <= 15 && (t === D || t === LF || t === CR || (t === -1 && atEof))) {
          const u8 = store.u8;
          if (u8 !== null && !neg && fraction === 0 && v <= 255) u8[base + r] = v;
          else {
            const x = fraction === 0 ? v : v / POW10[fraction];
            const f32 = store.f32;
            if (f32 !== null) f32[base + r] = neg ? -x : x;
            else store.put(base + r, neg ? -x : x);
          }
        } else {
          while (q < end) { const b = buf[q]; if (b === D || b === LF || b === CR) break; q++; }
          if (q === end && !atEof) return -1;
          const x = parseNumberBytes(buf, p, q);
          if (!(Math.abs(x) <= F32_MAX)) throw this.notNumber(col, x, this.text(buf, p, q), lines);
          store.put(base + r, x);
        }
        p = q;
      } else {
        let q = p;
        while (q < end) { const b = buf[q]; if (b === D || b === LF || b === CR) break; q++; }
        if (q === end && !atEof) return -1;
        if (r === LABEL) labelId = this.labelOfBytes(buf, p, q, lines);
        p = q;
      }
      col++;
      if (p >= end) { if (!atEof) return -1; break; }
      const t = buf[p++];
      if (t === D) continue;
      if (t === CR) {
        if (p < end) { if (buf[p] === LF) p++; } else if (!atEof) return -1;
      }
      break;
    }
    if (col !== columns) throw new ImportError(this.file, col === 1 ? importProblem('import.raggedOne', { line: this.line, expected: columns }) : importProblem('import.ragged', { line: this.line, count: col, expected: columns }));
    store.endRow();
    this.labels.push(labelId);
    this.count++;
    this.line += 1 + lines;
    return p;
  }

  /** Scans a quoted field opening at p; returns the offset after it, or -1 when the chunk ends first. */
  private quoted(buf: Uint8Array, p: number, end: number, atEof: boolean, linesBefore: number): number {
    let q = p + 1;
    let lines = 0;
    let escapes = false;
    for (;;) {
      while (q < end && buf[q] !== QUOTE) { if (buf[q] === LF) lines++; q++; }
      if (q >= end) {
        if (!atEof) return -1;
        throw new ImportError(this.file, importProblem('import.unclosedQuote', { line: this.line + linesBefore }));
      }
      if (q + 1 < end && buf[q + 1] === QUOTE) { escapes = true; q += 2; continue; }
      if (q + 1 >= end && !atEof) return -1;
      break;
    }
    this.qStart = p + 1;
    this.qEnd = q;
    this.qEscapes = escapes;
    this.qLines = lines;
    q++;
    while (q < end && (buf[q] === SPACE || (buf[q] === TAB && this.d !== TAB))) q++;
    if (q === end && !atEof) return -1;
    if (q < end && buf[q] !== this.d && buf[q] !== LF && buf[q] !== CR) {
      throw new ImportError(this.file, importProblem('import.afterQuote', { line: this.line + linesBefore + lines }));
    }
    return q;
  }

  /** Skips the header row (its cells were read by the sniffer). */
  private skipRow(buf: Uint8Array, p: number, end: number, atEof: boolean): number {
    let quoted = false;
    let lines = 0;
    for (; p < end; p++) {
      const b = buf[p];
      if (b === QUOTE) quoted = !quoted;
      else if (!quoted && (b === LF || b === CR)) {
        if (b === CR) { if (p + 1 === end && !atEof) return -1; if (buf[p + 1] === LF) p++; }
        this.line += 1 + lines;
        return p + 1;
      } else if (b === LF) lines++;
    }
    if (!atEof) return -1;
    if (quoted) throw new ImportError(this.file, importProblem('import.unclosedQuote', { line: this.line }));
    this.line += 1 + lines;
    return p;
  }

  private text(buf: Uint8Array, start: number, end: number): string {
    const s = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
    return s.includes('""') ? s.replaceAll('""', '"') : s;
  }

  private labelOfBytes(buf: Uint8Array, start: number, end: number, lines: number): number {
    const n = end - start;
    // One to three digits: a small integer class, no string needed.
    if (n >= 1 && n <= 3) {
      let v = 0;
      let i = start;
      for (; i < end; i++) { const d = buf[i] - 48; if (d < 0 || d > 9) break; v = v * 10 + d; }
      if (i === end) return this.labels.idOfSmallInt(v);
    }
    return this.labelOfText(this.text(buf, start, end), lines);
  }

  private labelOfText(text: string, lines: number): number {
    if (text.trim() === '') throw new ImportError(this.file, importProblem('import.labelEmpty', { line: this.line + lines, column: this.columnName(this.layout.label) }));
    return this.labels.idOfText(text);
  }

  private columnName(col: number): string {
    return this.layout.names && col < this.layout.names.length ? `'${this.layout.names[col]}'` : `${col + 1}`;
  }

  private notNumber(col: number, v: number, text: string, lines: number): ImportError {
    const where = { line: this.line + lines, column: this.columnName(col) };
    if (text.trim() === '') return new ImportError(this.file, importProblem('import.missingValue', where));
    if (Number.isFinite(v)) return new ImportError(this.file, `line ${where.line}, column ${where.column}: ${text.trim()} is too large for float32`);
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    return new ImportError(this.file, importProblem('import.notNumber', { ...where, value: shown }));
  }

  /** The dataset, once every row is parsed. */
  finish(): Omit<ParsedDataset, 'format'> {
    if (this.count === 0) throw new ImportError(this.file, importProblem(this.layout.header ? 'import.headerOnly' : 'import.noRows'));
    const { classNames, y } = this.labels.finish();
    if (classNames.length < 2) throw new ImportError(this.file, importProblem('import.oneClass', { name: classNames[0], column: this.layout.names?.[this.layout.label] ?? this.layout.label + 1 }));
    const x = this.store.finish(this.count);
    const width = this.store.width;
    const notes = [`${this.count} rows, ${width} features, ${classNames.length} classes`, x instanceof Uint8Array ? 'features are integers 0..255: stored as uint8' : 'features stored as float32'];
    const { featureShape, isImage, note } = sampleShape(this.file, width, x instanceof Uint8Array, this.layout.imageShape);
    if (note) notes.push(note);
    const names = this.layout.names;
    const featureNames = names ? names.filter((_, c) => this.role[c] >= 0) : undefined;
    return { featureShape, classNames, train: { x, y, count: this.count }, isImage, featureNames, notes };
  }
}
