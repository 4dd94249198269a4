/**
 * One run as one file: `layerlab runs export` writes it, `runs import` reads it on another
 * machine. The file is untrusted on the way in: it is parsed completely, and every artifact's
 * size and sha256 checked, before the caller touches the database or the data folder.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../shared/errors.js';
import { message, type MessageCode, type MessageParams } from '../shared/messages.js';
import { ModelSpec, formatPath } from '../shared/spec.js';
import { RUN_STATUSES, TERMINAL_STATUSES, type RunDetail } from '../shared/runs.js';
import { KIND_PATTERN, badFileName } from './artifacts.js';
import { LayerStatSchema } from '../shared/layer-stats.js';
import { sha256 } from './files.js';

export const RUN_FILE_FORMAT = 'layerlab-run';
/**
 * 2 added what the callbacks did and the continued-from run; 3 the layer statistics of each
 * epoch (optional); 4 the attempts a queue run lost (`lostAttempts`). Files of versions 1 to 3
 * still read, and a run that lost no attempt is still written as version 3, which older
 * Layerlabs read.
 */
export const RUN_FILE_VERSION = 4;
/** Node cannot hold a longer string; no real run comes near it. */
const MAX_FILE_BYTES = 500 * 1024 * 1024;

/** NaN and Infinity become null in JSON; read them back as NaN. */
const metric = z.number().nullable().transform((v) => v ?? NaN);
const count = z.number().int().min(0).nullable();
const iso = z.iso.datetime();
/** An epoch number a version-1 file does not have. */
const epochNumber = z.number().int().min(1).nullable().default(null);

const EpochSchema = z.object({
  epoch: z.number().int().min(1), loss: metric, accuracy: metric, valLoss: metric, valAccuracy: metric,
  seconds: z.number().min(0), samplesPerSecond: metric,
  layers: z.array(LayerStatSchema).max(64).optional(),
}).strict();

const EvaluationSchema = z.object({
  split: z.enum(['test', 'validation']),
  count: z.number().int().min(0),
  loss: metric,
  accuracy: metric,
  confusion: z.array(z.array(z.number().int().min(0))),
  misclassified: z.array(z.object({
    index: z.number().int().min(0), label: z.number().int().min(0),
    predicted: z.number().int().min(0), confidence: z.number(),
  }).strict()),
}).strict();

const ArtifactSchema = z.object({
  kind: z.string().regex(KIND_PATTERN),
  name: z.string().max(255).refine((n) => badFileName(n) === null, 'not a plain file name'),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  data: z.base64(),
}).strict();

/** Epochs numbered 1, 2, … in order. */
const epochList = z.array(EpochSchema).superRefine((epochs, ctx) => {
  epochs.forEach((e, i) => {
    if (e.epoch !== i + 1) ctx.addIssue({ code: 'custom', path: [i, 'epoch'], message: `expected epoch ${i + 1}` });
  });
});

const WorkerSchema = z.object({
  host: z.string().max(255), pid: z.number().int().min(0), name: z.string().max(255), backend: z.string().max(100), device: z.string().max(1000),
}).strict();

/** An attempt a queue worker lost before the run's own (issue 17): kept apart, counted nowhere. */
const LostAttemptSchema = z.object({
  attempt: z.number().int().min(1),
  worker: WorkerSchema.nullable(),
  backend: z.string().max(100).nullable(),
  device: z.string().max(1000).nullable(),
  startedAt: iso.nullable(),
  endedAt: iso,
  why: z.string().max(2000),
  epochs: epochList,
}).strict();

const RunFieldsSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().max(200),
  group: z.string().max(200).nullable(),
  experiment: z.string().max(200).nullable(),
  // A queued or running run is not finished: there is nothing stable to move.
  status: z.enum(RUN_STATUSES).refine((s) => TERMINAL_STATUSES.includes(s), 'must be a finished status'),
  datasetId: z.string().min(1).max(4200),
  seed: z.number().int(),
  backend: z.string().max(100).nullable(),
  createdAt: iso, startedAt: iso.nullable(), endedAt: iso.nullable(),
  error: z.string().max(100_000).nullable(),
  notes: z.string().max(100_000),
  tags: z.array(z.string().min(1).max(64)).max(32),
  trainCount: count, valCount: count,
  limit: z.number().int().positive().nullable(),
  stoppedEpoch: epochNumber, bestEpoch: epochNumber, modelEpoch: epochNumber,
  continuedFrom: z.string().min(1).max(200).nullable().default(null),
  device: z.string().max(1000).nullable().default(null),
  backendNotes: z.object({
    skipped: z.array(z.object({ name: z.string().max(100), reason: z.string().max(2000) }).strict()).max(20),
    probe: z.array(z.object({
      backend: z.string().max(100), samplesPerSecond: z.number().min(0).nullable(),
      device: z.string().max(1000).optional(), reason: z.string().max(2000).optional(),
    }).strict()).max(20).optional(),
    why: z.string().max(2000).optional(),
    measuredAt: iso.optional(),
    cached: z.literal(true).optional(),
    adapter: z.string().max(2000).optional(),
  }).strict().nullable().default(null),
  // The queue worker that trained it and the attempt its epochs are (the lost ones: lostAttempts).
  worker: WorkerSchema.nullable().default(null),
  attempt: z.number().int().min(1).default(1),
}).strict();

