/**
 * The backend ladder of a Node trainer: tensorflow (tfjs-node-gpu, optional) → native (our addon,
 * native/) → wasm → cpu, chosen once per process. A skipped rung is reported with its reason,
 * never silently. The native rung trains with the addon and keeps tfjs (wasm, else cpu) underneath
 * for building, saving and anything the addon does not do.
 */
import * as tf from '@tensorflow/tfjs';
import { tensorflowBindingPresent } from './tensorflow-binding.js';
import { installWasmKernels } from './wasm-install.js';
import { loadNative } from './native/loader.js';
import { nativeUnsupportedReason } from './native/config.js';
import type { ModelSpec } from '../shared/spec.js';
import { message, messageText, type Message } from '../shared/messages.js';

import type { BackendChoice as AnyBackendChoice } from '../shared/backends.js';

/** The rungs a Node trainer process can load (the GPU rungs run in a Chromium page instead). */
export const BACKENDS = ['tensorflow', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

function isNodeRung(choice: AnyBackendChoice): choice is BackendChoice {
  return choice === 'auto' || (BACKENDS as readonly string[]).includes(choice);
}

export interface BackendReport {
  name: BackendName;
  /** Rungs above the chosen one (or the forced one that failed) and why each was passed over. */
  skipped: { name: BackendName; reason: string; coded?: Message }[];
  /** Devices the backend trains on, as far as it tells. */
  device: string;
}

/** What the run will train, when known: the native rung takes only models its step trains. */
export interface BackendNeeds {
  spec?: ModelSpec;
  /** 'stock' asks for tf.LayersModel.fit, which only tfjs runs. */
  path?: 'fast' | 'stock';
}

/** A skip reason: English text, or a coded message a page translates. */
type Reason = string | Message;
const skip = (name: BackendName, r: Reason): BackendReport['skipped'][number] => (typeof r === 'string' ? { name, reason: r } : { name, reason: messageText(r), coded: r });

async function tryTf(name: Exclude<BackendName, 'native'>): Promise<Reason | null> {
  try {
    if (name === 'tensorflow') {
      // Optional dependency: absent where its install script could not fetch libtensorflow. Its
      // binding (lib/napi-v*/tfjs_binding.node) is looked for first: importing the package to
      // find it missing costs ~0.3-0.9 s of every run's start.
      if (!tensorflowBindingPresent()) return message('backend.notInstalled', { package: '@tensorflow/tfjs-node-gpu' });
      const mod = '@tensorflow/tfjs-node-gpu';
      await import(/* @vite-ignore */ mod);
    } else if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
    }
    if (!(await tf.setBackend(name))) return `tf.setBackend('${name}') refused it`;
    await tf.ready();
    // The wasm backend lacks the convolution's weight gradient and loops where XNNPACK could run: wasm-install.ts.
    if (name === 'wasm') installWasmKernels();
    return null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') {
      return name === 'tensorflow'
        ? message('backend.notInstalled', { package: '@tensorflow/tfjs-node-gpu' })
        : `${name} backend package is not installed`;
    }
    return (e.message || String(err)).split('\n')[0];
  }
}

/** The native rung: the addon loads, the run can use it, and tfjs (wasm, else cpu) starts under it. */
async function tryNative(needs: BackendNeeds): Promise<{ reason: Reason } | { device: string }> {
  let kernels: string;
  try {
    kernels = loadNative().info().kernels;
  } catch (err) {
    return { reason: (err as Error).message };
  }
  if (needs.path === 'stock') return { reason: message('backend.stockPath') };
  const unsupported = needs.spec ? nativeUnsupportedReason(needs.spec) : null;
  if (unsupported) return { reason: unsupported };
  const under = (await tryTf('wasm')) === null ? 'wasm' : (await tryTf('cpu')) === null ? 'cpu' : null;
  if (!under) return { reason: message('backend.noTfjs') };
  return { device: `CPU, native code (${KERNEL_NAMES[kernels] ?? kernels}), 1 thread; tfjs ${under} for the rest` };
}

const KERNEL_NAMES: Record<string, string> = { avx512: 'AVX-512', avx2: 'AVX2 + FMA', sse2: 'SSE2', scalar: 'portable C' };

/**
 * What selectBackend would do first for the usual rungs (native, wasm), done ahead while the
 * trainer waits for its run: load the addon, load and compile the wasm backend. It chooses
 * nothing and sets nothing that selectBackend does not set again; a failure here is left for
 * selectBackend to report. Call selectBackend only after it has settled.
 */
export async function warmBackend(): Promise<void> {
  try {
    loadNative();
  } catch {
    // selectBackend says why.
  }
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) await tf.ready();
  } catch {
    // selectBackend says why.
  }
}

/**
 * Picks the backend for this process. `auto` takes the first rung that works for the run; a
 * forced rung that cannot load is an error naming the reason, except that a forced native rung
 * whose step cannot train the model goes on down the ladder (wasm, cpu), saying why in `skipped`.
 */
export async function selectBackend(choice: AnyBackendChoice = 'auto', needs: BackendNeeds = {}): Promise<BackendReport> {
  if (!isNodeRung(choice)) throw new Error(`the ${choice} backend does not run in a Node trainer process`);
  const ladder: BackendName[] = choice === 'auto' ? [...BACKENDS] : [choice];
  const skipped: BackendReport['skipped'] = [];
  for (let i = 0; i < ladder.length; i++) {
    const name = ladder[i];
    if (name === 'native') {
      const r = await tryNative(needs);
      if ('device' in r) return { name, skipped, device: r.device };
      skipped.push(skip(name, r.reason));
      // The addon works but this run cannot use it: the rungs below native still can.
      if (choice === 'native' && loadable()) ladder.push('wasm', 'cpu');
      continue;
    }
    const reason = await tryTf(name);
    if (reason === null) return { name, skipped, device: describeDevice(name) };
    skipped.push(skip(name, reason));
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(choice === 'auto' ? `no training backend could start (${why})` : `the ${choice} backend cannot start (${why})`);
}

function loadable(): boolean {
  try {
    loadNative();
    return true;
  } catch {
    return false;
  }
}

function describeDevice(name: Exclude<BackendName, 'native'>): string {
  if (name === 'tensorflow') return 'TensorFlow C library (CUDA GPU when present, else CPU)';
  if (name === 'wasm') {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    return `CPU, WebAssembly${simd ? ' with SIMD' : ''}, 1 thread`;
  }
  return 'CPU, plain JavaScript';
}
