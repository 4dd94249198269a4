import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    // Real training and real processes: forks, generous timeouts; 2 cores here.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Runs train on the CPU rungs unless a test asks for the GPU page (test/integration/gpu-*.test.ts
    // pass their browser): an `auto` run would otherwise start a browser to probe every time.
    env: { LAYERLAB_BROWSER: 'none' },
  },
});
