// Renderer unit tests alone (no built CLI needed): npx vitest run --config test/unit/renderer/vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { root: new URL('../../..', import.meta.url).pathname, include: ['test/unit/renderer/**/*.test.ts'] },
});
