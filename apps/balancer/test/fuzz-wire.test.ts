import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ALGORITHM_NAMES } from '@lbpoc/algorithms';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResponse, type RawResult, rawExchange } from './raw-http.js';
import { waitFor } from './test-balancer.js';

/**
 * Hostile bytes at a running balancer process (dist/main.js, as deployed) over raw TCP:
 * malformed request lines and headers, `?algo=` values, bodies. After every case:
 * no stack trace or source path in anything sent back, every error the balancer answers
 * is JSON with `error` and `message`; after all of them the process is still alive and
 * serving. Cases run in parallel batches; the seed is printed (FUZZ_SEED=<seed> replays).
 */
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
// A fixed default seed keeps CI repeatable; FUZZ_SEED=<n> explores (and replays) other cases.
const seed = Number(process.env.FUZZ_SEED ?? 1);
const MAX_BODY = 100_000;
const MAX_HEADER = 8192;
const CONCURRENCY = 32;

let backend: Server;
let balancer: ChildProcess;
let output = '';
let port = 0;
let adminPort = 0;
const statuses = new Map<string, number>();
let cases = 0;
const backendParseErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm --filter @lbpoc/balancer build\` first (turbo's test task does)`);
  // The backend never echoes what it got (so nothing the fuzzer sent can look like our own
  // output), only how many body bytes arrived.
  backend = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, bytes })));
    req.on('error', () => res.destroy());
  });
  // What the balancer forwards must parse: a head the backend cannot read is one a
  // different backend might read differently (request smuggling). The balancer cutting an
  // upload it refused mid-body is the one expected parse failure.
  backend.on('clientError', (error: Error & { code?: string }, socket) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'HPE_INVALID_EOF_STATE') backendParseErrors.push(error.code ?? error.message);
    socket.destroy();
  });
  // The balancer answers unknown expectations of HTTP/1.1 requests itself; those of other
  // versions it forwards (node checks `Expect` on 1.1 only, and RFC 9110 lets a proxy pass
  // it on). node would answer them here with an empty 417: answer in JSON, as above.
  backend.on('checkExpectation', (_req, res) => {
    res.writeHead(417, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'expectation_failed', message: 'backend' }));
  });
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  balancer = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      BACKEND_SERVERS: `127.0.0.1:${(backend.address() as AddressInfo).port}`,
      HOST: '127.0.0.1',
      METRICS_HOST: '127.0.0.1',
      PORT: '0',
      METRICS_PORT: '0',
      MAX_BODY_BYTES: String(MAX_BODY),
      MAX_HEADER_BYTES: String(MAX_HEADER),
      HEADERS_TIMEOUT_MS: '3000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  balancer.stdout!.on('data', (chunk) => (output += chunk));
  balancer.stderr!.on('data', (chunk) => (output += chunk));
  // LOG_LEVEL=warn hides the listening line: find the ports from /proc instead of the log.
  await waitFor(() => listeningPorts(balancer.pid!).length >= 2, 10_000, 'the balancer to listen');
  const ports = listeningPorts(balancer.pid!);
  for (const candidate of ports) {
    const health = await fetch(`http://127.0.0.1:${candidate}/healthz`).catch(() => undefined);
    if (health?.status === 200 && ((await health.json()) as { status?: string }).status === 'ok') adminPort = candidate;
    else port = candidate;
  }
  expect(port).toBeGreaterThan(0);
  expect(adminPort).toBeGreaterThan(0);
});

afterAll(async () => {
  console.log(
    `fuzz (wire, seed ${seed}): ${cases} cases over raw TCP; first response status: ${[...statuses.entries()]
      .sort()
      .map(([s, n]) => `${s}×${n}`)
      .join(', ')}`,
  );
  balancer?.kill('SIGKILL');
  backend?.closeAllConnections();
  backend?.close();
});

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** TCP ports a process listens on, from /proc (Linux): its socket inodes matched against /proc/net/tcp. */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const match = /^socket:\[(\d+)\]$/.exec(link);
      if (match) inodes.add(match[1]!);
    } catch {}
  }
  const ports: number[] = [];
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[3] === '0A' && inodes.has(fields[9]!)) ports.push(Number.parseInt(fields[1]!.split(':')[1]!, 16));
  }
  return ports;
}