export const RunFileSchema = z.object({
  format: z.literal(RUN_FILE_FORMAT),
  version: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(RUN_FILE_VERSION)]),
  exportedAt: iso,
  run: RunFieldsSchema,
  spec: ModelSpec,
  epochs: epochList,
  /** Oldest first; each before the run's own attempt. */
  lostAttempts: z.array(LostAttemptSchema).max(100).default([]),
  evaluation: EvaluationSchema.nullable(),
  artifacts: z.array(ArtifactSchema).superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((a, i) => {
      const key = `${a.kind}/${a.name}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `${key} appears twice` });
      seen.add(key);
    });
  }),
}).strict().superRefine((f, ctx) => {
  for (const key of ['stoppedEpoch', 'bestEpoch', 'modelEpoch'] as const) {
    const e = f.run[key];
    if (e !== null && e > f.epochs.length) ctx.addIssue({ code: 'custom', path: ['run', key], message: `epoch ${e} but the file has ${f.epochs.length} epochs` });
  }
  f.lostAttempts.forEach((a, i) => {
    const before = i === 0 ? 0 : f.lostAttempts[i - 1].attempt;
    if (a.attempt <= before || a.attempt >= f.run.attempt) {
      ctx.addIssue({ code: 'custom', path: ['lostAttempts', i, 'attempt'], message: `attempt ${a.attempt} must come after ${before} and before the run's own attempt ${f.run.attempt}` });
    }
  });
});

export type RunFile = z.infer<typeof RunFileSchema>;
/** What the importer gets: the file's fields, artifacts decoded and checked. */
export type CheckedRunFile = Omit<RunFile, 'artifacts'> & { artifacts: { kind: string; name: string; bytes: Uint8Array }[] };

/** The export document for a run whose artifact bytes the caller has read (and checked). */
export function buildRunFile(run: RunDetail, artifacts: { kind: string; name: string; bytes: Uint8Array }[]): z.input<typeof RunFileSchema> {
  const { spec, epochs, evaluation, artifacts: _rows, lostAttempts = [], epochsDone: _e, trainAccuracy: _t, valAccuracy: _v, valLoss: _l, seconds: _s, testAccuracy: _a, ...fields } = run;
  return {
    format: RUN_FILE_FORMAT, version: lostAttempts.length ? RUN_FILE_VERSION : 3, exportedAt: new Date().toISOString(),
    run: fields, spec, epochs, ...(lostAttempts.length ? { lostAttempts } : {}), evaluation,
    artifacts: artifacts.map((a) => ({
      kind: a.kind, name: a.name, bytes: a.bytes.byteLength, sha256: sha256(a.bytes),
      data: Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength).toString('base64'),
    })),
  };
}

/**
 * Reads and checks a run file completely.
 * @throws UserError "<file>: <field>: <what is wrong>" for anything unreadable, malformed or tampered.
 */
export function readRunFile(file: string): CheckedRunFile {
  const fail = (field: string, problem: string): never => { throw new UserError(`${file}: ${field}: ${problem}`); };
  const refuse = (code: MessageCode & `runFile.${string}`, params: MessageParams = {}): never => { throw new UserError(message(code, { file, ...params })); };
  let text: string;
  try {
    if (statSync(file).size > MAX_FILE_BYTES) fail('(file)', `larger than ${MAX_FILE_BYTES} bytes: not a run export`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    return fail('(file)', `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch { return refuse('runFile.notJson'); }
  const head = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (head.format !== RUN_FILE_FORMAT) refuse('runFile.format', { format: RUN_FILE_FORMAT });
  if (typeof head.version === 'number' && head.version > RUN_FILE_VERSION) {
    refuse('runFile.newer', { version: head.version, reads: RUN_FILE_VERSION });
  }
  const parsed = RunFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(formatPath(issue.path), issue.message);
  }
  const artifacts = parsed.data.artifacts.map((a, i) => {
    const bytes = new Uint8Array(Buffer.from(a.data, 'base64'));
    if (bytes.byteLength !== a.bytes) refuse('runFile.bytes', { field: `artifacts.${i}.bytes`, declared: a.bytes, have: bytes.byteLength });
    if (sha256(bytes) !== a.sha256) refuse('runFile.sha', { field: `artifacts.${i}.sha256` });
    return { kind: a.kind, name: a.name, bytes };
  });
  return { ...parsed.data, artifacts };
}
