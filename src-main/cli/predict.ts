/** `layerlab predict RUN_ID IMAGE…`: a run's saved model on the user's own pictures, one line each. */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../shared/errors.js';
import type { Api } from '../shared/contract.js';
import type { PredictResult } from '../shared/predict.js';
import { filterPlane, largest, mapPlane, planeRgba, silentMaps, tileGrid } from '../shared/conv-images.js';

/** One PNG from RGBA bytes. */
async function writePng(path: string, img: { width: number; height: number; rgba: Uint8ClampedArray }): Promise<void> {
  const { default: sharp } = await import('sharp');
  await sharp(Buffer.from(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength), { raw: { width: img.width, height: img.height, channels: 4 } }).png().toFile(path);
}

/**
 * `--maps DIR`: the first convolution's filters (filters.png, blue negative, red positive) and each
 * answer's feature maps there (maps-N.png, dark is strong), 8 to a row as in the book. Files already
 * there are never replaced. Returns one line per file written.
 */
export async function writeMaps(r: PredictResult, dir: string): Promise<string[]> {
  if (!r.filters) throw new UserError(`--maps: run ${r.runId}'s model has no Conv2D layer; filters and feature maps are for convolutional models`);
  const f = r.filters;
  const answers = r.results.flatMap((p, i) => (p.ok && p.maps ? [{ p, maps: p.maps, file: join(dir, `maps-${i + 1}.png`) }] : []));
  const files = [join(dir, 'filters.png'), ...answers.map((a) => a.file)];
  const there = files.find((x) => existsSync(x));
  if (there) throw new UserError(`--maps: ${there} exists; choose another folder or remove it`);
  mkdirSync(dir, { recursive: true });
  const filters = Array.from({ length: f.kernel[3] }, (_, k) => filterPlane(f, k));
  const limit = largest(filters.flat());
  await writePng(files[0], tileGrid(filters.map((p) => planeRgba(p, 'diverging', limit)), f.kernel[0], f.kernel[1], 8, 12, 4));
  const lines = [`${files[0]}: ${f.description}, ${f.kernel[3]} filters ${f.kernel[0]}×${f.kernel[1]} (blue negative, red positive, to ±${limit.toFixed(3)})`];
  for (const a of answers) {
    const planes = Array.from({ length: a.maps.size[2] }, (_, k) => mapPlane(a.maps, k));
    const top = largest(planes.flat());
    await writePng(a.file, tileGrid(planes.map((p) => planeRgba(p, 'ink', top)), a.maps.size[0], a.maps.size[1], 8, 3, 4));
    lines.push(`${a.file}: ${a.p.source}: ${planes.length} feature maps ${a.maps.size[0]}×${a.maps.size[1]}, ${silentMaps(a.maps)} of them 0 everywhere (dark is strong, up to ${top.toFixed(3)})`);
  }
  return lines;
}

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
  const mapsDir = typeof v.maps === 'string' ? resolve(v.maps) : null;
  const r = await api.invoke('runs:predict', { id: runId, images: images.map((f) => ({ path: resolve(f) })), samples, ...(mapsDir ? { maps: true } : {}) });
  const written = mapsDir ? await writeMaps(r, mapsDir) : [];
  if (v.json === true) {
    // The preprocessed pixels and the maps are for pictures; the CLI's JSON keeps what was done and where they went.
    const results = r.results.map((p) => (p.ok ? { ...p, preprocessing: { ...p.preprocessing, values: undefined }, maps: undefined } : p));
    const filters = r.filters ? { ...r.filters, values: undefined } : r.filters;
    process.stdout.write(`${JSON.stringify({ ...r, results, filters, ...(mapsDir ? { written: written.map((l) => l.slice(0, l.indexOf('.png:') + 4)) } : {}) }, null, 2)}\n`);
  } else {
    process.stdout.write(`${[...predictionLines(r, images), ...written].join('\n')}\n`);
  }
  return r.results.every((p) => p.ok) ? 0 : 1;
}