/** What must hold for any answer at all. Returns the first response's status, or 'none'. */
function checkAnswer(sent: string | Buffer, result: RawResult, method: string): string {
  const context = `sent ${JSON.stringify(sent.toString('latin1').slice(0, 300))}\ngot ${JSON.stringify(result.text.slice(0, 600))}`;
  expect(result.text, `a stack trace: ${context}`).not.toMatch(/\n {2,}at |node:internal|\/work\/|node_modules|\.[cm]?[jt]s:\d+:\d+/);
  if (result.text === '') return 'none';
  const response = parseResponse(result.text);
  expect(response, `not an HTTP/1.1 response: ${context}`).toBeDefined();
  const { status, headers, body } = response!;
  if (status >= 400) {
    // Our own errors are JSON; HEAD responses carry the headers only.
    expect(headers['content-type'], context).toContain('application/json');
    if (method !== 'HEAD') {
      const json = JSON.parse(body) as { error?: unknown; message?: unknown };
      expect(typeof json.error, context).toBe('string');
      expect(typeof json.message, context).toBe('string');
    }
  }
  return String(status);
}

/**
 * Runs `runs` samples in parallel batches. node aborts a request whose client half-closes,
 * so a connection is half-closed only after the server has been quiet for `idleMs`: long
 * enough for a complete request to be answered, and what is still incomplete then learns
 * that nothing more is coming. `idleMs: 'never'` is for complete requests that ask the
 * server to close (however long a hostile body takes to work through).
 */
async function runAll<T>(
  label: string,
  arbitrary: fc.Arbitrary<T>,
  runs: number,
  idleMs: number | 'never',
  toBytes: (value: T) => { bytes: string | Buffer; method: string },
  check?: (value: T, result: RawResult, status: string) => void,
) {
  const samples = fc.sample(arbitrary, { numRuns: runs, seed });
  const timeoutMs = idleMs === 'never' ? 30_000 : 8000;
  for (let i = 0; i < samples.length; i += CONCURRENCY) {
    await Promise.all(
      samples.slice(i, i + CONCURRENCY).map(async (sample) => {
        const { bytes, method } = toBytes(sample);
        const result = await rawExchange(port, bytes, idleMs === 'never' ? { timeoutMs, end: false } : { timeoutMs, idleMs });
        expect(result.closed, `${label}: the connection was still open after ${timeoutMs} ms: ${JSON.stringify(bytes.toString().slice(0, 200))}`).toBe(true);
        const status = checkAnswer(bytes, result, method);
        statuses.set(`${label}:${status}`, (statuses.get(`${label}:${status}`) ?? 0) + 1);
        check?.(sample, result, status);
        cases++;
      }),
    );
    // Stop at the batch that killed it, with what it said on the way out.
    expect(balancer.exitCode, `the balancer exited during this batch: ${output.slice(-3000)}`).toBeNull();
  }
}

const token = fc.string({
  unit: fc.constantFrom(..."!#$%&'*+-.^_`|~abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
  minLength: 1,
  maxLength: 12,
});
const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));

