/**
 * Browser mode: the built renderer as static files and the contract over a WebSocket, on
 * 127.0.0.1 unless told otherwise. A random token in the URL guards the WebSocket: a page from
 * another origin or another user on the machine cannot drive the service without it. Every
 * request's Host must be an address literal or localhost (a DNS-rebinding page arrives under its
 * own name), and an Origin, when the browser sends one, must be this server's own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { isIP } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_NAMES, parseRequest, type Caller } from '../shared/contract.js';
import { toErrorInfo, UserError } from '../shared/errors.js';
import type { Service } from '../service/service.js';
import { DEFAULT_MAX_UPLOAD_BYTES, Transfers } from './transfers.js';

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
  /** A folder whose files a page may name by path (`serve --import-root`); else only uploads. */
  importRoot?: string;
  /** Required to listen on an address other machines can reach. */
  allowRemote?: boolean;
  /** Largest upload (a file, or one folder's files together); default 2 GiB. */
  maxUploadBytes?: number;
}

/** True for 127.0.0.0/8, ::1 and localhost: addresses only this machine reaches. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/**
 * The Host header check against DNS rebinding: a page served from an attacker's name that
 * resolves to this machine sends that name as Host. Only address literals and localhost pass,
 * on our port; on a loopback server only loopback ones.
 */
export function hostAllowed(hostHeader: string | undefined, port: number, loopbackOnly: boolean): boolean {
  if (!hostHeader) return false;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  if (!m) return false;
  const name = m[1].replace(/^\[|\]$/g, '').toLowerCase();
  if ((m[2] === undefined ? 80 : Number(m[2])) !== port) return false;
  if (name !== 'localhost' && isIP(name) === 0) return false;
  return !loopbackOnly || isLoopback(name);
}

/** An Origin header, when present, must name this very server (as the browser reached it). */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  return hostHeader !== undefined && (origin === `http://${hostHeader}` || origin === `https://${hostHeader}`);
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
  const host = o.host ?? '127.0.0.1';
  if (!isLoopback(host) && !o.allowRemote) throw new UserError(`${host} is reachable from other machines; pass allowRemote (layerlab serve --allow-remote) to listen there`);
  let port = 0;
  const loopbackOnly = isLoopback(host);
  /** Host and Origin, for every HTTP request and every WebSocket upgrade. */
  const refused = (req: IncomingMessage): boolean =>
    !hostAllowed(req.headers.host, port, loopbackOnly) || !originAllowed(req.headers.origin, req.headers.host);
  const transfers = new Transfers({
    files: o.service.files, home: o.service.home, tokenMatches: (given) => tokenMatches(given, token),
    maxUploadBytes: o.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
  });
  const http: Server = createServer((req, res) => {
    if (refused(req)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('refused: wrong Host or Origin\n');
      return;
    }
    // The page asks whether its token is good when its WebSocket will not open (browsers hide the
    // upgrade's 401), so it can say "wrong token" instead of retrying forever. Nothing else here.
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/auth') {
      const given = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
      res.writeHead(tokenMatches(given, token) ? 204 : 401, { 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (transfers.handle(req, res, new URL(req.url ?? '/', 'http://localhost'))) return;
    void serveStatic(root, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (refused(req)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    if (url.pathname !== '/ws' || !tokenMatches(url.searchParams.get('token'), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    const caller: Caller = { face: 'page', downloads: true, ...(o.importRoot ? { importRoot: resolve(o.importRoot) } : {}) };
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, o.service, caller));
  });

  await new Promise<void>((ok, fail) => {
    http.once('error', (err: NodeJS.ErrnoException) => fail(listenError(err, host, o.port ?? 0)));
    http.listen(o.port ?? 0, host, () => ok());
  });
  const address = http.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const shownHost = host.includes(':') ? `[${host}]` : host;
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

/** Why listening failed, in one line a user can act on. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (err.code) {
    case 'EADDRINUSE': return new UserError(`port ${port} is in use by another program: choose another with --port N (or --port 0 for any free one)`);
    case 'EACCES': return new UserError(`port ${port} needs administrator rights: choose one above 1023 with --port N`);
    case 'EADDRNOTAVAIL': case 'ENOTFOUND': case 'EAI_AGAIN': return new UserError(`--host ${host}: this machine has no such address`);
    default: return err;
  }
}

/** One client: requests in, responses and every service event out. */
function attach(ws: WebSocket, service: Service, caller: Caller): void {
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
      reply({ ok: true, value: await service.dispatch(parsed.value, caller) });
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
