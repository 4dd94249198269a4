/**
 * The book's chapter 8 CNN (book-cnn) trained in full, as the book trains it: all 48,000 training
 * images, up to 20 epochs, early stopping on validation loss with patience 2 and the best epoch's
 * weights restored, then the test set. Prints one JSON object: our numbers beside the book's
 * (the yardstick for accuracy; cnn-speed is the yardstick for speed). See bench/README.md.
 *
 *   npx tsx bench/book-cnn.ts [--backend auto|wasm|cpu|webgpu…] [--seed 42] [--limit N (a smoke run)]
 *
 * Not in the default `npm run bench` (about 30 minutes on 2 cores): `npm run bench -- book-cnn`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend, type BackendChoice } from '../src-main/engine/backend.js';
import { train } from '../src-main/engine/train.js';
import { findPreset } from '../src-main/shared/presets.js';
import { loadCatalogIdx } from '../src-main/data/catalog/idx-datasets.js';
import { loadAverage } from './reference.js';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'auto' }, seed: { type: 'string', default: '42' }, limit: { type: 'string' } } });

const preset = findPreset('book-cnn')!;
const spec = { ...preset.spec, training: { ...preset.spec.training, seed: Number(values.seed) } };
const backend = await selectBackend(values.backend as BackendChoice, { spec });
const loadBefore = loadAverage();
const dataset = loadCatalogIdx('fashion-mnist', mkdtempSync(join(tmpdir(), 'layerlab-bench-')));
const started = performance.now();
const out = await train(spec, dataset, {
  evaluate: true,
  limit: values.limit === undefined ? undefined : Number(values.limit),
  hooks: { onEpoch: (e) => { process.stderr.write(`book-cnn epoch ${e.epoch}: val_loss ${e.valLoss.toFixed(4)} val_accuracy ${e.valAccuracy.toFixed(4)} (${e.seconds.toFixed(0)} s)\n`); } },
});
const seconds = (performance.now() - started) / 1000;
out.model.dispose();
const best = out.epochs.find((e) => e.epoch === out.marks?.bestEpoch) ?? out.epochs[out.epochs.length - 1];
const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;
const book = preset.book!;
console.log(JSON.stringify({
  backend: backend.name, device: backend.device, path: out.path, seed: spec.training.seed, limit: values.limit === undefined ? null : Number(values.limit),
  trainCount: out.trainCount, valCount: out.valCount, loadBefore, loadAfter: loadAverage(),
  stoppedEpoch: out.marks?.stoppedEpoch ?? null, bestEpoch: out.marks?.bestEpoch ?? null,
  /** The restored (best) epoch's figures: what the saved model holds. */
  trainAccuracy: round(best.accuracy), valAccuracy: round(best.valAccuracy), valLoss: round(best.valLoss),
  testAccuracy: out.evaluation ? round(out.evaluation.accuracy) : null,
  book: { trainAccuracy: book.trainAccuracy, valAccuracy: book.valAccuracy, valLoss: book.valLoss ?? null, stoppedEpoch: book.stoppedEpoch ?? null, bestEpoch: book.bestEpoch ?? null, testAccuracy: book.testAccuracy ?? null },
  /** Ours minus the book's, in accuracy points: near 0 means the preset lands on the book's number. */
  valAccuracyMinusBook: round(best.valAccuracy - book.valAccuracy),
  seconds: Math.round(seconds),
  epochs: out.epochs.map((e) => ({ epoch: e.epoch, loss: round(e.loss), accuracy: round(e.accuracy), valLoss: round(e.valLoss), valAccuracy: round(e.valAccuracy), seconds: Math.round(e.seconds) })),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}));