// Mostly near-valid requests with one or two hostile parts, so that most cases get past
// node's parser into the balancer (a random line is just a 400 from the parser).
const validMethod = fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH');
const method = fc.oneof(
  { weight: 8, arbitrary: validMethod },
  { weight: 1, arbitrary: fc.constantFrom('TRACE', 'CONNECT', 'PRI', 'get', 'G ET', '', 'M-SEARCH', 'PROPFIND') },
  { weight: 1, arbitrary: token },
  { weight: 1, arbitrary: anyText },
);
const target = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '/',
      '/health',
      '/ws',
      '/?algo=round_robin',
      '/?algo=ip_hash&x=1',
      '/?algo=nope',
      '/?algo',
      '/?algo=',
      '/?algo=round_robin&algo=x',
      '/a/../../etc/passwd',
      '//x',
      '/\\',
      '/\\evil.example/x',
      '/%00',
      '/%',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('*', 'http://example.com/x', 'example.com:443', 'HTTP/1.1') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => `/${s}`) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((s) => `/${s}`) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }).map((s) => `/?algo=${s}`) },
  { weight: 1, arbitrary: fc.integer({ min: 6000, max: 20_000 }).map((n) => `/${'a'.repeat(n)}`) },
);
const version = fc.oneof(
  { weight: 8, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 2, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1 ', 'HTTX/1.1', 'http/1.1', 'HTTP/1.10', '') },
);
const headerName = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'Content-Length',
      'Transfer-Encoding',
      'Connection',
      'Upgrade',
      'Expect',
      'X-Forwarded-For',
      'X-Forwarded-Proto',
      'X-Forwarded-Host',
      'X-Request-Id',
      'Keep-Alive',
      'TE',
      'Trailer',
      'Proxy-Connection',
      'Cookie',
      'Authorization',
      'Sec-WebSocket-Key',
      'Sec-WebSocket-Version',
      'Host',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(' Host', 'Host ', 'Content Length', '', 'X-A\u0000') },
  { weight: 2, arbitrary: token },
  { weight: 1, arbitrary: anyText },
);
const headerValue = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '0',
      '5',
      '-1',
      '1e3',
      '0x10',
      ' 5',
      '5, 5',
      '99999999999999999999',
      '100000000',
      'chunked',
      'gzip, chunked',
      'chunked, gzip',
      'identity',
      'close',
      'keep-alive',
      'upgrade',
      'Upgrade, HTTP2-Settings',
      'websocket',
      'h2c',
      '100-continue',
      'teapot',
      '1.2.3.4, 5.6.7.8',
      'unknown, ::1',
      '../../',
      '',
    ),
  },
  { weight: 2, arbitrary: anyText },
  { weight: 1, arbitrary: fc.integer({ min: 9000, max: 30_000 }).map((n) => 'v'.repeat(n)) },
);
const rawRequest = fc.record({
  method,
  target,
  version,
  eol: fc.oneof({ weight: 9, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\r\r\n') }),
  host: fc.oneof(
    { weight: 8, arbitrary: fc.constant('Host: x') },
    { weight: 2, arbitrary: fc.constantFrom('', 'Host:', 'Host: a b', 'Host: x\r\nHost: y', 'host: [::1]:80') },
  ),
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
  body: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 300 })),
  pipelined: fc.boolean(),
});

