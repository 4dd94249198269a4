import { describe, it, expect, vi } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const registered: unknown[] = [];
vi.mock('electron', () => ({
  protocol: { registerSchemesAsPrivileged: (schemes: unknown[]) => registered.push(...schemes) },
}));

const { APP_ORIGIN, CSP, createAppHandler, mimeType, registerAppScheme, resolveAppPath } = await import('../../../src-main/electron/protocol.js');

const ROOT = resolve('/srv/layerlab/out/renderer');
const FILES: Record<string, string> = {
  [join(ROOT, 'index.html')]: '<!doctype html><title>Layerlab</title>',
  [join(ROOT, 'assets/index-abc.js')]: 'console.log(1)',
  [join(ROOT, 'assets/index-abc.css')]: 'body{}',
};
const read = vi.fn(async (path: string) => {
  if (!(path in FILES)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  return new TextEncoder().encode(FILES[path]);
});
const handler = createAppHandler(ROOT, read);
const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('resolveAppPath', () => {
  it('maps app:// URLs to files under the renderer folder', () => {
    expect(resolveAppPath(ROOT, `${APP_ORIGIN}/`)).toBe(join(ROOT, 'index.html'));
    expect(resolveAppPath(ROOT, `${APP_ORIGIN}/assets/index-abc.js`)).toBe(join(ROOT, 'assets/index-abc.js'));
    expect(resolveAppPath(ROOT, `${APP_ORIGIN}/assets/a%20b.png`)).toBe(join(ROOT, 'assets/a b.png'));
  });

  it('refuses path traversal in every spelling', () => {
    for (const url of [
      `${APP_ORIGIN}/../../etc/passwd`,
      `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`,
      `${APP_ORIGIN}/assets/..%2F..%2F..%2Fetc%2Fpasswd`,
      `${APP_ORIGIN}/..%5C..%5Cwindows%5Cwin.ini`,
      `${APP_ORIGIN}/%2Fetc%2Fpasswd`,
      `${APP_ORIGIN}/index.html%00.png`,
      `${APP_ORIGIN}/%E0%A4%A`,
    ]) {
      const path = resolveAppPath(ROOT, url);
      if (path !== null) expect(path.startsWith(ROOT + '/') || path.startsWith(ROOT + '\\'), `${url} → ${path}`).toBe(true);
    }
    expect(resolveAppPath(ROOT, `${APP_ORIGIN}/assets/..%2F..%2F..%2Fetc%2Fpasswd`)).toBeNull();
    expect(resolveAppPath(ROOT, `${APP_ORIGIN}/index.html%00.png`)).toBeNull();
    expect(resolveAppPath(ROOT, `${APP_ORIGIN}/%E0%A4%A`)).toBeNull();
  });

  it('refuses other hosts and schemes', () => {
    expect(resolveAppPath(ROOT, 'app://other/index.html')).toBeNull();
    expect(resolveAppPath(ROOT, 'file:///srv/layerlab/out/renderer/index.html')).toBeNull();
    expect(resolveAppPath(ROOT, 'not a url')).toBeNull();
  });
});

describe('the app:// handler', () => {
  it('serves files with their MIME type and the CSP header', async () => {
    const page = await get(`${APP_ORIGIN}/index.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Layerlab</title>');
    expect((await get(`${APP_ORIGIN}/assets/index-abc.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get(`${APP_ORIGIN}/assets/index-abc.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 403 to traversal without reading anything outside', async () => {
    read.mockClear();
    const r = await get(`${APP_ORIGIN}/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd`);
    expect(r.status).toBe(403);
    expect(r.headers.get('content-security-policy')).toBe(CSP);
    expect(read).not.toHaveBeenCalled();
  });

  it('answers 404 for a missing asset, the page for a view route, 405 for writes', async () => {
    expect((await get(`${APP_ORIGIN}/assets/missing.js`)).status).toBe(404);
    const route = await get(`${APP_ORIGIN}/runs`);
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await get(`${APP_ORIGIN}/index.html`, 'POST')).status).toBe(405);
  });

  it('knows the MIME types the renderer build emits', () => {
    expect(mimeType('a.wasm')).toBe('application/wasm');
    expect(mimeType('a.svg')).toBe('image/svg+xml');
    expect(mimeType('a.woff2')).toBe('font/woff2');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });
});

describe('content security policy', () => {
  it('allows scripts from our origin only, never eval or inline code', () => {
    const directives = Object.fromEntries(CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(CSP).not.toContain('unsafe-eval');
    expect(CSP).not.toContain('unsafe-inline');
  });

  it.skipIf(!existsSync('out/renderer/index.html'))('the built renderer page carries no unsafe-eval (skipped: out/renderer not built)', () => {
    const html = readFileSync('out/renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    expect(meta, 'index.html has a CSP meta tag').not.toBeNull();
    expect(meta![1]).toMatch(/script-src 'self'(;|$)/);
    expect(meta![1]).not.toContain('unsafe-eval');
  });

  it('registers app:// as a privileged standard scheme that does not bypass CSP', () => {
    registerAppScheme();
    expect(registered).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(registered[0]).not.toHaveProperty('privileges.bypassCSP');
  });
});
