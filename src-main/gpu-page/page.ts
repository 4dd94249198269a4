/**
 * The GPU trainer page: the engine's own training loop (engine/train.ts) on tfjs' webgpu or webgl
 * backend, in a Chromium page (a headless browser for the CLI and browser mode, a hidden sandboxed
 * window in the desktop app). It connects back to the host that served it, receives one job and
 * its dataset (shared/gpu-page.ts), and reports what the Node trainer reports. It writes nothing
 * anywhere: the host commits each message before anyone sees it.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { train } from '../engine/train.js';
import { probeTraining } from '../engine/probe.js';
import { serializeModel } from '../engine/save.js';
import { featureSize, type Dataset, type LabeledSplit } from '../shared/dataset.js';
import { toErrorInfo } from '../shared/errors.js';
import { HostToPage, isSoftwareAdapter, type AdapterInfo, type FrameName, type PageBackend, type PageJob, type PageMessageInput } from '../shared/gpu-page.js';

/** Batch progress is sent at most this often; epochs always. */
const BATCH_INTERVAL_MS = 100;

const status = document.getElementById('status');
const say = (text: string) => { if (status) status.textContent = text; };

// The socket sits beside the page: /<token>/ws.
const socketUrl = new URL('ws', location.href);
socketUrl.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
const ws = new WebSocket(socketUrl);
ws.binaryType = 'arraybuffer';

const send = (m: PageMessageInput, ...frames: Uint8Array[]) => {
  if (ws.readyState !== WebSocket.OPEN) return;
  ws.send(JSON.stringify(m));
  for (const f of frames) ws.send(f);
};

let job: PageJob | null = null;
const frames = new Map<FrameName, ArrayBuffer>();
let stopRequested = false;
let running = false;

ws.onopen = () => send({ type: 'hello', userAgent: navigator.userAgent });
ws.onmessage = (ev: MessageEvent<string | ArrayBuffer>) => {
  if (typeof ev.data === 'string') {
    let parsed: HostToPage;
    try {
      parsed = HostToPage.parse(JSON.parse(ev.data));
    } catch (err) {
      send({ type: 'error', runId: job?.runId ?? 'unknown', error: { name: 'Error', message: `the GPU page got a message it does not understand: ${(err as Error).message.slice(0, 300)}` } });
      return;
    }
    if (parsed.type === 'stop') { stopRequested = true; return; }
    if (job) return;
    job = parsed;
  } else if (job && frames.size < job.frames.length) {
    frames.set(job.frames[frames.size], ev.data);
  }
  if (job && !running && frames.size === job.frames.length) {
    running = true;
    void run(job);
  }
};

/** Starts the tfjs backend and says what it runs on. */
async function startBackend(name: PageBackend): Promise<AdapterInfo> {
  let adapter: AdapterInfo;
  if (name === 'webgpu') {
    const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
    if (!gpu) throw new Error('this browser offers no WebGPU (navigator.gpu is missing): update it, or start it with --enable-unsafe-webgpu');
    const a = await gpu.requestAdapter();
    if (!a) throw new Error('the browser offers WebGPU but found no adapter for it (no usable GPU or driver)');
    const info = a.info ?? (await a.requestAdapterInfo?.()) ?? {};
    const vendor = info.vendor ?? '';
    const architecture = info.architecture ?? '';
    const description = info.description ?? '';
    adapter = { vendor, architecture, description, software: a.isFallbackAdapter === true || info.isFallbackAdapter === true || isSoftwareAdapter(`${vendor} ${architecture} ${description}`) };
  } else {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) throw new Error('this browser offers no WebGL2 context (no usable GPU or driver)');
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const vendor = String(ext ? gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR));
    const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    adapter = { vendor, architecture: '', description: renderer, software: isSoftwareAdapter(`${vendor} ${renderer}`) };
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') refused it`);
  await tf.ready();
  return adapter;
}

interface GpuAdapterInfoLike { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean }
interface GpuLike {
  requestAdapter(): Promise<{ info?: GpuAdapterInfoLike; isFallbackAdapter?: boolean; requestAdapterInfo?(): Promise<GpuAdapterInfoLike> } | null>;
}

function split(j: PageJob, which: 'train' | 'test'): LabeledSplit | undefined {
  const header = j.dataset[which];
  const xb = frames.get(`${which}.x`);
  const yb = frames.get(`${which}.y`);
  if (!header || !xb || !yb) return undefined;
  const x = header.xType === 'uint8' ? new Uint8Array(xb) : new Float32Array(xb);
  const y = new Int32Array(yb);
  const size = featureSize(j.dataset.featureShape);
  if (x.length !== header.count * size || y.length !== header.count) {
    throw new Error(`the ${which} split arrived with ${x.length} features and ${y.length} labels for ${header.count} samples of ${size}`);
  }
  return { x, y, count: header.count };
}

async function run(j: PageJob): Promise<void> {
  const { runId } = j;
  try {
    const train0 = split(j, 'train');
    if (!train0) throw new Error('the training split did not arrive');
    const dataset: Dataset = {
      id: j.dataset.id, name: j.dataset.name, featureShape: j.dataset.featureShape,
      classNames: j.dataset.classNames, scale: j.dataset.scale, train: train0, test: split(j, 'test'),
    };
    if (j.probe) {
      for (const backend of j.probe.backends) {
        say(`run ${runId}: probing ${backend}`);
        try {
          const adapter = await startBackend(backend);
          const p = await probeTraining(j.spec, dataset, j.probe.steps, j.path);
          send({ type: 'probe', runId, backend, samplesPerSecond: p.samplesPerSecond, steps: p.steps, adapter });
        } catch (err) {
          send({ type: 'probe', runId, backend, samplesPerSecond: null, steps: 0, reason: toErrorInfo(err).message.slice(0, 2000) });
        }
      }
      send({ type: 'done', runId, status: 'completed' });
      return;
    }
    say(`run ${runId}: starting ${j.backend}`);
    const adapter = await startBackend(j.backend);
    send({ type: 'adapter', runId, backend: j.backend, adapter });
    const modelJson = frames.get('init.model.json');
    const weights = frames.get('init.weights.bin');
    let lastBatch = 0;
    const outcome = await train(j.spec, dataset, {
      limit: j.limit,
      path: j.path,
      initialWeights: modelJson && weights ? { 'model.json': new Uint8Array(modelJson), 'weights.bin': new Uint8Array(weights) } : undefined,
      hooks: {
        onStart: (info) => send({ type: 'started', runId, ...info }),
        onBatch: (p) => {
          const now = performance.now();
          if (now - lastBatch < BATCH_INTERVAL_MS && p.batch !== p.batches) return;
          lastBatch = now;
          send({ type: 'batch', runId, ...p });
        },
        onEpoch: (m) => {
          say(`run ${runId}: epoch ${m.epoch} done`);
          send({ type: 'epoch', runId, ...m });
        },
        shouldStop: () => stopRequested,
      },
    });
    frames.clear();
    if (outcome.marks) send({ type: 'marks', runId, ...outcome.marks });
    if (outcome.evaluation) send({ type: 'evaluation', runId, evaluation: outcome.evaluation });
    if (j.saveModel && outcome.status === 'completed') {
      const files = await serializeModel(outcome.model);
      send({ type: 'model', runId, files: ['model.json', 'weights.bin'] }, files['model.json'], files['weights.bin']);
    }
    outcome.model.dispose();
    send({ type: 'done', runId, status: outcome.status });
    say(`run ${runId}: ${outcome.status}`);
  } catch (err) {
    send({ type: 'error', runId, error: toErrorInfo(err) });
    say(`run ${runId}: failed`);
  }
}
