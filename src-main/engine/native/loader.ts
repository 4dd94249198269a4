/**
 * Loads the native engine (the `layerlab-native` package in native/). The one place in the engine
 * that reaches into Node, and only through `process`: a browser page has none, so the rung is
 * simply unavailable there and nothing Node-only is imported when the engine is bundled for one.
 */
import type { NativeAddon } from './addon.js';

let addon: NativeAddon | null = null;
let failure: string | null = null;

/** The addon, loaded once per process. Throws one line saying why it cannot load. */
export function loadNative(): NativeAddon {
  if (addon) return addon;
  if (failure) throw new Error(failure);
  try {
    const nodeModule = globalThis.process?.getBuiltinModule?.('node:module');
    if (!nodeModule) throw new Error('native code runs only in a Node or Electron process');
    addon = nodeModule.createRequire(import.meta.url)('layerlab-native') as NativeAddon;
    return addon;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    failure = e.code === 'MODULE_NOT_FOUND' && /layerlab-native/.test(e.message)
      ? 'the layerlab-native package is not installed (run npm install)'
      : (e.message || String(err)).split('\n')[0];
    throw new Error(failure);
  }
}

/** Why the addon cannot load here, or null when it can. */
export function nativeUnavailableReason(): string | null {
  try {
    loadNative();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
