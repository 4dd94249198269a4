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

export function startLayerlab(args: string[], home: string, env: Record<string, string> = {}): ChildProcess {
  requireBuild();
  return spawn(process.execPath, [CLI, ...args, '--home', home], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LAYERLAB_HOME: home, ...env } });
}

/** Like layerlab(), without blocking this process: for tests that serve something the CLI reaches. */
export function layerlabAsync(args: string[], home: string, env: Record<string, string> = {}): Promise<CliResult> {
  const child = startLayerlab(args, home, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
