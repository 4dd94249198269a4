/**
 * The renderer build: `vite build --config src-renderer/vite.config.ts` writes out/renderer.
 * electron-vite reuses `rendererPlugins` so both builds compile Svelte the same way.
 */
import { defineConfig, type PluginOption } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// import.meta.dirname (Node ≥ 20.11) rather than node:path: the renderer folder imports no node: modules.
const here = import.meta.dirname;

export function rendererPlugins(): PluginOption[] {
  // Component CSS goes to a .css file (never injected <style>), so the CSP needs no 'unsafe-inline'.
  return [svelte({ emitCss: true, compilerOptions: { css: 'external' } })];
}

export default defineConfig({
  root: here,
  base: './',
  plugins: rendererPlugins(),
  build: {
    outDir: `${here}/../out/renderer`,
    emptyOutDir: true,
    // Electron's Chromium and any current browser: no legacy transforms.
    target: 'es2022',
    // Chart.js plus zod make one ~300 kB chunk; splitting buys nothing offline.
    chunkSizeWarningLimit: 800,
    modulePreload: { polyfill: false },
  },
  server: { port: 5173, strictPort: false },
});
