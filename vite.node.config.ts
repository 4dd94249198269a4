/**
 * The Node build: the CLI (which also serves browser mode) and the worker entries, bundled into
 * out/node/ so workers sit beside the CLI. npm packages stay external (native addons, wasm files).
 * Shared chunks sit in out/node/ too, not a subfolder: code that finds its neighbours from its own
 * module's place (the workers' entries, the renderer) runs from chunks since the CLI's entry
 * loads the rest of the CLI lazily (src-main/cli/entry.ts).
 */
import { defineConfig } from 'vite';
import { builtinModules } from 'node:module';

export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/node',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: {
        cli: 'src-main/cli/entry.ts',
        // The trainer with the full @tensorflow/tfjs package (for tfjs-node-gpu); out/node/trainer.js is vite.trainer.config.ts's.
        'trainer-full': 'src-main/workers/trainer-entry.ts',
        importer: 'src-main/workers/importer-entry.ts',
      },
      external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), /^@tensorflow\//, 'better-sqlite3', 'sharp', 'ws', 'zod', 'bullmq', 'ioredis'],
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
  ssr: { target: 'node' },
});
