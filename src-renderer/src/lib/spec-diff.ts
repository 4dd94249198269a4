/**
 * The spec fields that differ between runs, as dotted paths ("layers.1.activation"), so a
 * comparison says what was changed and nothing else.
 */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'number')) out.set(prefix, `[${value.join(', ')}]`);
    else value.forEach((v, i) => flatten(v, prefix ? `${prefix}.${i}` : String(i), out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, String(value));
  }
  return out;
}

export interface FieldDiff { path: string; values: string[] }

/**
 * Paths whose value is not the same in every spec; a path missing from a spec shows as "–".
 * `ignore` drops fields that differ by design (the seed of each repeat).
 */
export function diffSpecs(specs: readonly unknown[], ignore: readonly string[] = ['training.seed']): FieldDiff[] {
  const flats = specs.map((s) => flatten(s));
  const paths = new Set(flats.flatMap((f) => [...f.keys()]));
  const out: FieldDiff[] = [];
  for (const path of paths) {
    if (ignore.includes(path)) continue;
    const values = flats.map((f) => f.get(path) ?? '–');
    if (new Set(values).size > 1) out.push({ path, values });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}