describe('fuzz: raw requests over TCP to dist/main.js', () => {
  it('answers malformed request lines and headers without crashing, leaking a stack, or a non-JSON error', async () => {
    await runAll('raw', rawRequest, 2500, 150, (r) => {
      const host = r.host === '' ? '' : `${r.host}${r.eol}`;
      const head = `${r.method} ${r.target} ${r.version}${r.eol}${host}${r.headers.map(([n, v]) => `${n}: ${v}${r.eol}`).join('')}${r.eol}`;
      const one = Buffer.concat([Buffer.from(head, 'utf8'), r.body]);
      return { bytes: r.pipelined ? Buffer.concat([one, Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\n\r\n`)]) : one, method: r.method };
    });
  });

  it('answers any ?algo= value with the algorithm it names or a JSON 400 listing the valid ones (431 when too long)', async () => {
    const algo = fc.oneof(
      fc.constantFrom(...ALGORITHM_NAMES),
      fc.constantFrom(...ALGORITHM_NAMES).map((n) => encodeURIComponent(n).replace('_', '%5F')),
      fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
      fc.string({ unit: 'binary', maxLength: 30 }).map((s) => encodeURIComponent(s).replaceAll('%20', '+')),
      fc.string({ unit: fc.constantFrom('%', 'A', 'z', '0', 'F', 'G', '+', '_', '-', '.'), maxLength: 20 }),
      fc.integer({ min: 100, max: 20_000 }).map((n) => 'x'.repeat(n)),
    );
    await runAll(
      'algo',
      fc.tuple(algo, fc.constantFrom('/', '/p?a=1&', '/p?')),
      800,
      // Every case asks the server to close: wait for that, not for a quiet spell (a busy
      // machine can take longer than any fixed spell to answer, and a half-close aborts).
      'never',
      ([value, prefix]) => ({
        bytes: `GET ${prefix}${prefix.includes('?') ? '' : '?'}algo=${value} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        method: 'GET',
      }),
      ([value, prefix], result, status) => {
        const response = parseResponse(result.text)!;
        // node's measure: target + header names and values ('Host' 'x' 'Connection' 'close').
        const counted = `${prefix}${prefix.includes('?') ? '' : '?'}algo=${value}`.length + 'Hostx'.length + 'Connectionclose'.length;
        if (counted >= MAX_HEADER) {
          expect(status).toBe('431');
          return;
        }
        let decoded: string;
        try {
          decoded = decodeURIComponent(value.replaceAll('+', ' '));
        } catch {
          decoded = value;
        }
        if ((ALGORITHM_NAMES as readonly string[]).includes(decoded)) {
          expect(status, value).toBe('200');
          expect(response.headers['x-lbpoc-algorithm'] === decoded || decoded === 'adaptive', value).toBe(true);
        } else {
          expect(status, value).toBe('400');
          const body = JSON.parse(response.body) as { error: string; value: string; allowed: string[] };
          expect(body.error).toBe('unknown_algorithm');
          expect(body.value).toBe(decoded);
          expect(body.allowed).toEqual([...ALGORITHM_NAMES]);
        }
      },
    );
  });

  it('passes bodies through byte for byte up to MAX_BODY_BYTES and answers 413 beyond, chunked or not', async () => {
    const body = fc.record({
      size: fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.integer({ min: MAX_BODY - 10, max: MAX_BODY + 10 }), fc.integer({ min: MAX_BODY, max: 160_000 })),
      chunked: fc.boolean(),
      chunkSize: fc.integer({ min: 1, max: 40_000 }),
      method: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE'),
    });
    await runAll(
      'body',
      body,
      250,
      // Every upload is complete and says `Connection: close`; one sent in 1-byte chunks takes
      // the balancer a few hundred ms of CPU, and 32 at once can take seconds.
      'never',
      ({ size, chunked, chunkSize, method: m }) => {
        const payload = Buffer.alloc(size, 0x61);
        if (!chunked)
          return {
            bytes: Buffer.concat([Buffer.from(`${m} /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${size}\r\n\r\n`), payload]),
            method: m,
          };
        const parts: Buffer[] = [Buffer.from(`${m} /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n`)];
        for (let at = 0; at < size; at += chunkSize) {
          const piece = payload.subarray(at, at + chunkSize);
          parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
        }
        parts.push(Buffer.from('0\r\n\r\n'));
        return { bytes: Buffer.concat(parts), method: m };
      },
      (sample, result, status) => {
        const context = `${JSON.stringify(sample)}, closed after ${Math.round(result.closedAfterMs)} ms${result.reset ? ' (reset)' : ''}: ${result.text.slice(0, 900)}\nbalancer output: ${output.slice(-2000)}`;
        const { size } = sample;
        if (size > MAX_BODY) {
          // A refused upload may be cut before its 413 is read: then there is no answer at all.
          expect(['413', 'none'], context).toContain(status);
          return;
        }
        expect(status, context).toBe('200');
        expect(JSON.parse(parseResponse(result.text)!.body)).toEqual({ ok: true, bytes: size });
      },
    );
  });

  it('is still alive and serving afterwards, with nothing uncaught in its output', async () => {
    expect(balancer.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${adminPort}/healthz`)).status).toBe(200);
    const response = await fetch(`http://127.0.0.1:${port}/?algo=round_robin`);
    expect(response.status).toBe(200);
    expect(output).not.toMatch(/Uncaught|UnhandledPromiseRejection|\n {4}at /);
    expect(backendParseErrors, 'forwarded requests the backend could not parse').toEqual([]);
  });
});
