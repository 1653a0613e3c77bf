import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker, type EngineInfo, loadEngine } from '../src/private-engine.js';
import { type RunningProxy, rawExchange, refusalMessage, startProxy } from './docker-api-proxy.support.js';

/**
 * Request smuggling through the docker-api proxy, against the real engine: each request
 * below carries (in its body, or behind it on the connection) a complete
 * `POST /containers/create?name=<unique>`. A proxy that forwards a body, or reads the
 * bytes after a refused request as a new one, lets that request reach the engine without
 * being judged, and the engine creates the container. Each case is sent byte for byte on
 * its own TCP connection; the proxy must refuse it (400, or 403 where the target itself is
 * refused), close the connection, and the engine must have no container of that name.
 */

const LABEL = 'lbpoc.e2e=smuggled';
const unique = (tag: string) => `lbpoc-smuggled-${tag}-${randomBytes(4).toString('hex')}`;

/** The request no client of the proxy may get to the engine. */
function createRequest(name: string): string {
  const json = JSON.stringify({ Image: 'lbpoc/backend:local', Labels: { 'lbpoc.e2e': 'smuggled' } });
  return `POST /containers/create?name=${name} HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
}
const chunked = (body: string) => `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
const length = (body: string) => Buffer.byteLength(body);

interface SmugglingCase {
  readonly what: string;
  readonly bytes: (name: string) => string;
  readonly statuses: readonly number[];
  /** Part of the refusal's message: it names what was wrong (null: an answer to HEAD has no body). */
  readonly says: RegExp | null;
}

const CASES: readonly SmugglingCase[] = [
  {
    what: 'a chunked body on GET /_ping',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(createRequest(n))}`,
    statuses: [400],
    says: /transfer-encoding "chunked"/,
  },
  {
    what: 'a Content-Length body on GET /_ping',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nContent-Length: ${length(createRequest(n))}\r\n\r\n${createRequest(n)}`,
    statuses: [400],
    says: /content-length "\d+"/,
  },
  {
    what: 'a chunked body on HEAD /v1.41/version',
    bytes: (n) => `HEAD /v1.41/version HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(createRequest(n))}`,
    statuses: [400],
    says: null,
  },
  {
    what: 'a chunked body on GET /v1.41/containers/json',
    bytes: (n) => `GET /v1.41/containers/json HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(createRequest(n))}`,
    statuses: [400],
    says: /transfer-encoding/,
  },
  {
    what: 'a Content-Length body on GET /v1.41/containers/json',
    bytes: (n) => `GET /v1.41/containers/json HTTP/1.1\r\nHost: docker\r\nContent-Length: ${length(createRequest(n))}\r\n\r\n${createRequest(n)}`,
    statuses: [400],
    says: /content-length/,
  },
  {
    what: 'Transfer-Encoding and Content-Length together',
    bytes: (n) =>
      `GET /_ping HTTP/1.1\r\nHost: docker\r\nContent-Length: ${length(chunked(createRequest(n)))}\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(createRequest(n))}`,
    statuses: [400],
    says: /./,
  },
  {
    what: 'Content-Length: 0 with Transfer-Encoding',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(createRequest(n))}`,
    statuses: [400],
    says: /./,
  },
  {
    what: 'Content-Length twice, 0 then the body',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\nContent-Length: ${length(createRequest(n))}\r\n\r\n${createRequest(n)}`,
    statuses: [400],
    says: /./,
  },
  {
    what: 'Transfer-Encoding in capitals, as a list',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nTRANSFER-ENCODING: gzip, chunked\r\n\r\n${chunked(createRequest(n))}`,
    statuses: [400],
    says: /./,
  },
  {
    what: 'Transfer-Encoding with a space before the colon',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding : chunked\r\n\r\n${chunked(createRequest(n))}`,
    statuses: [400],
    says: /./,
  },
  {
    what: 'Transfer-Encoding folded onto the line before (obs-fold)',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nX-Note: a\r\n Transfer-Encoding: chunked\r\n\r\n${chunked(createRequest(n))}`,
    statuses: [400],
    says: /./,
  },
  {
    what: 'Expect: 100-continue with a body',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nExpect: 100-continue\r\nContent-Length: ${length(createRequest(n))}\r\n\r\n${createRequest(n)}`,
    statuses: [400],
    says: /content-length|expect/,
  },
  {
    what: 'Expect: 100-continue without a length, the request behind it',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nExpect: 100-continue\r\n\r\n${createRequest(n)}`,
    statuses: [400],
    says: /expect "100-continue"/,
  },
  {
    what: 'Connection: Upgrade on GET /_ping, the request behind it',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n${createRequest(n)}`,
    statuses: [400],
    says: /upgrade "tcp"/,
  },
  {
    what: 'Upgrade without Connection: upgrade',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nUpgrade: tcp\r\n\r\n${createRequest(n)}`,
    statuses: [400],
    says: /upgrade "tcp"/,
  },
  {
    what: 'a request pipelined behind a refused one',
    // The first is refused for its (empty) chunked body; the second must never be read.
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${createRequest(n)}`,
    statuses: [400],
    says: /transfer-encoding/,
  },
  {
    what: 'an allowed GET pipelined behind a refused one',
    bytes: (n) =>
      `GET /_ping HTTP/1.1\r\nHost: docker\r\nContent-Length: ${length(createRequest(n))}\r\n\r\n${createRequest(n)}GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n`,
    statuses: [400],
    says: /content-length/,
  },
  {
    what: 'HTTP/1.0 with a body',
    bytes: (n) => `GET /_ping HTTP/1.0\r\nContent-Length: ${length(createRequest(n))}\r\n\r\n${createRequest(n)}`,
    statuses: [400],
    says: /content-length/,
  },
  {
    what: 'an absolute-form target with a body',
    bytes: (n) => `GET http://docker/_ping HTTP/1.1\r\nHost: docker\r\nContent-Length: ${length(createRequest(n))}\r\n\r\n${createRequest(n)}`,
    statuses: [403],
    says: /not in plain form/,
  },
  {
    what: 'a lower-case method',
    bytes: (n) => createRequest(n).replace(/^POST/, 'post'),
    statuses: [400],
    says: /malformed request/,
  },
  {
    what: 'CONNECT with the request behind it',
    bytes: (n) => `CONNECT docker:2375 HTTP/1.1\r\nHost: docker:2375\r\n\r\n${createRequest(n)}`,
    statuses: [403],
    says: /CONNECT is not allowed/,
  },
  {
    what: 'a request head over 8 KiB, the request behind it',
    bytes: (n) => `GET /_ping HTTP/1.1\r\nHost: docker\r\nX-Padding: ${'a'.repeat(10_000)}\r\n\r\n${createRequest(n)}`,
    statuses: [431],
    says: /over 8 KiB/,
  },
];

