/**
 * The served app for end-to-end tests: `layerlab serve` on a free port with a fresh home, and
 * Debian's Chromium driven by playwright-core. Console errors and page errors are collected so a
 * test can fail on any of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLI, ROOT } from '../../helpers/build.js';
import { tempHome } from '../../helpers/home.js';

export const SCREENSHOTS = join(ROOT, 'test', 'e2e', 'screenshots');
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Served { url: string; token: string; wsUrl: string; home: string; stop(): Promise<void> }

/**
 * Starts `node out/node/cli.js serve --port 0 --home <tmp> --import-root test/fixtures` and waits
 * for the URL it prints. The page may name fixture files by path; nothing else.
 */
export async function startServer(env: Record<string, string> = {}): Promise<Served> {
  if (!existsSync(CLI) || !existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    throw new Error('the app is not built: run `npm run build` (out/node/cli.js and out/renderer/index.html)');
  }
  const { home, cleanup } = tempHome('layerlab-e2e-');
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--home', home, '--import-root', join(ROOT, 'test', 'fixtures')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`layerlab serve printed no URL in 30 s; stderr: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`layerlab serve exited with ${code}: ${stderr}`)); });
  });
  const u = new URL(url);
  const token = u.searchParams.get('token')!;
  return {
    url, token, home,
    wsUrl: `ws://${u.host}/ws?token=${token}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      cleanup();
    },
  };
}

export interface Opened { browser: Browser; page: Page; errors: string[] }

export async function openApp(url: string): Promise<Opened> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  await page.goto(url);
  return { browser, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
