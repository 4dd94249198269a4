/**
 * A run's device line in the chosen language. The trainer writes it in English from a few fixed
 * shapes (engine/backend.ts, shared/gpu-page.ts's describeAdapter) and runs keep it as written, so
 * a page words those shapes again; a line of any other shape (an older run's) is shown as stored.
 */
import type { Translate } from '../i18n/translate.js';

const KERNELS_PORTABLE = 'portable C';

export function deviceText(device: string | null | undefined, t: Translate): string {
  if (!device) return '';
  let m = /^CPU, native code \((.+)\), 1 thread; tfjs (\w+) for the rest$/.exec(device);
  if (m) return t('device.native', { kernels: m[1] === KERNELS_PORTABLE ? t('device.portableC') : m[1], under: m[2] });
  m = /^CPU, WebAssembly( with SIMD)?, 1 thread$/.exec(device);
  if (m) return t(m[1] ? 'device.wasmSimd' : 'device.wasm');
  if (device === 'CPU, plain JavaScript') return t('device.cpu');
  if (device === 'TensorFlow C library (CUDA GPU when present, else CPU)') return t('device.tensorflow');
  m = /^(WebGPU|WebGL) · (.+) \(software\)$/.exec(device);
  if (m) return t('device.gpuSoftware', { api: m[1], name: m[2] });
  return device;
}
