/**
 * The Node trainer (out/node/trainer.js) with TensorFlow.js bundled in: the core (all gradients),
 * layers and the CPU and wasm backends from their ES-module builds, '@tensorflow/tfjs' resolving to
 * src-main/engine/tf-lean.ts. Loading it costs a trainer's start a third of what importing the
 * full @tensorflow/tfjs package does (Node no longer lexes its CommonJS files, and the converter,
 * tfjs-data and WebGL stay out): bench/first-line.ts. Built after vite.node.config.ts, into the same
 * folder. The wasm backend's Emscripten glue finds its .wasm files through `__dirname`, which an
 * ES module lacks: the banner sets it to the installed package's dist/ folder.
 * out/node/trainer-full.js (vite.node.config.ts) imports the full package instead: the host picks
 * it where @tensorflow/tfjs-node-gpu is installed, whose package loads the full one itself.
 */
import { defineConfig } from 'vite';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';

const WASM_DIR = "const __dirname = __layerlabJoin(__layerlabDirname(__layerlabRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');";

export default defineConfig({
  resolve: {
    alias: [{ find: /^@tensorflow\/tfjs$/, replacement: resolve(import.meta.dirname, 'src-main/engine/tf-lean.ts') }],
    mainFields: ['module', 'jsnext:main', 'main'],
  },
  build: {
    ssr: true,
    outDir: 'out/node',
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    sourcemap: true,
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      input: { trainer: 'src-main/workers/trainer-entry.ts' },
      external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), '@tensorflow/tfjs-node-gpu', 'better-sqlite3', 'sharp', 'ws', 'zod'],
      output: {
        format: 'es', entryFileNames: '[name].js', chunkFileNames: 'trainer-[name]-[hash].js',
        banner: (chunk) => chunk.moduleIds.some((id) => id.includes('tfjs-backend-wasm'))
          ? `import { createRequire as __layerlabRequire } from 'node:module'; import { dirname as __layerlabDirname, join as __layerlabJoin } from 'node:path'; ${WASM_DIR}`
          : '',
      },
    },
  },
  ssr: { target: 'node', noExternal: [/^@tensorflow\//, 'long', 'seedrandom'] },
});
