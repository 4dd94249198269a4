/**
 * The one contract between the faces (renderer over IPC or WebSocket, CLI) and the service.
 * Commands are `domain:verb` with a zod schema for their request; events are `domain:noun`.
 * Every request is parsed with its schema where it enters (IPC wrapper, WebSocket server).
 * Responses travel as `{ ok: true, value }` or `{ ok: false, error: { name, message } }`.
 */
import { z } from 'zod';
import { ModelSpec } from './spec.js';
import { BACKEND_CHOICES } from './backends.js';
import type { ModelSummary } from './summary.js';
import type { FieldError } from './spec.js';
import type { Preset } from './presets.js';
import type { RunSummary, RunDetail, RunStatus, EpochRecord, ProbeFigure, RunWorker } from './runs.js';
import type { ErrorInfo } from './errors.js';
import type { DatasetInfo, DatasetPreview, ImportOptions } from './datasets.js';
import type { Comparison } from './compare.js';
import type { PredictResult } from './predict.js';
import type { RegionsView } from './regions.js';
import { CATALOG_IDS, DatasetRefSchema } from './dataset-ref.js';
import type { Message } from './messages.js';

const id = z.string().min(1).max(200);
const name = z.string().max(200);
const tags = z.array(z.string().min(1).max(64)).max(32);
const path = z.string().min(1).max(4096);
/** Accepts a spec of any shape here; the service parses it fully and reports field errors. */
const specInput = z.unknown();

/**
 * A file or folder a request names. `path`: only a face the user drives directly may name one
 * (the CLI: any path; browser mode: inside the folder `serve --import-root` allows). `handle`: an
 * opaque token a face issued for a file the user chose (an upload in browser mode, a native
 * dialog's choice in the desktop app); the service maps it back, a page never sees the path.
 */
export const FileRefSchema = z.union([
  z.object({ path }).strict(),
  z.object({ handle: z.string().regex(/^[A-Za-z0-9_-]{16,100}$/, 'not a handle this face issued') }).strict(),
]);
export type FileRef = z.infer<typeof FileRefSchema>;

export const ImportOptionsSchema = z.object({
  format: z.enum(['idx', 'csv', 'images', 'npy', 'npz']).optional(),
  labelColumn: z.union([z.string().max(200), z.number().int().min(0)]).optional(),
  imageShape: z.array(z.number().int().positive().max(4096)).min(2).max(3).optional(),
  name: name.optional(),
  /** For image folders: target size [h, w] and channels. */
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  /** For NPZ: member names of x and y. */
  xKey: z.string().max(200).optional(),
  yKey: z.string().max(200).optional(),
}).strict();

export const RunFilterSchema = z.object({
  group: z.string().max(200).optional(),
  tag: z.string().max(64).optional(),
  status: z.enum(['queued', 'running', 'completed', 'stopped', 'failed', 'interrupted']).optional(),
  dataset: z.string().max(4200).optional(),
  experiment: z.string().max(200).optional(),
  /** The queue worker's name (as `runs show` names it) that trained the run. */
  worker: z.string().max(200).optional(),
}).strict();

export const StartRunSchema = z.object({
  spec: specInput,
  datasetId: DatasetRefSchema,
  name: name.optional(),
  tags: tags.optional(),
  notes: z.string().max(10000).optional(),
  /** Train on the first N samples of the training split only. */
  limit: z.number().int().positive().optional(),
  /** Train the same spec with seeds seed, seed+1, … as one group. */
  repeat: z.number().int().min(1).max(100).optional(),
  saveModel: z.boolean().optional(),
  /** Start from this run's saved model (same layer stack) instead of fresh weights. */
  continueFrom: id.optional(),
}).strict();

/** One variant of an experiment: a name and the spec fields it changes (dotted paths). */
export const VariantSchema = z.object({
  name: z.string().min(1).max(100),
  changes: z.record(z.string().max(200), z.unknown()),
}).strict();

export const StartExperimentSchema = z.object({
  name: name,
  spec: specInput,
  variants: z.array(VariantSchema).min(1).max(20),
  seeds: z.number().int().min(1).max(50),
  datasetId: DatasetRefSchema,
  limit: z.number().int().positive().optional(),
}).strict();

export const SettingsSchema = z.object({
  /** Trainer processes at once. */
  concurrency: z.number().int().min(1).max(64).optional(),
  /** 'fast' (our training step) or 'stock' (tfjs model.fit). */
  trainingPath: z.enum(['fast', 'stock']).optional(),
  backend: z.enum(BACKEND_CHOICES).optional(),
  /**
   * `auto` times every rung again before each run instead of reusing the figures measured for
   * the same model on this machine (the probe cache in the data folder).
   */
  reprobe: z.boolean().optional(),
}).strict();

