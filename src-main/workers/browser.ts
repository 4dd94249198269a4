/**
 * Finding and starting the Chromium-family browser the GPU rungs train in (CLI and browser mode):
 * LAYERLAB_BROWSER, else the usual install paths of Chromium, Chrome and Edge. It is started as a
 * plain headless child process with the trainer page's loopback URL as its argument: no DevTools
 * protocol, no downloaded browser. Its profile lives in the data folder and is removed after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { message, messageText, type Message } from '../shared/messages.js';

/** Where Chromium-family browsers install themselves, per platform, most likely first. */
const CANDIDATES: Record<string, string[]> = {
  linux: [
    '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome', '/usr/bin/microsoft-edge', '/usr/bin/microsoft-edge-stable', '/opt/microsoft/msedge/msedge',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    `${process.env.PROGRAMFILES ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env.LOCALAPPDATA ?? ''}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'}\\Microsoft\\Edge\\Application\\msedge.exe`,
    `${process.env.PROGRAMFILES ?? 'C:\\Program Files'}\\Microsoft\\Edge\\Application\\msedge.exe`,
  ],
};

/** The browser to use, or why there is none (one line naming what to do). */
export function findBrowser(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): { path: string } | { reason: string } {
  const found = findBrowserCoded(env, platform);
  return 'path' in found ? found : { reason: messageText(found.coded) };
}

/** findBrowser's answer with the reason as a coded message (a page says it in the user's language). */
export function findBrowserCoded(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): { path: string } | { coded: Message } {
  const given = env.LAYERLAB_BROWSER;
  if (given !== undefined && given !== '') {
    if (given === 'none') return { coded: message('backend.browserOff') };
    if (!isFile(given)) return { coded: message('backend.browserNoFile', { path: given }) };
    return { path: given };
  }
  for (const p of CANDIDATES[platform] ?? []) if (isFile(p)) return { path: p };
  return { coded: message('backend.noBrowser') };
}

function isFile(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isFile();
  } catch {
    return false;
  }
}

export interface LaunchOptions {
  /** The browser's executable. */
  browser: string;
  url: string;
  /** Folder the throwaway profile is made in (the data folder's tmp/). */
  tmpDir: string;
  /**
   * 'swiftshader': Chromium's software WebGPU/WebGL adapter (tests, machines without a GPU);
   * default: the adapter Chromium picks, a real GPU where there is one.
   */
  adapter?: 'swiftshader';
}

export interface LaunchedBrowser {
  child: ChildProcess;
  /** Ends the browser and every process it started. */
  kill(): void;
  /** Removes the profile folder (after the process is gone). */
  cleanup(): void;
}

/** The adapter asked for by the environment (LAYERLAB_WEBGPU_ADAPTER=swiftshader), if any. */
export function adapterFromEnv(env: NodeJS.ProcessEnv = process.env): 'swiftshader' | undefined {
  return env.LAYERLAB_WEBGPU_ADAPTER === 'swiftshader' ? 'swiftshader' : undefined;
}

export function browserArgs(o: Pick<LaunchOptions, 'url' | 'adapter'>, profile: string, root = process.getuid?.() === 0): string[] {
  return [
    '--headless', `--user-data-dir=${profile}`,
    '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-sync',
    '--disable-background-networking', '--disable-component-update', '--disable-default-apps', '--mute-audio',
    // A headless page is "hidden": keep its timers and work at full speed.
    '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
    '--enable-unsafe-webgpu', '--enable-features=Vulkan',
    ...(o.adapter === 'swiftshader' ? ['--use-webgpu-adapter=swiftshader', '--enable-unsafe-swiftshader'] : []),
    // Chromium refuses to start its sandbox as root (containers, CI).
    ...(root ? ['--no-sandbox'] : []),
    o.url,
  ];
}

export function launchBrowser(o: LaunchOptions): LaunchedBrowser {
  mkdirSync(o.tmpDir, { recursive: true });
  const profile = join(o.tmpDir, `browser-${randomBytes(6).toString('hex')}`);
  // Its own process group (not on Windows), so ending it ends its GPU and renderer processes too.
  const group = process.platform !== 'win32';
  const child = spawn(o.browser, browserArgs(o, profile), { stdio: ['ignore', 'ignore', 'pipe'], detached: group });
  // A missing or unstartable executable: reported through 'exit' with the spawn error kept.
  child.on('error', () => undefined);
  const kill = () => {
    try {
      if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch { /* already gone */ }
  };
  const cleanup = () => {
    kill();
    // The group's last processes may still be closing files in the profile: try again shortly.
    const remove = (tries: number) => {
      try {
        rmSync(profile, { recursive: true, force: true });
      } catch {
        if (tries > 0) setTimeout(() => remove(tries - 1), 200).unref();
      }
    };
    remove(10);
  };
  return { child, kill, cleanup };
}
