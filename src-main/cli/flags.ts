/**
 * Flags turned into typed request fields without casts: a flag is checked against the allowed
 * values (often the contract's own lists) and narrowed; the request the CLI then builds is parsed
 * by the contract like any face's. A contract complaint about a field is reported as the flag.
 */
import { UserError } from '../shared/errors.js';

/** True when `value` is one of `allowed` (and narrows it). */
export function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return allowed.some((a) => a === value);
}

/** The flag's value when it is one of `allowed`; a one-line error naming the flag otherwise. */
export function choice<T extends string>(values: Record<string, unknown>, name: string, allowed: readonly T[]): T | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string' && isOneOf(v, allowed)) return v;
  throw new UserError(`--${name}: '${String(v)}' is not one of ${allowed.join(', ')}`);
}

/** A repeatable string flag (`--tag a --tag b`). */
export function strings(values: Record<string, unknown>, name: string): string[] | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is string => typeof x === 'string');
}

/** Request fields the CLI fills from flags, for messages: the contract names the field, the user typed the flag. */
const FIELD_FLAGS: Record<string, string> = {
  'options.format': '--format', 'options.labelColumn': '--label-column', 'options.imageShape': '--image-shape', 'options.name': '--name',
  labels: '--labels', name: '--name', notes: '--notes', tags: '--tag', limit: '--limit', repeat: '--repeat', datasetId: '--dataset',
  samples: '--samples', noise: '--noise', seed: '--seed', out: '--out', 'filter.group': '--group', 'filter.tag': '--tag',
  'filter.status': '--status', 'filter.dataset': '--dataset', metric: '--metric', concurrency: '--concurrency',
};

/**
 * A contract error's message ("runs:start: datasetId: 'x' is not a dataset id") in the CLI's
 * words ("--dataset: 'x' is not a dataset id"); other messages pass through.
 */
export function flagMessage(message: string): string {
  const m = /^[a-z]+:[a-z]+: ([\w.]+): (.*)$/s.exec(message);
  if (!m) return message;
  const field = m[1].replace(/\.\d+$/, '');
  const flag = FIELD_FLAGS[field];
  return flag ? `${flag}: ${m[2]}` : `${field}: ${m[2]}`;
}
