/**
 * CSV layout detection from the first rows of a file: delimiter, header, which column is the label.
 * Works on a decoded sample (a few KB to a few MB), so clarity beats speed here; the streaming
 * parser in csv.ts does the bulk of the file.
 */
import { ImportError } from '../errors.js';

/** Delimiters tried, in order of preference when two fit equally well. */
export const DELIMITERS = [',', '\t', ';', '|'] as const;

/** Column names taken as the label, case-insensitive, in order. */
const LABEL_NAMES = ['label', 'class', 'target', 'species', 'y'];
/** Header names of columns that are row numbers, not features (pandas' index without index=False). */
const INDEX_NAMES = ['', 'unnamed: 0', 'id', 'index'];

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True for a decimal number as CSV writers print them ('5', '-0.25', '1e-3'); no NaN, no Infinity. */
export function isNumeric(cell: string): boolean {
  return NUMBER.test(cell.trim());
}

export interface SampleRows {
  rows: string[][];
  /** True when the sample ended inside a quoted field. */
  openQuote: boolean;
}

/**
 * Splits text into rows of cells (RFC 4180: quotes, "" escapes, delimiters and newlines inside
 * quotes); skips empty lines. Unless `atEof`, a last row cut off by the sample's end is dropped.
 */
export function tokenizeSample(text: string, delimiter: string, maxRows: number, atEof: boolean): SampleRows {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let rowHasContent = false;
  const n = text.length;
  while (i < n && rows.length < maxRows) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        quoted = false;
      } else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') { quoted = true; rowHasContent = true; i++; continue; }
    if (c === delimiter) { row.push(cell); cell = ''; rowHasContent = true; i++; continue; }
    if (c === '\r' || c === '\n') {
      if (rowHasContent || cell !== '') { row.push(cell); rows.push(row); }
      row = []; cell = ''; rowHasContent = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    cell += c;
    i++;
  }
  if (quoted) return { rows, openQuote: true };
  if (atEof && rows.length < maxRows && (rowHasContent || cell !== '')) { row.push(cell); rows.push(row); }
  return { rows, openQuote: false };
}

/** The delimiter whose rows all have the same number of fields, most fields first. */
export function detectDelimiter(text: string, atEof: boolean): string {
  let best: { d: string; fields: number; consistent: boolean } | null = null;
  for (const d of DELIMITERS) {
    const { rows } = tokenizeSample(text, d, 50, atEof);
    if (rows.length === 0) continue;
    const fields = rows[0].length;
    const consistent = rows.every((r) => r.length === fields);
    const better = !best
      || (consistent && !best.consistent && fields > 1)
      || (consistent === best.consistent && fields > best.fields);
    if (better) best = { d, fields, consistent };
  }
  return best?.d ?? ',';
}

/**
 * A first row is a header when no cell of it is a number, or when some column holds text in the
 * first row and numbers below it, or when it is exactly 0,1,2,… (pandas' default column names).
 */
export function detectHeader(rows: string[][]): boolean {
  if (rows.length === 0) return false;
  const first = rows[0];
  if (first.every((c) => !isNumeric(c))) return true;
  if (first.length > 2 && first.every((c, i) => c.trim() === String(i)) && rows.length > 1
    && !rows.slice(1).every((r) => r.every((c, i) => c.trim() === String(i)))) return true;
  const data = rows.slice(1);
  if (data.length === 0) return false;
  return first.some((c, col) => !isNumeric(c) && data.every((r) => col < r.length && isNumeric(r[col])));
}

/**
 * scikit-learn's bundled CSVs (iris.csv, wine_data.csv, breast_cancer.csv) start with
 * 'n_samples,n_features,class name,…' and then rows of n_features values and an integer label: the
 * class names are in the first row, and the label column is the last. Answers those names, or null.
 */
