/**
 * The GPU trainer page (src-main/gpu-page/): the engine bundled with tfjs' webgpu and webgl
 * backends into out/gpu-page/, which the Node host serves on loopback to a headless browser
 * (workers/browser-host.ts) and the desktop app loads in a hidden window from app://.
 */
import { defineConfig } from 'vite';

const here = import.meta.dirname;

export default defineConfig({
  root: `${here}/src-main/gpu-page`,
  base: './',
  build: {
    outDir: `${here}/out/gpu-page`,
    emptyOutDir: true,
    target: 'es2022',
    // tfjs with two GPU backends is one ~2 MB chunk, loaded once per run from this machine.
    chunkSizeWarningLimit: 4000,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
