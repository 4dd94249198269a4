/**
 * The training backends, best first: the ladder every face shows and `--backend` chooses from.
 * GPU rungs (webgpu, webgl) run the engine in a Chromium page; the others in a Node trainer process.
 * `auto` picks the fastest usable rung for the model (see docs/architecture.md).
 */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'webgl', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