export function sklearnClassNames(rows: string[][]): string[] | null {
  if (rows.length < 2) return null;
  const [first, second] = rows;
  if (first.length < 4 || !/^\d+$/.test(first[0].trim()) || !/^\d+$/.test(first[1].trim())) return null;
  const names = first.slice(2).map((c) => c.trim());
  if (names.some((n) => n === '' || isNumeric(n))) return null;
  const features = Number(first[1].trim());
  if (second.length !== features + 1) return null;
  const label = (r: string[]) => r[r.length - 1]?.trim() ?? '';
  const ok = rows.slice(1).every((r) => r.length !== features + 1 || (/^\d+$/.test(label(r)) && Number(label(r)) < names.length));
  return ok ? names : null;
}

export interface ColumnPlan {
  /** Index of the label column. */
  label: number;
  /** Columns dropped as row numbers. */
  skipped: number[];
  notes: string[];
}

/** Chooses the label column (the caller's pick, a well-known name, else the last column) and drops index columns. */
export function planColumns(file: string, names: string[] | null, columns: number, labelColumn?: string | number): ColumnPlan {
  const notes: string[] = [];
  const display = (i: number) => (names ? `'${names[i]}'` : `${i + 1}`);
  let label: number;
  if (typeof labelColumn === 'number') {
    if (!Number.isInteger(labelColumn) || labelColumn < 0 || labelColumn >= columns) {
      throw new ImportError(file, `label column ${labelColumn} does not exist: the file has columns 0 to ${columns - 1}`);
    }
    label = labelColumn;
  } else if (typeof labelColumn === 'string') {
    if (!names) throw new ImportError(file, `has no header row, so the label column cannot be named '${labelColumn}'; give its number (0 to ${columns - 1}) instead`);
    label = names.indexOf(labelColumn);
    if (label < 0) label = names.findIndex((n) => n.trim().toLowerCase() === labelColumn.trim().toLowerCase());
    if (label < 0) throw new ImportError(file, `has no column named '${labelColumn}' (columns: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''})`);
  } else {
    label = -1;
    if (names) {
      for (const wanted of LABEL_NAMES) {
        label = names.findIndex((n) => n.trim().toLowerCase() === wanted);
        if (label >= 0) break;
      }
    }
    if (label < 0) {
      label = columns - 1;
      notes.push(`label column: ${display(label)} (the last column; choose another with labelColumn)`);
    } else notes.push(`label column: ${display(label)}`);
  }
  const skipped: number[] = [];
  if (names) {
    names.forEach((n, i) => {
      if (i !== label && INDEX_NAMES.includes(n.trim().toLowerCase())) skipped.push(i);
    });
    if (skipped.length > 0) notes.push(`ignored row-number column${skipped.length > 1 ? 's' : ''} ${skipped.map(display).join(', ')}`);
  }
  if (columns - 1 - skipped.length < 1) throw new ImportError(file, `has ${columns} column${columns === 1 ? '' : 's'} but needs a label and at least one feature (delimiters recognised: , ; tab |)`);
  return { label, skipped, notes };
}

/**
 * The shape of one sample, and whether samples are images (which makes uint8 data scale by 1/255
 * in the cache). Rule: an explicit imageShape must hold exactly the feature columns; without one,
 * uint8 features whose count is a square of at least 8×8 are grayscale pixels (Kaggle's
 * MNIST-style CSVs); everything else is a flat row of `width` tabular features.
 */
export function sampleShape(file: string, width: number, isUint8: boolean, imageShape?: number[]): { featureShape: number[]; isImage: boolean; note?: string } {
  if (imageShape) {
    const product = imageShape.reduce((a, b) => a * b, 1);
    if (product !== width) throw new ImportError(file, `image shape [${imageShape.join(', ')}] holds ${product} values but the file has ${width} feature columns`);
    return { featureShape: [...imageShape], isImage: true };
  }
  const side = Math.sqrt(width);
  if (isUint8 && width >= 64 && Number.isInteger(side)) {
    return { featureShape: [side, side], isImage: true, note: `${width} columns of 0..255 read as ${side}×${side} grayscale images (pass imageShape to change)` };
  }
  return { featureShape: [width], isImage: false };
}
