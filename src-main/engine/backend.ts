/**
 * The backend ladder: tensorflow (tfjs-node-gpu, optional) → wasm → cpu, chosen once per process.
 * A skipped rung is reported with its reason, never silently.
 */
import * as tf from '@tensorflow/tfjs';
import { installWasmMatMul } from './wasm-kernels.js';

import type { BackendChoice as AnyBackendChoice } from '../shared/backends.js';

/** The rungs a Node trainer process can load (the GPU rungs run in a Chromium page instead). */
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

function isNodeRung(choice: AnyBackendChoice): choice is BackendChoice {
  return choice === 'auto' || (BACKENDS as readonly string[]).includes(choice);
}

export interface BackendReport {
  name: BackendName;
  /** Rungs above the chosen one (or the forced one that failed) and why each was passed over. */
  skipped: { name: BackendName; reason: string }[];
  /** Devices the backend trains on, as far as it tells. */
  device: string;
}

async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    if (name === 'tensorflow') {
      // Optional dependency: absent where its install script could not fetch libtensorflow.
      const mod = '@tensorflow/tfjs-node-gpu';
      await import(/* @vite-ignore */ mod);
    } else if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
    }
    if (!(await tf.setBackend(name))) return `tf.setBackend('${name}') refused it`;
    await tf.ready();
    return null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') {
      return name === 'tensorflow'
        ? '@tensorflow/tfjs-node-gpu is not installed (its install needs to download libtensorflow)'
        : `${name} backend package is not installed`;
    }
    return (e.message || String(err)).split('\n')[0];
  }
}

let chosen: BackendReport | null = null;

/** Picks the backend for this process. Forcing one that cannot load is an error naming the reason. */
export async function selectBackend(choice: AnyBackendChoice = 'auto'): Promise<BackendReport> {
  if (!isNodeRung(choice)) throw new Error(`the ${choice} backend does not run in a Node trainer process`);
  if (chosen && (choice === 'auto' || choice === chosen.name)) return chosen;
  const ladder: BackendName[] = choice === 'auto' ? [...BACKENDS] : [choice];
  const skipped: BackendReport['skipped'] = [];
  for (const name of ladder) {
    const reason = await tryBackend(name);
    if (reason === null) {
      // The wasm backend's transposed matrix products are a scalar loop; see wasm-kernels.ts.
      if (name === 'wasm') installWasmMatMul();
      chosen = { name, skipped, device: describeDevice(name) };
      return chosen;
    }
    skipped.push({ name, reason });
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(`no TensorFlow.js backend could start (${why})`);
}

function describeDevice(name: BackendName): string {
  if (name === 'tensorflow') return 'TensorFlow C library (CUDA GPU when present, else CPU)';
  if (name === 'wasm') {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    return `CPU, WebAssembly${simd ? ' with SIMD' : ''}, 1 thread`;
  }
  return 'CPU, plain JavaScript';
}
