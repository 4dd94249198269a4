/**
 * Growing feature storage for the CSV parser: fixed-size blocks of rows, uint8 while every value
 * is an integer 0..255, switching once to float32 at the first value that is not. Blocks (not one
 * doubling array) keep the peak near 1× the data until the final join, which makes it 2× once.
 */
const BLOCK_VALUES = 1 << 22;
/** Exact powers of ten, 10^0..10^22. */
export const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);

export class FeatureStore {
  /** Features per row. */
  readonly width: number;
  readonly rowsPerBlock: number;
  u8: Uint8Array | null;
  f32: Float32Array | null = null;
  private done: (Uint8Array | Float32Array)[] = [];
  /** Rows in the current block. */
  rowInBlock = 0;

  /** `maxValues`: an upper bound on the values to come (a value takes at least 2 bytes of text), so small files get small blocks. */
  constructor(width: number, maxValues = BLOCK_VALUES) {
    this.width = width;
    this.rowsPerBlock = Math.max(1, Math.floor(Math.min(BLOCK_VALUES, maxValues) / width));
    this.u8 = new Uint8Array(this.rowsPerBlock * width);
  }

  /** Stores any finite value at `offset` of the current block, leaving uint8 when it must. */
  put(offset: number, v: number): void {
    if (this.u8) {
      if (v >= 0 && v <= 255 && Math.floor(v) === v) { this.u8[offset] = v; return; }
      this.toFloat();
    }
    this.f32![offset] = v;
  }

  private toFloat(): void {
    // set() converts in native code; Float32Array.from would walk an iterator.
    const widen = (b: Uint8Array | Float32Array) => { const f = new Float32Array(b.length); f.set(b); return f; };
    this.done = this.done.map(widen);
    this.f32 = widen(this.u8!);
    this.u8 = null;
  }

  /** Completes a row; starts a new block when this one is full. */
  endRow(): void {
    if (++this.rowInBlock < this.rowsPerBlock) return;
    if (this.u8) { this.done.push(this.u8); this.u8 = new Uint8Array(this.u8.length); }
    else { this.done.push(this.f32!); this.f32 = new Float32Array(this.f32!.length); }
    this.rowInBlock = 0;
  }

  /** [rows, width] row-major, one array. */
  finish(rows: number): Uint8Array | Float32Array {
    const out = this.u8 ? new Uint8Array(rows * this.width) : new Float32Array(rows * this.width);
    let o = 0;
    for (const b of this.done) { out.set(b, o); o += b.length; }
    const tail = (this.u8 ?? this.f32)!.subarray(0, this.rowInBlock * this.width);
    out.set(tail, o);
    this.done = [];
    return out;
  }
}

/**
 * A decimal number in bytes [start, end) (surrounding spaces allowed), or NaN. Up to 15 significant
 * digits and a power of ten within 10^±22 are exact in doubles, so m·10^e or m/10^e is correctly
 * rounded (Clinger's fast path); anything longer goes through Number().
 */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number {
  while (start < end && (buf[start] === 32 || buf[start] === 9)) start++;
  while (end > start && (buf[end - 1] === 32 || buf[end - 1] === 9)) end--;
  let p = start;
  let neg = false;
  if (p < end && (buf[p] === 45 || buf[p] === 43)) { neg = buf[p] === 45; p++; }
  let m = 0;
  let digits = 0;
  let significant = 0;
  let exp = 0;
  let d: number;
  while (p < end && (d = buf[p] - 48) >= 0 && d <= 9) {
    if (significant > 0 || d > 0) significant++;
    m = m * 10 + d; digits++; p++;
  }
  if (p < end && buf[p] === 46) {
    p++;
    while (p < end && (d = buf[p] - 48) >= 0 && d <= 9) {
      if (significant > 0 || d > 0) significant++;
      m = m * 10 + d; digits++; exp--; p++;
    }
  }
  if (digits === 0) return NaN;
  if (p < end && (buf[p] === 101 || buf[p] === 69)) {
    p++;
    let eneg = false;
    if (p < end && (buf[p] === 45 || buf[p] === 43)) { eneg = buf[p] === 45; p++; }
    let e = 0;
    let edigits = 0;
    while (p < end && (d = buf[p] - 48) >= 0 && d <= 9) { if (e < 100000) e = e * 10 + d; edigits++; p++; }
    if (edigits === 0) return NaN;
    exp += eneg ? -e : e;
  }
  if (p !== end) return NaN;
  let v: number;
  if (significant <= 15 && exp >= -22 && exp <= 22) v = exp < 0 ? m / POW10[-exp] : m * POW10[exp];
  else {
    // The sign was consumed above: parse the rest, or a long '-…' would come back positive.
    const from = buf[start] === 45 || buf[start] === 43 ? start + 1 : start;
    v = Number(Buffer.from(buf.buffer, buf.byteOffset + from, end - from).toString('latin1'));
  }
  return neg ? -v : v;
}
