/**
 * What the Node trainer takes of TensorFlow.js (vite.trainer.config.ts aliases '@tensorflow/tfjs'
 * to this file): the core with every gradient, the layers API and the CPU backend, bundled from
 * their ES-module builds into out/node/trainer.js; the wasm backend is bundled the same way where
 * backend.ts imports it. Not the converter, tfjs-data or WebGL, which the full package loads too:
 * importing @tensorflow/tfjs costs a trainer's start ~3× longer than this. The same 4.22 sources
 * either way, so the same numbers. (The GPU page and the desktop app's trainer take the full one.)
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
