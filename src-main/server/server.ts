/**
 * Browser mode: the built renderer as static files and the contract over a WebSocket, on
 * 127.0.0.1 unless told otherwise. A random token in the URL guards both: a page from another
 * origin or another user on the machine cannot drive the service without it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_NAMES, parseRequest } from '../shared/contract.js';
import { toErrorInfo } from '../shared/errors.js';
import type { Service } from '../service/service.js';

/** Largest message a client may send; a spec or an import request is far smaller. */
export const MAX_MESSAGE_BYTES = 1 << 20;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export interface ServeOptions {
  service: Service;
  /** Folder of the built renderer (out/renderer). */
  staticDir: string;
  host?: string;
  port?: number;
  token?: string;
}

export interface RunningServer { url: string; port: number; token: string; close(): Promise<void> }

function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function serve(o: ServeOptions): Promise<RunningServer> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const root = resolve(o.staticDir);
  const http: Server = createServer((req, res) => void serveStatic(root, req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws' || !tokenMatches(url.searchParams.get('token'), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, o.service));
  });

  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => ok());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const shownHost = (o.host ?? '127.0.0.1').includes(':') ? `[${o.host}]` : (o.host ?? '127.0.0.1');
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: () => new Promise((ok) => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.close(() => ok());
      http.closeAllConnections();
    }),
  };
}

/** One client: requests in, responses and every service event out. */
function attach(ws: WebSocket, service: Service): void {
  const unsubscribe = EVENT_NAMES.map((event) => service.on(event, (payload) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
  }));
  ws.on('close', () => unsubscribe.forEach((u) => u()));
  // An oversized or malformed frame: ws closes the connection (1009/1002); nothing reached the service.
  ws.on('error', () => ws.terminate());
  ws.on('message', async (data, isBinary) => {
    let id: unknown = null;
    const reply = (body: object) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...body })); };
    if (isBinary) return reply({ ok: false, error: { name: 'ContractError', message: 'binary messages are not part of the contract' } });
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return reply({ ok: false, error: { name: 'ContractError', message: 'message is not valid JSON' } });
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return reply({ ok: false, error: { name: 'ContractError', message: 'message must be an object { id, channel, request }' } });
    }
    const m = msg as { id?: unknown; channel?: unknown; request?: unknown };
    id = typeof m.id === 'number' || typeof m.id === 'string' ? m.id : null;
    const parsed = parseRequest(m.channel, m.request);
    if (!parsed.ok) return reply({ ok: false, error: parsed.error });
    try {
      reply({ ok: true, value: await service.invoke(parsed.channel, parsed.request) });
    } catch (err) {
      reply({ ok: false, error: toErrorInfo(err) });
    }
  });
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = normalize(join(root, rel));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  }
}
