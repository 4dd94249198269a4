/**
 * The GPU trainer page's WebSocket protocol (src-main/gpu/). The page runs the engine in a
 * Chromium page with the webgpu or webgl backend; the host (workers/browser-host.ts) feeds it the
 * job as one JSON frame followed by the dataset's arrays as binary frames, and it answers with the
 * Node trainer's messages (workers/protocol.ts), each parsed here on receipt, then the saved
 * model's files as binary frames. Both ends parse what they receive with these schemas.
 */
import { z } from 'zod';
import { ModelSpec } from './spec.js';
import { LayerStatSchema } from './layer-stats.js';

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
  /** Inside the layers, measured after the epoch (read asynchronously on the GPU rungs). */
  layers: z.array(LayerStatSchema).max(64).optional(),
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

/**
 * The device in a few words, for tables and start lines: "WebGPU · SwiftShader (software)",
 * "WebGL · NVIDIA GeForce RTX 3080", "WebGPU · nvidia ampere". The browser's own words are in
 * `adapterText` (kept in the run's notes).
 */
export function describeAdapter(backend: PageBackend, a: AdapterInfo): string {
  const api = backend === 'webgpu' ? 'WebGPU' : 'WebGL';
  return `${api} · ${adapterName(a)}${a.software ? ' (software)' : ''}`;
}

/** Everything the browser said about the adapter, in one line. */
export function adapterText(backend: PageBackend, a: AdapterInfo): string {
  const api = backend === 'webgpu' ? 'WebGPU' : 'WebGL2';
  const parts = [a.vendor && `vendor ${a.vendor}`, a.architecture && `architecture ${a.architecture}`, a.description && `${backend === 'webgl' ? 'renderer' : 'description'} ${a.description}`].filter(Boolean);
  return `${api}: ${parts.join('; ') || 'no adapter details'}${a.software ? ' — a software adapter (on the CPU, not a GPU)' : ''}`;
}

/** A device line that names a software adapter (the CPU standing in for a GPU). */
export function isSoftwareDevice(device: string | null | undefined): boolean {
  return device ? /\(software\)|software adapter/.test(device) : false;
}

const SOFTWARE_NAMES: [RegExp, string][] = [[/swiftshader/i, 'SwiftShader'], [/llvmpipe/i, 'llvmpipe'], [/softpipe/i, 'softpipe'], [/basic render|warp/i, 'Microsoft Basic Render']];

/** Splits "a, b (c, d), e" at the commas outside parentheses. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) { parts.push(text.slice(start, i).trim()); start = i + 1; }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/** The adapter's short name: a software rasterizer's name, else the GPU's name trimmed of ANGLE's wrapping. */
export function adapterName(a: AdapterInfo): string {
  const all = `${a.vendor} ${a.architecture} ${a.description}`;
  for (const [re, name] of SOFTWARE_NAMES) if (re.test(all)) return name;
  let name = a.description;
  // WebGL through ANGLE: "ANGLE (vendor, renderer, backend)": the renderer is the GPU's name.
  const angle = /^ANGLE \((.*)\)$/.exec(name.trim());
  if (angle) {
    const parts = topLevelParts(angle[1]);
    name = parts[1] ?? parts[0];
  }
  name = name
    .replace(/^ANGLE Metal Renderer:\s*/, '')
    .replace(/\s+(Direct3D\d+|vs_\d_\d|ps_\d_\d|OpenGL.*|Vulkan.*)(\s.*)?$/i, '')
    .replace(/\s*\(0x[0-9a-f]+\)/gi, '')
    .replace(/\((R|TM)\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!name || /^(webkit webgl|unknown)$/i.test(name)) name = [a.vendor, a.architecture].filter(Boolean).join(' ');
  return (name || 'unknown adapter').slice(0, 60);
}

/** Names of software rasterizers a browser reports for its adapter. */
export function isSoftwareAdapter(text: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render|warp/i.test(text);
}
