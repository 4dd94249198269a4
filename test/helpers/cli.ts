import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { CLI, requireBuild } from './build.js';

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Runs the built `layerlab` with a data folder of its own. */
export function layerlab(args: string[], home: string, timeoutMs = 300_000): CliResult {
  requireBuild();
  const r = spawnSync(process.execPath, [CLI, ...args, '--home', home], { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, LAYERLAB_HOME: home } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** JSON lines printed by --json. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function startLayerlab(args: string[], home: string): ChildProcess {
  requireBuild();
  return spawn(process.execPath, [CLI, ...args, '--home', home], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LAYERLAB_HOME: home } });
}
