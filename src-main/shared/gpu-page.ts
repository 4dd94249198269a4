/**
 * The GPU trainer page's WebSocket protocol (src-main/gpu/). The page runs the engine in a
 * Chromium page with the webgpu or webgl backend; the host (workers/browser-host.ts) feeds it the
 * job as one JSON frame followed by the dataset's arrays as binary frames, and it answers with the
 * Node trainer's messages (workers/protocol.ts), each parsed here on receipt, then the saved
 * model's files as binary frames. Both ends parse what they receive with these schemas.
 */
import { z } from 'zod';
import { ModelSpec } from './spec.js';

export const PAGE_BACKENDS = ['webgpu', 'webgl'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

const runId = z.string().min(1).max(200);
const count = z.number().int().min(0).max(1e9);
/** JSON has no NaN: a missing validation loss crosses as null and comes back as NaN. */
const num = z.number().nullable().transform((v) => (v === null ? NaN : v));

/** The binary frames that follow a job, in this order. */
export const FRAME_NAMES = ['train.x', 'train.y', 'test.x', 'test.y', 'init.model.json', 'init.weights.bin'] as const;
export type FrameName = (typeof FRAME_NAMES)[number];

const SplitHeader = z.object({ count, xType: z.enum(['uint8', 'float32']) }).strict();

export const PageJob = z.object({
  type: z.literal('job'),
  runId,
  backend: z.enum(PAGE_BACKENDS),
  spec: ModelSpec,
  limit: z.number().int().positive().optional(),
  path: z.enum(['fast', 'stock']),
  /** Send the trained model back (model.json, weights.bin). */
  saveModel: z.boolean(),
  /**
   * Time up to this many training steps on each of these backends and report a 'probe' for each
   * instead of training (the `auto` choice); the run itself is not trained.
   */
  probe: z.object({ steps: z.number().int().positive().max(1000), backends: z.array(z.enum(PAGE_BACKENDS)).min(1).max(2) }).strict().optional(),
  dataset: z.object({
    id: z.string().max(4200),
    name: z.string().max(1000),
    featureShape: z.array(z.number().int().positive()).min(1).max(4),
    classNames: z.array(z.string().max(1000)).min(2).max(10_000),
    scale: z.number().positive(),
    train: SplitHeader,
    test: SplitHeader.optional(),
  }).strict(),
  /** Names of the binary frames that follow, in order. */
  frames: z.array(z.enum(FRAME_NAMES)).max(FRAME_NAMES.length),
}).strict();
export type PageJob = z.infer<typeof PageJob>;

export const HostToPage = z.discriminatedUnion('type', [PageJob, z.object({ type: z.literal('stop') }).strict()]);
export type HostToPage = z.infer<typeof HostToPage>;

/** The adapter the page trains on, as the browser reports it. */
export const AdapterInfo = z.object({
  vendor: z.string().max(300),
  architecture: z.string().max(300),
  description: z.string().max(1000),
  /** A software adapter (SwiftShader, llvmpipe, Microsoft Basic Render): the CPU, not a GPU. */
  software: z.boolean(),
}).strict();
export type AdapterInfo = z.infer<typeof AdapterInfo>;

const Epoch = {
  epoch: z.number().int().positive(), loss: num, accuracy: num, valLoss: num, valAccuracy: num,
  seconds: z.number().min(0), samplesPerSecond: z.number().min(0).nullable().transform((v) => v ?? 0),
};

const Evaluation = z.object({
  split: z.enum(['test', 'validation']),
  count,
  loss: num,
  accuracy: num,
  confusion: z.array(z.array(count)),
  misclassified: z.array(z.object({ index: count, label: count, predicted: count, confidence: z.number() }).strict()).max(100_000),
}).strict();

/** What the page sends; `model` is followed by one binary frame per file, in order. */
export const PageMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), userAgent: z.string().max(1000) }).strict(),
  z.object({ type: z.literal('adapter'), runId, backend: z.enum(PAGE_BACKENDS), adapter: AdapterInfo }).strict(),
  z.object({ type: z.literal('started'), runId, trainCount: count, valCount: count, batches: count }).strict(),
  z.object({ type: z.literal('batch'), runId, epoch: count, batch: count, batches: count, loss: num, accuracy: num }).strict(),
  z.object({ type: z.literal('epoch'), runId, ...Epoch }).strict(),
  z.object({ type: z.literal('marks'), runId, stoppedEpoch: count.nullable(), bestEpoch: count.nullable(), modelEpoch: count }).strict(),
  z.object({ type: z.literal('evaluation'), runId, evaluation: Evaluation }).strict(),
  z.object({
    type: z.literal('probe'), runId, backend: z.enum(PAGE_BACKENDS), samplesPerSecond: z.number().min(0).nullable(), steps: count,
    adapter: AdapterInfo.optional(), reason: z.string().max(2000).optional(),
  }).strict(),
  z.object({ type: z.literal('model'), runId, files: z.array(z.enum(['model.json', 'weights.bin'])).length(2) }).strict(),
  z.object({ type: z.literal('done'), runId, status: z.enum(['completed', 'stopped']) }).strict(),
  z.object({ type: z.literal('error'), runId, error: z.object({ name: z.string().max(200), message: z.string().max(10_000) }).strict() }).strict(),
]);
export type PageMessage = z.infer<typeof PageMessage>;
export type PageMessageInput = z.input<typeof PageMessage>;

/** One line for a device: "WebGPU, google swiftshader — a software adapter (on the CPU, not a GPU)". */
export function describeAdapter(backend: PageBackend, a: AdapterInfo): string {
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || a.description || 'unknown adapter';
  const api = backend === 'webgpu' ? 'WebGPU' : 'WebGL2';
  const detail = backend === 'webgl' && a.description && a.description !== name ? ` (${a.description})` : '';
  return `${api}, ${name}${detail}${a.software ? ' — a software adapter (on the CPU, not a GPU)' : ''}`;
}

/** Names of software rasterizers a browser reports for its adapter. */
export function isSoftwareAdapter(text: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render|warp/i.test(text);
}
