import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import assets from 'virtual:lbpoc-status-page';
import { SECURITY_HEADERS } from './security-headers.js';

interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly etag: string;
}

/** Paths of the page and its files on the admin port. */
export const STATUS_PAGE_PATHS = {
  page: '/',
  script: '/status-page/app.js',
  style: '/status-page/app.css',
  icon: '/status-page/icon.svg',
  events: '/status-page/events',
  snapshot: '/status-page/snapshot',
} as const;

function asset(type: string, text: string): Asset {
  const body = Buffer.from(text, 'utf8');
  return { type, body, gzip: gzipSync(body, { level: 9 }), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

let table: ReadonlyMap<string, Asset> | undefined;

/** Built (and compressed) on first use, once per process. */
function files(): ReadonlyMap<string, Asset> {
  table ??= new Map([
    [STATUS_PAGE_PATHS.page, asset('text/html; charset=utf-8', assets.html)],
    [STATUS_PAGE_PATHS.script, asset('text/javascript; charset=utf-8', assets.js)],
    [STATUS_PAGE_PATHS.style, asset('text/css; charset=utf-8', assets.css)],
    [STATUS_PAGE_PATHS.icon, asset('image/svg+xml', assets.icon)],
  ]);
  return table;
}

/**
 * Serves the page's own files (GET/HEAD), gzipped when the client takes it, revalidated
 * by ETag. Returns false for any other path.
 */
export function serveAsset(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const file = files().get(path);
  if (file === undefined) return false;
  req.resume();
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
    'content-type': file.type,
    etag: file.etag,
    'cache-control': 'no-cache',
    vary: 'accept-encoding',
  };
  if (matches(req.headers['if-none-match'], file.etag)) {
    res.writeHead(304, headers).end();
    return true;
  }
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const body = gzip ? file.gzip : file.body;
  if (gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

function matches(header: string | undefined, etag: string): boolean {
  return header?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag) ?? false;
}