describe('docker-api proxy against request smuggling (real engine)', () => {
  let engine: EngineInfo;
  let proxy: RunningProxy;

  const containersNamed = async (name: string) => (await docker(engine, ['ps', '-a', '-q', '--filter', `name=^/${name}$`])).trim();

  beforeAll(async () => {
    engine = loadEngine(inject('engineDir'));
    proxy = await startProxy(engine);
  });

  afterAll(async () => {
    proxy?.stop();
    const left = (await docker(engine, ['ps', '-a', '-q', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
    if (left.length > 0) await docker(engine, ['rm', '-f', ...left]);
  });

  it('uses a request that does create a container when it reaches the engine (so its absence below means something)', async () => {
    const name = unique('control');
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(engine.socketPath);
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (/\r\n\r\n[\s\S]*\}/.test(text)) socket.end();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.setTimeout(10_000, () => socket.destroy(new Error('the engine did not answer within 10 s')));
      socket.write(createRequest(name));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(await containersNamed(name)).not.toBe('');
    await docker(engine, ['rm', '-f', name]);
  });

  it.each(CASES.map((c, index) => [c.what, index, c] as const))(
    'refuses %s, closes the connection, and the engine creates nothing',
    async (_what, index, c) => {
      const name = unique(String(index));
      const exchange = await rawExchange(proxy.port, c.bytes(name));
      expect(await containersNamed(name), `a container named ${name} exists: the smuggled request reached the engine`).toBe('');
      expect(exchange.statuses, exchange.text.slice(0, 600)).toEqual(c.statuses);
      expect(exchange.closedByProxy, 'the proxy closes the connection after a refusal').toBe(true);
      expect(exchange.text).toMatch(/\r\nconnection: close\r\n/i);
      expect(exchange.text).not.toMatch(/100 Continue/);
      if (c.says !== null) {
        expect(refusalMessage(exchange)).toMatch(/^docker-api-proxy: /);
        expect(refusalMessage(exchange)).toMatch(c.says);
      }
    },
  );

  it('judges each pipelined request on its own: an allowed GET is answered, the POST behind it refused', async () => {
    const name = unique('pipelined');
    const exchange = await rawExchange(proxy.port, `GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n${createRequest(name)}`);
    expect(await containersNamed(name)).toBe('');
    expect(exchange.statuses).toEqual([200, 403]);
    expect(exchange.closedByProxy).toBe(true);
  });

  it('still answers plain requests afterwards, and the engine holds no smuggled container at all', async () => {
    const exchange = await rawExchange(proxy.port, 'GET /v1.41/version HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n');
    expect(exchange.statuses).toEqual([200]);
    expect(exchange.text).toContain('"ApiVersion"');
    expect((await docker(engine, ['ps', '-a', '-q', '--filter', `label=${LABEL}`])).trim()).toBe('');
  });
});