/**
 * The Redis queue's state as its owner sees it (`serve --redis`, `train --redis`, or the desktop
 * app's setting): sent as the 'system:queue' event on every change and in system:info. Faces
 * parse it with this schema before they show it.
 */
export const QueueStatusSchema = z.object({
  /** The address with its password as ***. */
  url: z.string().max(2100),
  /** connecting: not reached yet; connected; paused: Redis cannot be reached, runs wait here; resumed: back after a pause. */
  state: z.enum(['connecting', 'connected', 'paused', 'resumed']),
  /** Why it is paused (null otherwise): the password was refused, the server cannot be reached, or the connection was lost; detail: the error's code or words. */
  reason: z.object({ code: z.enum(['unreachable', 'password', 'lost']), detail: z.string().max(300) }).strict().nullable(),
  /** Runs waiting in this owner for Redis (not yet on the queue). */
  waiting: z.number().int().min(0),
  /** Queue workers that reported a run of this owner lately (within the stall time or a minute). */
  workers: z.array(z.object({ name: z.string().max(300), host: z.string().max(300) }).strict()).max(200),
  /** This process's own trainers that take runs from the queue (0: none). */
  localWorkers: z.number().int().min(0).max(64),
  /** When the state last changed (ISO time). */
  since: z.string().max(40),
}).strict();
export type QueueStatus = z.infer<typeof QueueStatusSchema>;
/** The 'system:queue' event: the queue's status, or null when runs train on this machine only. */
export const QueueEventSchema = z.object({ status: QueueStatusSchema.nullable() }).strict();

/** Request schemas, by channel. */
export const requests = {
  'system:info': z.object({}).strict(),
  'system:settings': SettingsSchema,
  'datasets:list': z.object({}).strict(),
  'datasets:show': z.object({ id: DatasetRefSchema }).strict(),
  'datasets:preview': z.object({ id: DatasetRefSchema, perClass: z.number().int().min(1).max(50).optional() }).strict(),
  'datasets:samples': z.object({ id: DatasetRefSchema, split: z.enum(['train', 'test']), indices: z.array(z.number().int().min(0)).max(500) }).strict(),
  /** Parses a user's file or folder in the importer process; `labels`: the .npy of labels for a single .npy of features. */
  'datasets:import': z.object({ source: FileRefSchema, labels: FileRefSchema.optional(), options: ImportOptionsSchema.optional(), importId: id.optional() }).strict(),
  /** Stops an import in flight (its importer process ends; nothing is added). */
  'datasets:cancel': z.object({ importId: id }).strict(),
  'datasets:delete': z.object({ id: DatasetRefSchema }).strict(),
  /**
   * Fetches a catalog dataset into the data folder from its published addresses, or from the
   * mirror the CLI (--mirror) or the environment (LAYERLAB_DATASET_MIRROR) set: never one a page names.
   */
  'datasets:download': z.object({ id: z.enum(CATALOG_IDS), importId: id.optional() }).strict(),
  'datasets:generate': z.object({
    kind: z.enum(['circle', 'xor', 'gaussian', 'spiral']),
    samples: z.number().int().min(10).max(100000).optional(),
    noise: z.number().min(0).max(1).optional(),
    seed: z.number().int().min(0).optional(),
    name: name.optional(),
  }).strict(),
  'models:validate': z.object({ spec: specInput }).strict(),
  'models:presets': z.object({}).strict(),
  'models:keras': z.object({ spec: specInput }).strict(),
  'runs:start': StartRunSchema,
  'runs:stop': z.object({ id }).strict(),
  'runs:list': z.object({ filter: RunFilterSchema.optional() }).strict(),
  'runs:show': z.object({ id }).strict(),
  'runs:update': z.object({ id, name: name.optional(), notes: z.string().max(10000).optional(), tags: tags.optional() }).strict(),
  'runs:delete': z.object({ ids: z.array(id).min(1).max(1000) }).strict(),
  /** Without `out`: <home>/exports/<id>.layerlab-run.json. An existing file is replaced only with `overwrite`. */
  'runs:export': z.object({ id, out: FileRefSchema.optional(), overwrite: z.boolean().optional() }).strict(),
  'runs:import': z.object({ source: FileRefSchema }).strict(),
  /** Scores the run's saved model on its dataset's test split again; the evaluation replaces the old. */
  'runs:evaluate': z.object({ id }).strict(),
  /**
   * The run's saved model on the user's PNG or JPEG files, each resized, made grayscale and scaled
   * as in training, and on rows of its dataset's test split (`samples`: indices); at least one of either.
   */
  'runs:predict': z.object({
    id, images: z.array(FileRefSchema).max(100).optional(), samples: z.array(z.number().int().min(0)).max(100).optional(),
    /** Also the first Conv2D layer's filters and each input's feature maps there (chapter 8-3). */
    maps: z.boolean().optional(),
  }).strict()
    .refine((r) => (r.images?.length ?? 0) + (r.samples?.length ?? 0) > 0, { message: 'give at least one image file or test sample' }),
  /** A 2-feature dataset's run: its model's decision regions and the points; null when it has none. */
  'runs:regions': z.object({ id }).strict(),
  'experiments:start': StartExperimentSchema,
  'experiments:status': z.object({ id }).strict(),
  'experiments:list': z.object({ limit: z.number().int().min(1).max(100).optional() }).strict(),
  /**
   * Where runs go (the desktop app's and `serve`'s queue setting, saved in the data folder): a
   * Redis address (redis:// or rediss://, a password allowed) and how many of this machine's
   * trainers take runs from it, or null: this machine. The address is checked and reached first.
   */
  'queue:set': z.object({ url: z.string().max(2000).nullable(), localWorkers: z.number().int().min(0).max(64).optional() }).strict(),
  'compare:runs': z.object({ ids: z.array(id).max(200).optional(), groups: z.array(id).max(20).optional(), metric: z.enum(['valAccuracy', 'trainAccuracy', 'valLoss']).optional() }).strict(),
} as const;

