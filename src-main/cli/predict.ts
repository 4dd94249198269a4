/** `layerlab predict RUN_ID IMAGE…`: a run's saved model on the user's own pictures, one line each. */
import { resolve } from 'node:path';
import { UserError } from '../shared/errors.js';
import type { Api } from '../shared/contract.js';
import type { PredictResult } from '../shared/predict.js';

/** "shirt.png: Shirt 87.1% (then T-shirt/top 6.2%, Pullover 3.0%)", or the file's one-line error. */
export function predictionLines(r: PredictResult, given: readonly string[]): string[] {
  return r.results.map((p, i) => {
    if (!p.ok) return p.error;
    const ranked = p.probabilities.map((v, k) => ({ v, k })).sort((a, b) => b.v - a.v);
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    const name = (k: number) => r.classNames[k] ?? String(k);
    const rest = ranked.slice(1, 3).map((x) => `${name(x.k)} ${pct(x.v)}`).join(', ');
    const truth = p.sample ? ` [true: ${name(p.sample.label)}]` : '';
    return `${given[i] ?? p.source}: ${name(p.predicted)} ${pct(ranked[0].v)}${rest ? ` (then ${rest})` : ''}${truth}`;
  });
}

export async function predictCommand(api: Api, args: string[], v: Record<string, unknown>): Promise<number> {
  const [runId, ...images] = args;
  const samples = ((v.sample as string[] | undefined) ?? []).map((s) => {
    const n = Number(s);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(n)) throw new UserError(`--sample: '${s}' is not a test sample's index (a whole number from 0)`);
    return n;
  });
  if (!runId || images.length + samples.length === 0) throw new UserError('predict: give a run id that kept its model and one or more PNG or JPEG files or --sample N (layerlab predict RUN_ID IMAGE… [--sample N])');
  if (images.length > 100 || samples.length > 100) throw new UserError(`predict: ${Math.max(images.length, samples.length)} ${images.length > 100 ? 'files' : 'samples'}; give at most 100 at a time`);
  const r = await api.invoke('runs:predict', { id: runId, images: images.map((f) => ({ path: resolve(f) })), samples });
  if (v.json === true) {
    // The preprocessed pixels are for the UI's picture; the CLI's JSON keeps what was done to them.
    const results = r.results.map((p) => (p.ok ? { ...p, preprocessing: { ...p.preprocessing, values: undefined } } : p));
    process.stdout.write(`${JSON.stringify({ ...r, results }, null, 2)}\n`);
  } else {
    process.stdout.write(`${predictionLines(r, images).join('\n')}\n`);
  }
  return r.results.every((p) => p.ok) ? 0 : 1;
}
