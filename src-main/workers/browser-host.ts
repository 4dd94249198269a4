/**
 * The GPU rungs' trainer for Node (CLI, browser mode): one run in the GPU trainer page
 * (src-main/gpu-page/) in a headless Chromium-family browser. Per run it serves the page on
 * 127.0.0.1 under a random token, starts the browser on that URL, and over the page's WebSocket
 * sends the job and the dataset (binary frames) and receives the Node trainer's messages, each
 * parsed against shared/gpu-page.ts. To the queue it is a WorkerHandle like a trainer process:
 * the browser dying mid-run ends the run interrupted, its committed epochs kept.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WebSocket, RawData } from 'ws';
import { stopGracefully, type ExitInfo, type WorkerHandle } from './host.js';
import type { TrainerMessage, TrainerRequest } from './protocol.js';
import { adapterFromEnv, findBrowser, findBrowserCoded, launchBrowser } from './browser.js';
import { openDataset } from '../data/open.js';
import { adapterText, describeAdapter, PageMessage, type FrameName, type PageBackend, type PageJob } from '../shared/gpu-page.js';
import { toErrorInfo } from '../shared/errors.js';
import { message, type Message } from '../shared/messages.js';
import type { Dataset } from '../shared/dataset.js';
import type { GpuHost, GpuStartOptions } from './ladder-host.js';
import { osGpuIdentity } from './probe-cache.js';

/** How long the browser may take to load the page and connect. */
const CONNECT_TIMEOUT_MS = 60_000;
const MAX_PAGE_MESSAGE_BYTES = 512 * 2 ** 20;

/** The built page (out/gpu-page) near this module: beside the bundle, or the repository's out/. */
export function gpuPageDir(from = dirname(fileURLToPath(import.meta.url))): string | null {
  let dir = from;
  for (let i = 0; i < 4; i++) {
    for (const c of [join(dir, 'gpu-page'), join(dir, 'out', 'gpu-page')]) {
      // Built (index.html beside its bundled assets/), not the source folder src-main/gpu-page.
      if (existsSync(join(c, 'index.html')) && existsSync(join(c, 'assets'))) return c;
    }
    dir = dirname(dir);
  }
  return null;
}

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/**
 * What shows the page: a headless browser process (CLI, browser mode) or a hidden window of the
 * desktop app (electron/gpu-window.ts). It only has to open the URL, say when it is gone, and go.
 */
export interface PageProcess {
  readonly pid: number | undefined;
  /** Ends it (and whatever it started). */
  kill(): void;
  /** Removes what it left behind (a profile folder), once it is gone. */
  cleanup(): void;
  onExit(listener: (info: { code: number | null; signal: string | null }) => void): void;
  onOutput?(listener: (chunk: string) => void): void;
  /** Says where the page runs, for error lines ("the browser (/usr/bin/chromium)"). */
  readonly label: string;
}

/** Opens `url`, or says in one line why it cannot (no browser found). */
export type PageLauncher = (url: string, tmpDir: string) => PageProcess | { reason: string };

/** The headless browser found on this machine as a PageLauncher. */
export function browserLauncher(env: NodeJS.ProcessEnv = process.env): PageLauncher {
  return (url, tmpDir) => {
    const found = findBrowser(env);
    if ('reason' in found) return found;
    const b = launchBrowser({ browser: found.path, url, tmpDir, adapter: adapterFromEnv(env) });
    const child = b.child;
    child.stderr?.setEncoding('utf8');
    return {
      get pid() { return child.pid; },
      label: `the browser (${found.path})`,
      kill: () => { if (child.exitCode === null && child.signalCode === null) b.kill(); },
      cleanup: b.cleanup,
      onExit: (l) => {
        if (child.exitCode !== null || child.signalCode !== null) l({ code: child.exitCode, signal: child.signalCode });
        else child.on('exit', (code, signal) => l({ code, signal }));
      },
      onOutput: (l) => {
        child.stderr?.on('data', (chunk: string) => l(chunk));
        child.on('error', (err) => l(`\n${err.message}`));
      },
    };
  };
}

export interface BrowserTrainerOptions extends GpuStartOptions {
  /** What shows the page; default: the headless browser found through `env`. */
  launcher?: PageLauncher;
  backend: PageBackend;
  env?: NodeJS.ProcessEnv;
}

/** A probe's answer: the page's training speed for the model on one backend, or why it cannot train. */
export type ProbeMessage = { type: 'probe'; runId: string; backend: string; samplesPerSecond: number | null; steps: number; device?: string; reason?: string };

