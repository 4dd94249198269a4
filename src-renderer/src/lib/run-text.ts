/**
 * What the service wrote about a run in English (its device line, a repeat's name suffix), said in
 * the chosen language at display time.
 *
 * A run's device line: the trainer writes it in English The trainer writes it in English from a few fixed
 * shapes (engine/backend.ts, shared/gpu-page.ts's describeAdapter) and runs keep it as written, so
 * a page words those shapes again; a line of any other shape (an older run's) is shown as stored.
 */
import type { Translate } from '../i18n/translate.js';
import type { ProbeFigure } from '../../../src-main/shared/runs.js';
import { isSoftwareDevice } from '../../../src-main/shared/gpu-page.js';
import { recognise, type Message } from '../../../src-main/shared/messages.js';
import { messageIn } from './verdict-text.js';

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

/**
 * A run's name as shown: the service names each run of a repeat `<name> (seed <n>)` (the suffix
 * stats/index.ts also reads); a page says that suffix in the chosen language. Names are kept as stored.
 */
export function runNameText(name: string, t: Translate): string {
  const m = /^(.*) \(seed (\d+)\)$/.exec(name);
  return m ? t('runs.seedName', { name: m[1], seed: m[2] }) : name;
}

/**
 * Why `auto` chose its rung, from the probe's figures (the run's `why` says the same in English):
 * each rung's samples per second, or why it has none.
 */
export function probeText(probe: readonly ProbeFigure[], winner: string, t: Translate): string {
  const parts = probe.map((f) => f.samplesPerSecond !== null
    ? `${t('train.probeFigure', { backend: f.backend, n: Math.round(f.samplesPerSecond).toLocaleString() })}${isSoftwareDevice(f.device) ? ` ${t('train.probeSoftware')}` : ''}`
    : `${f.backend}: ${f.reason ?? t('train.probeNone')}`);
  return t('train.probeWhy', { winner, figures: parts.join('; ') });
}

/** Skipped rungs that every run on such a machine shows: a note, not a warning. */
const SKIP_NOTES = new Set(['backend.notInstalled', 'backend.packageMissing', 'backend.noGpuDevice', 'backend.browserOff']);

/**
 * The rungs the backend ladder skipped, in the chosen language: from the live start event (coded),
 * or from a stored run (reopened after a reload), whose reasons are kept in English and coded again
 * here. `note`: an optional rung not installed, browser rungs turned off (LAYERLAB_BROWSER=none),
 * GPU rungs without a GPU device: said plainly; anything else is a warning.
 */
export function skippedText(skipped: readonly { name: string; reason: string; coded?: Message }[], t: Translate): { name: string; text: string; code?: string; note: boolean }[] {
  return skipped.map((s) => {
    const coded = s.coded ?? recognise(s.reason, 'backend.');
    return { name: s.name, text: t('train.skipped', { name: s.name, reason: messageIn(coded, s.reason, t) }), code: coded?.code, note: coded !== undefined && SKIP_NOTES.has(coded.code) };
  });
}
