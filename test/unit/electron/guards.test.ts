import { describe, it, expect, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import {
  externalLinkAllowed, guardContents, guardSession, navigationAllowed, originOf, permissionAllowed, windowOpenDecision,
} from '../../../src-main/electron/guards.js';

const ORIGINS = ['app://layerlab'];

describe('navigation guard', () => {
  it('keeps the window on our origin', () => {
    expect(navigationAllowed('app://layerlab/index.html', ORIGINS)).toBe(true);
    expect(navigationAllowed('app://layerlab/#/runs', ORIGINS)).toBe(true);
  });

  it('refuses everything else, file:// drops included', () => {
    for (const url of ['file:///home/u/data.csv', 'https://evil.example/', 'app://other/index.html', 'http://localhost:5173/', 'javascript:alert(1)', 'data:text/html,hi', 'not a url', 'about:blank']) {
      expect(navigationAllowed(url, ORIGINS), url).toBe(false);
    }
  });

  it('computes origins for custom schemes (URL.origin says "null" for them)', () => {
    expect(originOf('app://layerlab/a/b?c')).toBe('app://layerlab');
    expect(originOf('http://localhost:5173/x')).toBe('http://localhost:5173');
    expect(originOf('file:///etc/passwd')).toBeNull();
  });
});

describe('external links', () => {
  it('opens only https links to allow-listed hosts', () => {
    expect(externalLinkAllowed('https://keras.io/api/layers/')).toBe(true);
    expect(externalLinkAllowed('https://www.tensorflow.org/js')).toBe(true);
    for (const url of ['http://keras.io/', 'https://keras.io.evil.example/', 'https://user:pw@keras.io/', 'https://keras.io:8443/', 'file:///bin/sh', 'smb://host/share', 'https://evil.example/']) {
      expect(externalLinkAllowed(url), url).toBe(false);
    }
  });

  it('never opens a new Electron window', () => {
    expect(windowOpenDecision('https://keras.io/')).toEqual({ action: 'deny', openExternal: true });
    expect(windowOpenDecision('https://evil.example/')).toEqual({ action: 'deny', openExternal: false });
    expect(windowOpenDecision('app://layerlab/index.html')).toEqual({ action: 'deny', openExternal: false });
  });
});

describe('permissions', () => {
  it('are all refused', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) expect(permissionAllowed(p)).toBe(false);
  });
});

function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => { openHandler = h; },
  });
  return { contents: contents as unknown as WebContents, emitter, open: (url: string) => openHandler!({ url }) };
}
const fakeEvent = () => ({ preventDefault: vi.fn() });

describe('guardContents', () => {
  it('prevents navigation away, and opens allow-listed links externally instead', () => {
    const { contents, emitter } = fakeContents();
    const openExternal = vi.fn();
    guardContents(contents, { origins: ORIGINS, openExternal });
    const own = fakeEvent();
    emitter.emit('will-navigate', own, 'app://layerlab/index.html');
    expect(own.preventDefault).not.toHaveBeenCalled();
    const drop = fakeEvent();
    emitter.emit('will-navigate', drop, 'file:///home/u/mnist.npz');
    expect(drop.preventDefault).toHaveBeenCalled();
    const docs = fakeEvent();
    emitter.emit('will-navigate', docs, 'https://keras.io/');
    expect(docs.preventDefault).toHaveBeenCalled();
    const redirect = fakeEvent();
    emitter.emit('will-redirect', redirect, 'https://evil.example/');
    expect(redirect.preventDefault).toHaveBeenCalled();
    expect(openExternal.mock.calls).toEqual([['https://keras.io/']]);
  });

  it('prevents <webview> attachment', () => {
    const { contents, emitter } = fakeContents();
    guardContents(contents, { origins: ORIGINS, openExternal: vi.fn() });
    const e = fakeEvent();
    emitter.emit('will-attach-webview', e, {}, {});
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it('denies window.open, opening only allow-listed https links in the browser', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn();
    guardContents(contents, { origins: ORIGINS, openExternal });
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('app://layerlab/index.html')).toEqual({ action: 'deny' });
    expect(open('https://js.tensorflow.org/api/latest/')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://js.tensorflow.org/api/latest/']]);
  });
});

describe('guardSession', () => {
  it('installs handlers that refuse every permission', () => {
    let request: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: ((wc: unknown, permission: string) => boolean) | undefined;
    let device: (() => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => { request = h; },
      setPermissionCheckHandler: (h: typeof check) => { check = h; },
      setDevicePermissionHandler: (h: typeof device) => { device = h; },
    } as unknown as Session;
    guardSession(session);
    const cb = vi.fn();
    request!(null, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(check!(null, 'notifications')).toBe(false);
    expect(device!()).toBe(false);
  });
});