export class BrowserTrainer implements WorkerHandle {
  private readonly messageListeners: ((m: unknown) => void)[] = [];
  private readonly exitListeners: ((info: ExitInfo) => void)[] = [];
  private browser: PageProcess | null = null;
  private browserGone = false;
  private server: Server | null = null;
  private socket: WebSocket | null = null;
  private exited = false;
  private finished = false;
  private stderr = '';
  private device = '';
  private adapter = '';
  private runId = 'unknown';
  private timer: NodeJS.Timeout | null = null;
  /** Names of binary frames the page announced and has yet to send. */
  private pendingFiles: { names: string[]; dir: string; got: Buffer[]; runId: string } | null = null;

  constructor(private readonly o: BrowserTrainerOptions) {}

  get pid(): number | undefined { return this.browser?.pid; }

  onMessage(listener: (message: unknown) => void): void { this.messageListeners.push(listener); }
  onExit(listener: (info: ExitInfo) => void): void { this.exitListeners.push(listener); }

  send(message: unknown): void {
    const m = message as TrainerRequest;
    if (m?.type === 'train') {
      this.runId = m.runId;
      void this.begin(m).catch((err) => this.fail(toErrorInfo(err).message));
    } else if (m?.type === 'stop') {
      if (this.socket) this.socket.send(JSON.stringify({ type: 'stop' }));
      else this.kill();
    } else if (m?.type === 'evaluate') {
      this.fail('saved models are evaluated by the Node trainer, not the GPU page');
    }
  }

  kill(): void {
    if (this.exited) return;
    if (this.browser && !this.browserGone) this.browser.kill();
    else this.exit({ code: null, signal: null, stderrTail: this.stderr });
  }

  stop(graceMs = 3000): Promise<void> { return stopGracefully(this, this.exited, graceMs); }

  private emit(m: TrainerMessage | ProbeMessage): void {
    for (const l of this.messageListeners) l(m);
  }

  /** Reports an error for the run and ends the browser. */
  private fail(message: string): void {
    if (!this.finished) {
      this.finished = true;
      this.emit({ type: 'error', runId: this.runId, error: { name: 'Error', message } });
    }
    this.kill();
  }

  private exit(info: ExitInfo): void {
    if (this.exited) return;
    this.exited = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.terminate();
    this.server?.close();
    this.server?.closeAllConnections();
    this.browser?.cleanup();
    // The browser went away before the run ended: the user closed it, or it crashed.
    const lost = this.finished ? {} : { interrupted: `the browser running the ${this.o.backend} trainer ended during the run${info.signal ? ` (${info.signal})` : info.code !== null ? ` (exit code ${info.code})` : ''}; completed epochs are kept` };
    for (const l of this.exitListeners) l({ ...info, ...lost });
  }

