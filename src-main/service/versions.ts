/** Versions and backends for system:info, read once. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string | null {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

let cached: { layerlab: string; versions: Record<string, string>; backends: string[] } | null = null;

export async function systemVersions(): Promise<NonNullable<typeof cached>> {
  if (cached) return cached;
  const versions: Record<string, string> = { node: process.versions.node };
  if (process.versions.electron) versions.electron = process.versions.electron;
  for (const pkg of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node-gpu', 'better-sqlite3', 'sharp']) {
    const v = versionOf(pkg);
    if (v) versions[pkg] = v;
  }
  const backends = ['cpu'];
  if (versions['@tensorflow/tfjs-backend-wasm']) backends.unshift('wasm');
  if (versions['@tensorflow/tfjs-node-gpu']) backends.unshift('tensorflow');
  cached = { layerlab: process.env.npm_package_version ?? '0.1.0', versions, backends };
  return cached;
}
