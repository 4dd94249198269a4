/**
 * `layerlab predict` end to end: a saved book-relu model on PNGs made from real test images
 * (the same probabilities as the model gives those rows in tfjs, so the preprocessing matches
 * training), a JPEG of another size (resized, grayscale), and one-line errors for a file that is
 * not an image, a missing file and a model that does not take images; the other files still answer.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { layerlab, jsonLines } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';
import { pngChunk } from '../helpers/png.js';
import { loadCatalogIdx } from '../../src-main/data/catalog/idx-datasets.js';
import { buildModel } from '../../src-main/engine/model.js';
import { loadWeights } from '../../src-main/engine/save.js';
import type { RunDetail } from '../../src-main/shared/runs.js';
import type { PredictResult } from '../../src-main/shared/predict.js';
import { readFileSync } from 'node:fs';
import { filterPlane, largest, planeRgba, tileGrid } from '../../src-main/shared/conv-images.js';
import type { ConvFilters } from '../../src-main/shared/predict.js';

/** An 8-bit grayscale PNG of w × h pixels. */
function grayPng(pixels: Uint8Array, w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 0;
  const raw = Buffer.alloc(h * (w + 1));
  for (let y = 0; y < h; y++) raw.set(pixels.subarray(y * w, (y + 1) * w), y * (w + 1) + 1);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array(0))]);
}

