/**
 * The browser-mode checks against DNS rebinding and cross-origin pages: Host must be an address
 * literal or localhost on our port (loopback ones only on a loopback server), and an Origin, when
 * a browser sends one, must be the server itself.
 */
import { describe, it, expect } from 'vitest';
import { hostAllowed, isLoopback, originAllowed } from '../../../src-main/server/server.js';

describe('hostAllowed', () => {
  it('accepts loopback literals and localhost on our port', () => {
    for (const h of ['127.0.0.1:7860', 'localhost:7860', '[::1]:7860', 'LOCALHOST:7860', '127.0.0.2:7860']) expect(hostAllowed(h, 7860, true), h).toBe(true);
  });

  it('refuses a name a rebinding page would use, another port, a missing or odd header', () => {
    for (const h of ['evil.example:7860', 'evil.example', '127.0.0.1:80', '127.0.0.1', undefined, '', '127.0.0.1:7860:1', 'localhost.evil.example:7860', '[::1]x:7860']) {
      expect(hostAllowed(h, 7860, true), String(h)).toBe(false);
    }
  });

  it('on a server reachable from other machines, accepts any address literal but still no names', () => {
    expect(hostAllowed('192.168.1.20:7860', 7860, false)).toBe(true);
    expect(hostAllowed('192.168.1.20:7860', 7860, true)).toBe(false);
    expect(hostAllowed('myhost.lan:7860', 7860, false)).toBe(false);
  });
});

describe('originAllowed', () => {
  it('passes requests without an Origin (not from a browser page) and same-origin ones', () => {
    expect(originAllowed(undefined, '127.0.0.1:7860')).toBe(true);
    expect(originAllowed('http://127.0.0.1:7860', '127.0.0.1:7860')).toBe(true);
  });

  it('refuses another origin, even one on this machine', () => {
    for (const o of ['http://evil.example', 'http://127.0.0.1:8080', 'null', 'http://localhost:7860']) expect(originAllowed(o, '127.0.0.1:7860'), o).toBe(false);
  });
});

describe('isLoopback', () => {
  it('tells loopback addresses from others', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.0.1', 'example.com', '10.0.0.1']) expect(isLoopback(h), h).toBe(false);
  });
});
