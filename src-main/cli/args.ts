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
    throw new UserError(`${command}: ${msg}; see 'layerlab help'`);
  }
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
