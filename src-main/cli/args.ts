/** Argument parsing for the CLI: node's parseArgs, with a user's mistake reported in one line. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../shared/errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse(argv: string[], options: Options, command: string): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, '');
    const unknown = /Unknown option '--?([^']+)'/.exec(msg)?.[1];
    const near = unknown ? nearest(unknown, Object.keys(options)) : null;
    throw new UserError(`${command}: ${msg}${near ? `: did you mean --${near}?` : `; see 'layerlab help'`}`);
  }
}

/** Edit distance (insert, delete, substitute), for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length];
}

/** The known option closest to a mistyped one: within 2 edits, or one it starts (--epoch → --epochs). */
export function nearest(given: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = k.startsWith(given) || given.startsWith(k) ? Math.min(1, distance(given, k)) : distance(given, k);
    if (d < bestD) { best = k; bestD = d; }
  }
  return bestD <= Math.max(1, Math.min(2, Math.floor(given.length / 3))) ? best : null;
}

export function intOption(values: Record<string, unknown>, name: string, min = 0): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`--${name}: '${String(v)}' is not a whole number of at least ${min}`);
  return n;
}

export function numberOption(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UserError(`--${name}: '${String(v)}' is not a number`);
  return n;
}

export function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export const HOME_OPTION: Options = { home: { type: 'string' } };
