/**
 * The desktop build (`electron-vite build`):
 *   out/main/index.js, trainer.js, importer.js  main and the worker entries, side by side, because
 *                                               UtilityWorkerHost starts `<kind>.js` beside main
 *   out/preload/index.cjs                       sandboxed preload: CommonJS, only `electron` external
 *   out/renderer/                               the Svelte app, built like src-renderer/vite.config.ts
 * npm dependencies stay external in main (native addons and wasm files are loaded from
 * node_modules, unpacked from the asar where native).
 */
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rendererPlugins } from './src-renderer/vite.config.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const at = (path: string) => resolve(root, path);

/** Native or wasm-loading packages: never bundled, whatever package.json lists. */
const NATIVE = [/^@tensorflow\//, 'better-sqlite3', 'sharp', /^@img\//];

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      sourcemap: true,
      // package.json dependencies (zod, ws, …) are externalized too: they ship in node_modules.
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: at('src-main/electron/main.ts'),
          trainer: at('src-main/workers/trainer-entry.ts'),
          importer: at('src-main/workers/importer-entry.ts'),
        },
        external: NATIVE,
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      // A sandboxed preload cannot require anything but `electron`: bundle everything else in.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: at('src-renderer'),
    base: './',
    plugins: rendererPlugins(),
    build: {
      outDir: at('out/renderer'),
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 800,
      modulePreload: { polyfill: false },
      rolldownOptions: { input: at('src-renderer/index.html') },
    },
    server: { port: 5173, strictPort: false },
  },
});