export type Channel = keyof typeof requests;
export const CHANNELS = Object.keys(requests) as Channel[];
/** What a face sends on a channel. */
export type RequestOf<C extends Channel> = z.input<(typeof requests)[C]>;
/** What the service's handler for a channel receives: the request after the contract parsed it. */
export type ParsedRequests = { [C in Channel]: z.output<(typeof requests)[C]> };

declare const parsedByContract: unique symbol;
/** A request the contract has parsed. The service accepts nothing else; only parseRequest makes one. */
export interface Parsed<C extends Channel = Channel> {
  readonly channel: C;
  readonly request: ParsedRequests[C];
  readonly [parsedByContract]: true;
}
/** Any channel's parsed request, as a union a handler table can switch on. */
export type AnyParsed = { [C in Channel]: Parsed<C> }[Channel];

/**
 * Who is asking, decided by the face, never by the request: it sets which paths a request may
 * name. 'cli' and 'app' (the desktop shell's own menus) act for the user at the keyboard; 'page'
 * is the renderer (desktop window or browser), which names files only by handle, or by a path
 * inside `importRoot` when browser mode was started with one.
 */
export type Caller = { face: 'cli' } | { face: 'app' } | { face: 'page'; importRoot?: string; /** Browser mode: files reach the user as downloads (GET /download/<handle>). */ downloads?: boolean };

export interface SystemInfo {
  version: string;
  home: string;
  backend: { name: string; device: string; skipped: { name: string; reason: string }[] } | null;
  backendsAvailable: string[];
  /**
   * Each rung of the ladder, best first: whether it can run here (null: known only when a run
   * starts, as the native addon and a browser's adapter) and why not; `coded`: the reason as a
   * coded message, for a page to say in the user's language.
   */
  backendLadder: { name: string; available: boolean | null; reason: string | null; coded?: Message }[];
  versions: Record<string, string>;
  cores: number;
  settings: Required<z.infer<typeof SettingsSchema>>;
  /** The Redis queue runs go to; null: runs train on this machine. */
  queue: QueueStatus | null;
  queueSetting: QueueSettingInfo;
}

/**
 * Where the queue came from: `flag` (--redis or LAYERLAB_REDIS when this Layerlab started: fixed
 * for this process), `setting` (saved in the data folder), null (none: runs train here).
 * `editable`: this face may change it (queue:set).
 */
export interface QueueSettingInfo {
  source: 'flag' | 'setting' | null; url: string | null; localWorkers: number; editable: boolean;
  /** Why the saved setting is not in use (a damaged or unreadable queue.json): runs train here. */
  problem: Message | null;
}

export interface ValidateResult { ok: boolean; errors: FieldError[]; spec: ModelSpec | null; summary: ModelSummary | null }

export interface ExperimentStatus {
  id: string;
  name: string;
  groups: { variant: string; group: string; runIds: string[] }[];
  counts: Record<RunStatus, number>;
  done: boolean;
}

export interface DatasetSamples { featureShape: number[]; scale: number; samples: { index: number; label: number; values: number[] }[] }

