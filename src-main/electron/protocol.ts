/**
 * The renderer is served from app://layerlab/, a privileged custom scheme, not file://: pages get
 * a real origin (so IPC can check it and file:// extras are never needed), every response carries
 * our CSP header, and only files inside the renderer folder can be read.
 */
import { protocol, type Session } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://layerlab`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/**
 * Sent as a header on every app:// response, on top of src-renderer/index.html's meta tag (both
 * apply; the header also covers what a meta tag cannot, like frame-ancestors). No 'unsafe-eval',
 * no 'unsafe-inline': Svelte's CSS is emitted to files. No ws: here, unlike browser mode.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` an app:// URL names, or null when the URL is not ours or would leave
 * `root` (`..`, encoded separators, absolute paths, NUL bytes).
 */
export function resolveAppPath(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (`${parsed.protocol}//${parsed.host}` !== APP_ORIGIN) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const base = resolve(root);
  const file = resolve(base, `.${path}`);
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return file;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

function file(request: Request, body: Uint8Array, type: string): Response {
  // A copy typed over a plain ArrayBuffer, as BodyInit wants; pages are small.
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': type } });
}

/** The app:// request handler; `read` is injectable for tests. */
export function createAppHandler(root: string, read: (path: string) => Promise<Uint8Array> = readFile): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const path = resolveAppPath(root, request.url);
    if (!path) return plain(403, 'forbidden');
    try {
      return file(request, await read(path), mimeType(path));
    } catch {
      // A path without an extension is a view route of the single-page app: serve the page.
      if (extname(path) !== '') return plain(404, 'not found');
      try {
        return file(request, await read(join(resolve(root), 'index.html')), MIME['.html']);
      } catch {
        return plain(404, 'not found');
      }
    }
  };
}

/** Must run before the app is ready. No bypassCSP: our own policy applies to our own pages. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

export function serveApp(session: Session, root: string): void {
  session.protocol.handle(APP_SCHEME, createAppHandler(root));
}