  private async begin(req: Extract<TrainerRequest, { type: 'train' }>): Promise<void> {
    const env = this.o.env ?? process.env;
    const launcher = this.o.launcher ?? browserLauncher(env);
    const pageDir = gpuPageDir();
    if (!pageDir) throw new Error('the GPU trainer page is not built (out/gpu-page): run npm run build');
    const dataset = openDataset(req.home, req.dataset);
    const token = randomBytes(18).toString('base64url');
    const { server, port } = await this.listen(pageDir, token);
    this.server = server;
    // Loaded only for a GPU run: every other start is spared it.
    const { WebSocketServer } = await import('ws');
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAGE_MESSAGE_BYTES });
    server.on('upgrade', (request: IncomingMessage, socket, head) => {
      // Only the page we served: its exact address as Host and Origin, the token in the path, once.
      const ok = request.url === `/${token}/ws` && request.headers.host === `127.0.0.1:${port}` && request.headers.origin === `http://127.0.0.1:${port}` && !this.socket;
      if (!ok) { socket.destroy(); return; }
      wss.handleUpgrade(request, socket, head, (ws) => this.connected(ws, req, dataset));
    });
    if (this.exited) return;
    const launched = launcher(`http://127.0.0.1:${port}/${token}/`, join(req.home, 'tmp'));
    if ('reason' in launched) throw new Error(`the ${this.o.backend} backend cannot start: ${launched.reason}`);
    this.browser = launched;
    launched.onOutput?.((chunk) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
      if (env.LAYERLAB_DEBUG) process.stderr.write(chunk);
    });
    launched.onExit(({ code, signal }) => { this.browserGone = true; this.exit({ code, signal, stderrTail: this.stderr }); });
    this.timer = setTimeout(() => {
      if (!this.socket) this.fail(`${launched.label} did not open the GPU trainer page within ${CONNECT_TIMEOUT_MS / 1000} s`);
    }, CONNECT_TIMEOUT_MS);
  }

  private listen(pageDir: string, token: string): Promise<{ server: Server; port: number }> {
    const root = resolve(pageDir);
    return new Promise((resolveListen, reject) => {
      let port = 0;
      const server = createServer((request: IncomingMessage, response: ServerResponse) => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const prefix = `/${token}/`;
        if (request.method !== 'GET' || !url.pathname.startsWith(prefix) || request.headers.host !== `127.0.0.1:${port}`) {
          response.writeHead(404).end();
          return;
        }
        const rel = url.pathname.slice(prefix.length) || 'index.html';
        const file = normalize(join(root, rel));
        if (!file.startsWith(root + sep) || !MIME[extname(file)] || !existsSync(file)) {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, {
          'Content-Type': MIME[extname(file)],
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': `default-src 'none'; script-src 'self'; connect-src ws://127.0.0.1:${port}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        });
        response.end(readFileSync(file));
      });
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        port = (server.address() as { port: number }).port;
        resolveListen({ server, port });
      });
    });
  }

  private connected(ws: WebSocket, req: Extract<TrainerRequest, { type: 'train' }>, dataset: Dataset): void {
    this.socket = ws;
    if (this.timer) clearTimeout(this.timer);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      try {
        this.received(data, isBinary, req);
      } catch (err) {
        this.fail(`the GPU trainer page sent a message that does not fit the protocol: ${(err as Error).message.split('\n')[0].slice(0, 300)}`);
      }
    });
    ws.on('close', () => { if (!this.finished) this.kill(); });
    this.sendJob(ws, req, dataset);
  }

  private sendJob(ws: WebSocket, req: Extract<TrainerRequest, { type: 'train' }>, dataset: Dataset): void {
    const frames: [FrameName, ArrayBufferView][] = [['train.x', dataset.train.x], ['train.y', dataset.train.y]];
    if (dataset.test) frames.push(['test.x', dataset.test.x], ['test.y', dataset.test.y]);
    if (req.initFrom) {
      frames.push(['init.model.json', readFileSync(join(req.initFrom, 'model.json'))], ['init.weights.bin', readFileSync(join(req.initFrom, 'weights.bin'))]);
    }
    const split = (s: Dataset['train']) => ({ count: s.count, xType: s.x instanceof Uint8Array ? 'uint8' as const : 'float32' as const });
    const job: PageJob = {
      type: 'job', runId: req.runId, backend: this.o.backend, spec: req.spec, limit: req.limit, path: req.path,
      saveModel: req.modelDir !== undefined, probe: this.o.probe,
      dataset: {
        id: dataset.id, name: dataset.name, featureShape: dataset.featureShape, classNames: dataset.classNames,
        scale: dataset.scale, train: split(dataset.train), test: dataset.test ? split(dataset.test) : undefined,
      },
      frames: frames.map(([name]) => name),
    };
    ws.send(JSON.stringify(job));
    for (const [, view] of frames) ws.send(Buffer.from(view.buffer, view.byteOffset, view.byteLength));
  }

  private received(data: RawData, isBinary: boolean, req: Extract<TrainerRequest, { type: 'train' }>): void {
    if (this.finished) return;
    if (isBinary) {
      const p = this.pendingFiles;
      if (!p) throw new Error('a binary frame nobody announced');
      p.got.push(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]));
      if (p.got.length === p.names.length) {
        mkdirSync(p.dir, { recursive: true });
        p.names.forEach((name, i) => writeFileSync(join(p.dir, name), p.got[i]));
        this.pendingFiles = null;
        this.emit({ type: 'model', runId: p.runId, dir: p.dir, files: p.names });
      }
      return;
    }
    if (this.pendingFiles) throw new Error('a message arrived before the model files it announced');
    const m = PageMessage.parse(JSON.parse(data.toString()));
    if (m.type !== 'hello' && m.runId !== req.runId) throw new Error(`a message for run ${m.runId}, not ${req.runId}`);
    switch (m.type) {
      case 'hello':
        return;
      case 'adapter':
        this.device = describeAdapter(m.backend, m.adapter);
        this.adapter = adapterText(m.backend, m.adapter);
        return;
      case 'started':
        this.emit({ type: 'started', runId: m.runId, backend: this.o.backend, device: this.device, ...(this.adapter ? { adapter: this.adapter } : {}), skipped: this.o.skipped ?? [], trainCount: m.trainCount, valCount: m.valCount, batches: m.batches, ...this.o.chosen });
        return;
      case 'probe':
        this.emit({
          type: 'probe', runId: m.runId, backend: m.backend, samplesPerSecond: m.samplesPerSecond, steps: m.steps,
          ...(m.adapter ? { device: describeAdapter(m.backend, m.adapter) } : {}), ...(m.reason ? { reason: m.reason } : {}),
        });
        return;
      case 'model':
        if (!req.modelDir) throw new Error('model files nobody asked for');
        this.pendingFiles = { names: m.files, dir: req.modelDir, got: [], runId: m.runId };
        return;
      case 'done':
      case 'error':
        this.finished = true;
        this.emit(m);
        // The page has nothing more to do: the browser goes.
        this.kill();
        return;
      default:
        this.emit(m);
    }
  }
}

