/**
 * Label cells → class indices. While streaming, each distinct label gets a provisional id in order
 * of first appearance; `finish` then picks the final classes and renumbers:
 * - every label a number and the set exactly {0, 1, …, K-1}: used as is, names '0'..'K-1';
 * - every label a number otherwise (1..3, -1/1, 0.5…): sorted numerically, names as numbers print;
 * - any text label: all sorted as strings (code-unit order, so stable across locales).
 */
import { isNumeric } from './csv-sniff.js';

/** Small non-negative integer labels skip string decoding: the common case (digits, Kaggle MNIST). */
const SMALL = 1024;

interface Entry { text: string; num: number | null }

export class LabelCollector {
  private readonly small = new Int32Array(SMALL).fill(-1);
  private readonly byText = new Map<string, number>();
  private readonly entries: Entry[] = [];
  private ids = new Int32Array(1024);
  count = 0;

  /** Provisional id of a small non-negative integer label. */
  idOfSmallInt(v: number): number {
    let id = this.small[v];
    if (id < 0) {
      id = this.entries.length;
      this.entries.push({ text: String(v), num: v });
      this.small[v] = id;
    }
    return id;
  }

  /** Provisional id of a label cell's text; '' when empty is the caller's error to report. */
  idOfText(raw: string): number {
    const text = raw.trim();
    const asInt = /^\d{1,3}$/.test(text) ? Number(text) : -1;
    if (asInt >= 0 && asInt < SMALL) return this.idOfSmallInt(asInt);
    let id = this.byText.get(text);
    if (id === undefined) {
      id = this.entries.length;
      this.entries.push({ text, num: isNumeric(text) ? Number(text) : null });
      this.byText.set(text, id);
    }
    return id;
  }

  /** Appends one row's label. */
  push(id: number): void {
    if (this.count === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.count++] = id;
  }

  /** Final class names and [count] class indices. */
  finish(): { classNames: string[]; y: Int32Array; numericAsIs: boolean } {
    const allNumeric = this.entries.every((e) => e.num !== null);
    // Entries that denote the same class ('1' and '1.0', or equal texts) share one final index.
    const keyOf = (e: Entry): string => (allNumeric ? String(e.num) : e.text);
    const keys = [...new Set(this.entries.map(keyOf))];
    let numericAsIs = false;
    if (allNumeric) {
      const nums = keys.map(Number).sort((a, b) => a - b);
      numericAsIs = nums.every((v, i) => v === i);
      keys.splice(0, keys.length, ...nums.map(String));
    } else keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const finalOfKey = new Map(keys.map((k, i) => [k, i]));
    const remap = Int32Array.from(this.entries, (e) => finalOfKey.get(keyOf(e))!);
    const y = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) y[i] = remap[this.ids[i]];
    return { classNames: keys, y, numericAsIs };
  }
}
