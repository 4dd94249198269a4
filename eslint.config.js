// Import direction is enforced here, not by goodwill: see docs/architecture.md.
import tseslint from 'typescript-eslint';

const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const folder = (name, message) => ({ group: [`**/${name}/**`, `../${name}/*`, `../../${name}/*`], message });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'src-renderer/**/*.svelte'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // The native addon's package loads a .node binary and runs at install time: CommonJS by necessity.
  { files: ['native/**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  restrict(['src-main/shared/**/*.ts'], [
    { group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'shared is pure: the renderer imports it' },
    folder('engine', 'shared imports nothing of ours'), folder('data', 'shared imports nothing of ours'),
    folder('store', 'shared imports nothing of ours'), folder('service', 'shared imports nothing of ours'),
    folder('workers', 'shared imports nothing of ours'), folder('electron', 'shared imports nothing of ours'),
    folder('server', 'shared imports nothing of ours'), folder('cli', 'shared imports nothing of ours'),
    { group: ['@tensorflow/*', 'better-sqlite3', 'electron', 'sharp'], message: 'shared is pure' },
  ]),
  restrict(['src-main/engine/**/*.ts'], [
    folder('data', 'engine sees datasets only as shared/dataset types'), folder('store', 'engine knows no database'),
    folder('service', 'engine is below service'), folder('workers', 'engine is below workers'),
    folder('electron', 'no electron in engine'), folder('server', 'engine is below server'), folder('cli', 'engine is below cli'),
    { group: ['electron', 'better-sqlite3'], message: 'engine: TensorFlow.js only' },
  ]),
  restrict(['src-main/data/**/*.ts'], [
    folder('engine', 'data does not train'), folder('store', 'data knows no run history'),
    folder('service', 'data is below service'), folder('workers', 'data is below workers'),
    folder('electron', 'no electron in data'), folder('server', 'data is below server'), folder('cli', 'data is below cli'),
    { group: ['@tensorflow/*', 'electron', 'better-sqlite3'], message: 'data parses files only' },
  ]),
  restrict(['src-main/store/**/*.ts'], [
    folder('engine', 'store keeps numbers, not tensors'), folder('data', 'store is beside data'),
    folder('service', 'store is below service'), folder('workers', 'store is below workers'),
    folder('electron', 'no electron in store'), folder('server', 'store is below server'), folder('cli', 'store is below cli'),
    { group: ['@tensorflow/*', 'electron'], message: 'store: SQLite and files only' },
  ]),
  restrict(['src-main/workers/**/*.ts'], [
    folder('store', 'only the service writes the database'), folder('service', 'workers are below service'),
    folder('electron', 'the electron host is injected'), folder('server', 'workers are below server'), folder('cli', 'workers are below cli'),
    { group: ['electron', 'better-sqlite3'], message: 'workers send numbers and paths' },
  ]),
  restrict(['src-main/service/**/*.ts'], [
    folder('electron', 'service runs without electron'), folder('server', 'service is below server'), folder('cli', 'service is below cli'),
    folder('engine', 'the service trains through workers'),
    { group: ['electron', '@tensorflow/*'], message: 'service: no electron, no tensors' },
  ]),
  restrict(['src-main/server/**/*.ts', 'src-main/cli/**/*.ts'], [
    folder('electron', 'no electron here'), folder('engine', 'go through the service'), folder('store', 'go through the service'),
    { group: ['electron', '@tensorflow/*'], message: 'faces talk to the service' },
  ]),
  restrict(['src-main/electron/**/*.ts'], [
    folder('engine', 'go through the service'), folder('store', 'go through the service'), folder('server', 'faces are side by side'), folder('cli', 'faces are side by side'),
    { group: ['@tensorflow/*', 'better-sqlite3'], message: 'the shell talks to the service' },
  ]),
  // The GPU trainer page runs in a browser: the engine and shared, nothing of Node's.
  restrict(['src-main/gpu-page/**/*.ts'], [
    { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'electron', 'better-sqlite3', 'sharp', 'ws'], message: 'the GPU page runs in a browser' },
    folder('data', 'the host sends the dataset'), folder('store', 'the host commits what the page reports'), folder('workers', 'the page is below the host'),
    folder('service', 'the page is below the host'), folder('server', 'the page is below the host'), folder('cli', 'the page is below the host'), folder('electron', 'the page is below the host'),
  ]),
  restrict(['src-renderer/**/*.ts'], [
    { group: ['**/src-main/!(shared)/**', 'node:*', 'electron', '@tensorflow/*', 'better-sqlite3', 'sharp'], message: 'the renderer imports src-main/shared only' },
  ]),
);