/** Response types, by channel. */
export interface Responses {
  'system:info': SystemInfo;
  'system:settings': SystemInfo['settings'];
  'datasets:list': DatasetInfo[];
  'datasets:show': DatasetInfo;
  'datasets:preview': DatasetPreview;
  'datasets:samples': DatasetSamples;
  /** `reused`: the same content was imported before (same bytes, same options); that dataset is answered. */
  'datasets:import': DatasetInfo & { reused?: boolean };
  'datasets:cancel': { cancelled: boolean };
  'datasets:delete': { deleted: string };
  'datasets:download': DatasetInfo & { fetched: string[] };
  /** `reused`: a set of the same kind, size, noise and seed exists; it is answered. */
  'datasets:generate': DatasetInfo & { reused?: boolean };
  'models:validate': ValidateResult;
  'models:presets': Preset[];
  'models:keras': { code: string };
  'runs:start': { runIds: string[]; group: string | null };
  'runs:stop': { id: string; status: RunStatus };
  'runs:list': RunSummary[];
  'runs:show': RunDetail;
  'runs:update': RunSummary;
  'runs:delete': { deleted: string[] };
  /** `download`: where a page fetches the file (browser mode), with the token, once. */
  'runs:export': { path: string; bytes: number; download?: string };
  'runs:evaluate': RunDetail;
  'runs:predict': PredictResult;
  'runs:regions': RegionsView | null;
  /** `reused`: the run was here already (itself, or imported before); nothing was added. */
  'runs:import': RunSummary & { reused?: boolean };
  'experiments:start': ExperimentStatus;
  'experiments:status': ExperimentStatus;
  'experiments:list': ExperimentStatus[];
  'compare:runs': Comparison;
  'queue:set': QueueSettingInfo & { status: QueueStatus | null };
}

/** Events the service sends to every face. */
export interface Events {
  'runs:queued': { run: RunSummary };
  'runs:started': { runId: string; backend: string; device: string; skipped: { name: string; reason: string; coded?: Message }[]; trainCount: number; valCount: number; batches: number; epochs: number; probe?: ProbeFigure[]; why?: string; measuredAt?: string; cached?: true; /** The queue worker training it (a Redis queue); absent: a local trainer. */ worker?: RunWorker; /** Above 1: earlier attempts were lost (their workers died). */ attempt?: number };
  /** Throttled: at most one every ~100 ms per run. */
  'runs:batch': { runId: string; epoch: number; batch: number; batches: number; loss: number; accuracy: number };
  'runs:epoch': { runId: string } & EpochRecord;
  'runs:finished': { runId: string; status: RunStatus; error: string | null; /** 'UserError' and kin when the user can fix it. */ errorName: string | null; /** `error` as a coded message, for a page to say in the user's language. */ errorCoded?: Message; run: RunSummary };
  /** An import's or a download's progress (a download counts bytes); `importId` names either. */
  'datasets:progress': { importId: string; phase: 'reading' | 'parsing' | 'writing' | 'downloading' | 'verifying' | 'done'; done: number; total: number };
  'datasets:changed': { ids: string[] };
  /** The Redis queue's state changed (connected, paused with why, resumed, workers seen), or the queue was turned off (null). */
  'system:queue': z.infer<typeof QueueEventSchema>;
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = ['runs:queued', 'runs:started', 'runs:batch', 'runs:epoch', 'runs:finished', 'datasets:progress', 'datasets:changed', 'system:queue'];

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** What every face calls: the service in-process, IPC, or WebSocket. */
export interface Api {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Responses[C]>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** Parses an untrusted request for a channel; unknown channels and bad payloads are refused. */
export function parseRequest(channel: unknown, payload: unknown): { ok: true; value: AnyParsed } | { ok: false; error: ErrorInfo } {
  if (typeof channel !== 'string' || !Object.hasOwn(requests, channel)) {
    return { ok: false, error: { name: 'ContractError', message: `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}` } };
  }
  const r = requests[channel as Channel].safeParse(payload ?? {});
  if (!r.success) {
    const first = r.error.issues[0];
    return { ok: false, error: { name: 'ContractError', message: `${channel}: ${first.path.map(String).join('.') || 'request'}: ${first.message}` } };
  }
  // The one place a Parsed is made: the brand says this value came through the schema above.
  return { ok: true, value: { channel, request: r.data } as unknown as AnyParsed };
}

/** An error the contract reported: a request the caller should fix. */
export class ContractError extends Error {
  override name = 'ContractError';
}

/** parseRequest for a face that builds its own typed requests (the CLI, the desktop shell's menus). */
export function parseTyped<C extends Channel>(channel: C, payload: RequestOf<C>): Parsed<C> {
  const r = parseRequest(channel, payload);
  if (!r.ok) throw new ContractError(r.error.message);
  return r.value as Parsed<C>;
}

export type { ModelSpec, ImportOptions };