/**
 * Why `auto` should not start a browser to time the GPU rungs, or null: on Linux, no GPU device
 * node at all (no /dev/dri/renderD*, /dev/nvidia*, or WSL's /dev/dxg), where Chromium could only
 * offer its software adapter, which has never beaten the CPU rungs and costs the first run ~10 s of
 * browser start and probing. Asking for that adapter (LAYERLAB_WEBGPU_ADAPTER=swiftshader) probes
 * anyway; a forced --backend webgpu|webgl trains there regardless. Elsewhere (macOS, Windows) the
 * devices are not files: probe.
 */
export function noGpuDeviceReason(env: NodeJS.ProcessEnv = process.env, devices = '/dev', platform: string = process.platform): Message | null {
  if (platform !== 'linux' || adapterFromEnv(env) === 'swiftshader') return null;
  if (gpuDeviceNodes(devices).length > 0) return null;
  return message('backend.noGpuDevice', { devices: `${join(devices, 'dri', 'renderD*')}, ${join(devices, 'nvidia*')}` });
}

/** The GPU device nodes under `devices` (render nodes, NVIDIA devices, WSL's dxg). */
export function gpuDeviceNodes(devices = '/dev'): string[] {
  const list = (dir: string) => { try { return readdirSync(dir); } catch { return []; } };
  return [
    ...list(join(devices, 'dri')).filter((n) => /^renderD\d+$/.test(n)).map((n) => join(devices, 'dri', n)),
    ...list(devices).filter((n) => /^nvidia(\d+|ctl)$/.test(n) || n === 'dxg').map((n) => join(devices, n)),
  ];
}

/**
 * GPU runs in a page: by default in a headless browser found on this machine (CLI, browser mode,
 * tests); the desktop app passes its hidden-window launcher and `null` for "no browser needed".
 */
export class BrowserGpuHost implements GpuHost {
  /** `devices`: where the GPU device nodes are looked for (/dev; tests give a folder of their own). */
  constructor(private readonly env: NodeJS.ProcessEnv = process.env, private readonly launcher?: PageLauncher, private readonly devices = '/dev') {}
  autoSkipReason(): Message | null {
    return noGpuDeviceReason(this.env, this.devices);
  }
  unavailableReason(): Message | null {
    if (!this.launcher) {
      const found = findBrowserCoded(this.env);
      if ('coded' in found) return found.coded;
    }
    return gpuPageDir() ? null : message('backend.pageNotBuilt');
  }
  identity(): string {
    const dir = gpuPageDir();
    let page = 'no page';
    try { if (dir) page = readdirSync(join(dir, 'assets')).sort().join(','); } catch { /* unbuilt */ }
    let browser: string;
    if (this.launcher) browser = `electron ${process.versions.electron ?? '?'} chrome ${process.versions.chrome ?? '?'}`;
    else {
      const found = findBrowser(this.env);
      if ('reason' in found) browser = 'none';
      else {
        try {
          const st = statSync(found.path);
          browser = `${found.path} ${st.size} ${Math.round(st.mtimeMs)}`;
        } catch { browser = found.path; }
      }
    }
    return `page ${page}; browser ${browser}; adapter ${adapterFromEnv(this.env) ?? 'default'}; gpus ${osGpuIdentity()}`;
  }
  start(backend: PageBackend, options: GpuStartOptions = {}): BrowserTrainer {
    return new BrowserTrainer({ backend, ...options, env: this.env, launcher: this.launcher });
  }
}