describe('layerlab predict', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  it('answers for PNGs of test images as the model does on those rows, resizes a JPEG, and names each bad file in one line', async () => {
    const r = layerlab(['train', '--preset', 'book-relu', '--limit', '500', '--epochs', '1', '--save-model', '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const runId = jsonLines(r.stdout).find((l) => l.type === 'result')!.runId as string;
    const data = loadCatalogIdx('fashion-mnist', home);
    const files: string[] = [];
    for (const k of [0, 1, 2]) {
      const file = join(home, `test-${k}.png`);
      writeFileSync(file, grayPng(Uint8Array.from(data.test!.x.subarray(k * 784, (k + 1) * 784)), 28, 28));
      files.push(file);
    }
    const jpeg = join(home, 'big.jpg');
    await sharp(grayPng(Uint8Array.from(data.test!.x.subarray(0, 784)), 28, 28)).resize(84, 84).jpeg().toFile(jpeg);
    const text = join(home, 'notes.txt');
    writeFileSync(text, 'not a picture');
    // A banner 12 times wider than tall cannot be squeezed into 28×28 without losing the picture.
    const banner = join(home, 'banner.png');
    writeFileSync(banner, grayPng(new Uint8Array(336 * 28).fill(200), 336, 28));
    const all = [...files, jpeg, text, join(home, 'missing.png'), banner];

    const json = layerlab(['predict', runId, ...all, '--sample', '0', '--sample', '10000', '--json'], home);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as PredictResult;
    expect(out.classNames).toHaveLength(10);

    // The same rows through the saved model in tfjs, scaled as in training.
    const detail = JSON.parse(layerlab(['runs', 'show', runId, '--json'], home).stdout) as RunDetail;
    const dir = join(home, ...detail.artifacts.find((a) => a.path.endsWith('weights.bin'))!.path.split('/').slice(0, -1));
    const model = buildModel(detail.spec);
    loadWeights(model, { 'model.json': readFileSync(join(dir, 'model.json')), 'weights.bin': readFileSync(join(dir, 'weights.bin')) });
    const xs = tf.tensor(Array.from(data.test!.x.subarray(0, 3 * 784), (v) => v * data.scale), [3, 28, 28]);
    const expected = (model.predict(xs) as tf.Tensor).arraySync() as number[][];
    for (let k = 0; k < 3; k++) {
      const p = out.results[k];
      if (!p.ok) throw new Error(p.error);
      p.probabilities.forEach((v, c) => expect(v).toBeCloseTo(expected[k][c], 5));
      expect(p.predicted).toBe(expected[k].indexOf(Math.max(...expected[k])));
      expect(p.preprocessing.size).toEqual([28, 28, 1]);
    }
    const big = out.results[3];
    expect(big.ok && big.preprocessing.source).toEqual({ width: 84, height: 84, format: 'jpeg', channels: 3 });
    // The CLI's JSON keeps what was done to the picture, not its pixels.
    expect(big.ok && big.preprocessing.size).toEqual([28, 28, 1]);
    expect(big.ok && 'values' in big.preprocessing).toBe(false);
    expect(big.ok && big.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(out.results[4]).toEqual({ source: text, ok: false, error: `${text}: not an image: give a PNG or JPEG file`, coded: { code: 'predict.notImage', params: { file: text } } });
    expect(out.results[5]).toMatchObject({ ok: false, error: `${join(home, 'missing.png')}: cannot read it (ENOENT)` });
    expect(out.results[6]).toEqual({
      source: banner, ok: false, error: `${banner}: a 336×28 picture is too far from the model's 28×28 shape to resize without distorting it: crop it to about that shape first`,
      coded: { code: 'predict.shape', params: { file: banner, width: 336, height: 28, modelWidth: 28, modelHeight: 28 } },
    });
    // Test sample 0 is the row test-0.png was made from: the same answer, with its true label.
    const sample = out.results[7];
    if (!sample.ok) throw new Error(sample.error);
    expect(sample.sample).toEqual({ index: 0, label: data.test!.y[0] });
    expect(sample.probabilities).toEqual((out.results[0] as { probabilities: number[] }).probabilities);
    expect(sample.preprocessing.source).toEqual({ width: 28, height: 28, format: 'test-sample', channels: 1 });
    expect(out.results[8]).toMatchObject({ ok: false, error: 'test sample 10000: there is none: the test split has 10000 samples (0 to 9999)', coded: { code: 'predict.noSample' } });

    const plain = layerlab(['predict', runId, files[0], text], home);
    expect(plain.code).toBe(1);
    const lines = plain.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const first = out.results[0];
    expect(lines[0]).toMatch(new RegExp(`^${files[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${first.ok ? out.classNames[first.predicted].replace(/[/]/g, '\\/') : ''} \\d+\\.\\d% \\(then .+\\)$`));
    expect(lines[1]).toBe(`${text}: not an image: give a PNG or JPEG file`);
    expect(plain.stderr).toBe('');
  });

  it('says in one line that a model trained on numbers takes no image', () => {
    expect(layerlab(['datasets', 'generate', 'circle', '--json'], home).code).toBe(0);
    const ds = (JSON.parse(layerlab(['datasets', 'list', '--json'], home).stdout) as { id: string; kind: string; featureShape: number[] }[]).find((d) => d.featureShape.length === 1)!;
    const spec = join(home, 'circle.json');
    writeFileSync(spec, JSON.stringify({ inputShape: [2], layers: [{ type: 'dense', units: 2, activation: 'softmax' }], training: { epochs: 1 } }));
    const r = layerlab(['train', '--model', spec, '--dataset', ds.id, '--save-model', '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const runId = jsonLines(r.stdout).find((l) => l.type === 'result')!.runId as string;
    const png = join(home, 'test-0.png');
    const p = layerlab(['predict', runId, png], home);
    expect(p.code).toBe(1);
    expect(p.stdout.trim()).toBe(`${png}: the model takes 2 numbers per sample, not an image: predict needs a model trained on images (height × width, 1 or 3 channels)`);
  });

  it('writes a convolutional model\'s first filters and a test sample\'s feature maps as PNGs (--maps), never over a file', async () => {
    const r = layerlab(['train', '--preset', 'book-cnn', '--limit', '300', '--epochs', '1', '--save-model', '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const runId = jsonLines(r.stdout).find((l) => l.type === 'result')!.runId as string;
    const dir = join(home, 'maps');
    const p = layerlab(['predict', runId, '--sample', '0', '--maps', dir], home);
    expect(p.code, p.stderr).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^${dir}/filters.png: Conv2D\\(32, 3×3, relu, same\\), 32 filters 3×3 \\(blue negative, red positive, to ±\\d\\.\\d{3}\\)$`));
    expect(lines[2]).toMatch(new RegExp(`^${dir}/maps-1.png: test sample 0: 32 feature maps 28×28, \\d+ of them 0 everywhere`));
    // The filters' picture is the saved kernel's, tile by tile.
    const detail = JSON.parse(layerlab(['runs', 'show', runId, '--json'], home).stdout) as RunDetail;
    const modelDir = join(home, ...detail.artifacts.find((a) => a.path.endsWith('weights.bin'))!.path.split('/').slice(0, -1));
    const model = buildModel(detail.spec);
    loadWeights(model, { 'model.json': readFileSync(join(modelDir, 'model.json')), 'weights.bin': readFileSync(join(modelDir, 'weights.bin')) });
    const [kernel, bias] = model.layers[0].getWeights();
    const f: ConvFilters = { layer: 0, description: '', kernel: [3, 3, 1, 32], values: Array.from(kernel.dataSync()), bias: Array.from(bias.dataSync()) };
    const planes = Array.from({ length: 32 }, (_, k) => filterPlane(f, k));
    const want = tileGrid(planes.map((q) => planeRgba(q, 'diverging', largest(planes.flat()))), 3, 3, 8, 12, 4);
    const png = await sharp(join(dir, 'filters.png')).raw().toBuffer({ resolveWithObject: true });
    expect([png.info.width, png.info.height, png.info.channels]).toEqual([want.width, want.height, 4]);
    expect(Buffer.compare(png.data, Buffer.from(want.rgba))).toBe(0);
    const maps = await sharp(join(dir, 'maps-1.png')).metadata();
    expect([maps.width, maps.height]).toEqual([8 * 84 + 7 * 4, 4 * 84 + 3 * 4]);

    const again = layerlab(['predict', runId, '--sample', '0', '--maps', dir], home);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`layerlab: --maps: ${join(dir, 'filters.png')} exists; choose another folder or remove it`);
  });
});
