/**
 * A dataset mirror on 127.0.0.1 for download tests: serves real files, honours Range, and can
 * misbehave on purpose (cut a connection, ignore Range, lie about a file) the way networks do.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MirrorRequest { path: string; range: string | null; status: number }

export interface MirrorBehaviour {
  /** Cut the connection after this many body bytes, on the first request for each named file. */
  cutFirstAfter?: Record<string, number>;
  /** Answer every Range request with the whole file (200). */
  ignoreRange?: boolean;
  /** Keep sending bytes (zeros) forever, with no Content-Length, for these files. */
  endless?: string[];
  /** Send these files slowly: this many bytes, then a pause of `pauseMs`, and so on. */
  slow?: Record<string, { chunk: number; pauseMs: number }>;
}

export interface Mirror {
  url: string;
  requests: MirrorRequest[];
  close(): Promise<void>;
}

export async function serveMirror(files: Record<string, Buffer>, behaviour: MirrorBehaviour = {}): Promise<Mirror> {
  const requests: MirrorRequest[] = [];
  const cut = new Map(Object.entries(behaviour.cutFirstAfter ?? {}));
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').replace(/^\/+/, '').split('?')[0]);
    const range = typeof req.headers.range === 'string' ? req.headers.range : null;
    const body = files[name];
    const log = (status: number) => requests.push({ path: name, range, status });
    if (behaviour.endless?.includes(name)) {
      log(200);
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      const chunk = Buffer.alloc(1 << 16);
      const pump = () => { while (res.write(chunk)); };
      res.on('drain', pump);
      res.on('close', () => res.off('drain', pump));
      pump();
      return;
    }
    if (!body) { log(404); res.writeHead(404).end('not found'); return; }
    let start = 0;
    const m = range && !behaviour.ignoreRange ? /^bytes=(\d+)-$/.exec(range) : null;
    if (m) {
      start = Number(m[1]);
      if (start >= body.length) { log(416); res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end(); return; }
      log(206);
      res.writeHead(206, { 'Content-Length': body.length - start, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    } else {
      log(200);
      res.writeHead(200, { 'Content-Length': body.length, 'Accept-Ranges': 'bytes' });
    }
    const limit = cut.get(name);
    if (limit !== undefined) {
      cut.delete(name);
      // A graceful close (FIN after the bytes), so the client surely has them all: a cut, not a loss.
      res.write(body.subarray(start, start + limit));
      res.socket?.end();
      return;
    }
    const slow = behaviour.slow?.[name];
    if (slow) {
      let at = start;
      const next = () => {
        if (res.destroyed) return;
        if (at >= body.length) { res.end(); return; }
        res.write(body.subarray(at, at + slow.chunk));
        at += slow.chunk;
        setTimeout(next, slow.pauseMs);
      };
      next();
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A port on 127.0.0.1 where nothing listens: a machine with no server to reach. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
