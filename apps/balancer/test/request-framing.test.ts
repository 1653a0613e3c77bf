import { describe, expect, it } from 'vitest';
import { parseResponse, rawExchange } from './raw-http.js';
import { startRecordingBackend } from './recording-backend.js';
import type { TestBackend } from './test-backend.js';
import { startTestBalancer } from './test-balancer.js';

/**
 * Framing is the balancer's: whatever the client's `Connection` names, the backend's
 * parser reads exactly one request per request the balancer admitted, with the body the
 * client framed (or nothing at all). Every case speaks raw bytes over a real socket and
 * checks what a real node:http backend parsed.
 */

const HIDDEN = 'GET /smuggled HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n';

function chunked(body: string): string {
  return `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
}

describe('Connection cannot name the framing headers', () => {
  it.each(['GET', 'DELETE', 'POST'])('%s with Connection: content-length forwards the body as the body', async (method) => {
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const attack = `${method} /outer HTTP/1.1\r\nHost: x\r\nConnection: content-length\r\nContent-Length: ${HIDDEN.length}\r\n\r\n${HIDDEN}`;
    const { text } = await rawExchange(lb.balancer.port, attack);
    expect(parseResponse(text)?.status, text).toBe(200);
    expect((await fetch(`${lb.url}/after`)).status).toBe(200);
    expect(backend.lines()).toEqual([`${method} /outer ${JSON.stringify(HIDDEN)}`, 'GET /after ""']);
    expect(backend.parseErrors).toEqual([]);
  });

  it.each(['GET', 'DELETE', 'POST'])('%s with Connection: transfer-encoding forwards the chunked body as the body', async (method) => {
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const attack = `${method} /outer HTTP/1.1\r\nHost: x\r\nConnection: transfer-encoding\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(HIDDEN)}`;
    const { text } = await rawExchange(lb.balancer.port, attack);
    expect(parseResponse(text)?.status, text).toBe(200);
    expect((await fetch(`${lb.url}/after`)).status).toBe(200);
    expect(backend.lines()).toEqual([`${method} /outer ${JSON.stringify(HIDDEN)}`, 'GET /after ""']);
  });

  it('one request admitted by the rate limiter carries no others past it', async () => {
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off', RATE_LIMIT_RPS: '1', RATE_LIMIT_BURST: '1' });
    const ten = HIDDEN.repeat(10);
    const attack = `GET /outer HTTP/1.1\r\nHost: x\r\nConnection: content-length\r\nContent-Length: ${ten.length}\r\n\r\n${ten}`;
    const { text } = await rawExchange(lb.balancer.port, attack);
    expect(parseResponse(text)?.status, text).toBe(200);
    expect(backend.seen.map((r) => r.url)).toEqual(['/outer']);
  });

  it('a chunked body past MAX_BODY_BYTES is refused even when Connection names Transfer-Encoding', async () => {
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off', MAX_BODY_BYTES: '1000' });
    const body = 'a'.repeat(5000);
    const head = 'POST /upload HTTP/1.1\r\nHost: x\r\nConnection: transfer-encoding\r\nTransfer-Encoding: chunked\r\n\r\n';
    const { text } = await rawExchange(lb.balancer.port, head + chunked(body), { timeoutMs: 10_000 });
    expect(parseResponse(text)?.status, text).toBe(413);
    expect(backend.seen).toEqual([]);
  });

  it("Connection: host does not replace the client's Host", async () => {
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const { text } = await rawExchange(lb.balancer.port, 'GET /h HTTP/1.1\r\nHost: public.example\r\nConnection: host, x-request-id, x-forwarded-for\r\n\r\n');
    expect(parseResponse(text)?.status, text).toBe(200);
    expect(backend.seen[0]?.headers).toMatchObject({ host: 'public.example', 'x-forwarded-for': '127.0.0.1', 'x-request-id': expect.any(String) });
  });

  it('other headers named by Connection are still removed (hop-by-hop)', async () => {
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off' });
    await rawExchange(lb.balancer.port, 'GET /h HTTP/1.1\r\nHost: x\r\nConnection: x-hop\r\nX-Hop: 1\r\nX-Kept: 2\r\n\r\n');
    expect(backend.seen[0]?.headers['x-hop']).toBeUndefined();
    expect(backend.seen[0]?.headers['x-kept']).toBe('2');
  });
});

describe('bodies over the limit and bodies on upgrades', () => {
  it('a chunked body over MAX_BODY_BYTES in the same packet as the head gets 413 and reaches no backend', async () => {
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off', MAX_BODY_BYTES: '1000' });
    const { text } = await rawExchange(lb.balancer.port, `POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunked('b'.repeat(3000))}`, {
      timeoutMs: 10_000,
    });
    expect(parseResponse(text)?.status, text).toBe(413);
    expect(backend.seen).toEqual([]);
  });

  it('a chunked body under the limit arrives whole', async () => {
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off', MAX_BODY_BYTES: '1000' });
    const { text } = await rawExchange(lb.balancer.port, `POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunked('c'.repeat(900))}`);
    expect(parseResponse(text)?.status, text).toBe(200);
    expect(backend.lines()).toEqual([`POST /upload ${JSON.stringify('c'.repeat(900))}`]);
  });

  it.each([
    ['Content-Length', `Content-Length: ${HIDDEN.length}\r\n\r\n${HIDDEN}`],
    ['chunked', `Transfer-Encoding: chunked\r\n\r\n${chunked(HIDDEN)}`],
  ])('refuses a WebSocket upgrade that carries a body (%s) and forwards nothing', async (_name, rest) => {
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const upgrade = `GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${rest}`;
    const { text } = await rawExchange(lb.balancer.port, upgrade);
    expect(parseResponse(text)?.status, text).toBe(400);
    expect(JSON.parse(parseResponse(text)!.body)).toMatchObject({ error: 'bad_request', message: expect.stringContaining('upgrade') });
    expect(backend.seen).toEqual([]);
  });

  it('a backend that refuses an upgrade without closing does not hand its connection to the next client', async () => {
    // The recording backend answers the upgrade attempt with a plain 200 and keeps the connection.
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const upgrade =
      'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    const { text } = await rawExchange(lb.balancer.port, upgrade);
    expect(parseResponse(text)?.status, text).toBe(200);
    for (let i = 0; i < 3; i++) expect((await fetch(`${lb.url}/next-${i}`)).status).toBe(200);
    expect(backend.seen.map((r) => r.url)).toEqual(['/ws', '/next-0', '/next-1', '/next-2']);
    // The upgrade attempt had a connection of its own: no later request came on it.
    const [attempt, ...later] = backend.seen;
    expect(later.map((r) => r.remotePort)).not.toContain(attempt!.remotePort);
  });
});

describe('what an untrusted client may say about itself', () => {
  it('drops Forwarded, X-Real-IP, X-Client-IP, X-Forwarded-Port and X-Forwarded-Prefix from an untrusted peer', async () => {
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off' });
    const spoof = 'Forwarded: for=6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\nX-Client-IP: 6.6.6.6\r\nX-Forwarded-Port: 1\r\nX-Forwarded-Prefix: /admin\r\n';
    await rawExchange(lb.balancer.port, `GET /who HTTP/1.1\r\nHost: x\r\n${spoof}\r\n`);
    const headers = backend.seen[0]?.headers ?? {};
    for (const name of ['forwarded', 'x-real-ip', 'x-client-ip', 'x-forwarded-port', 'x-forwarded-prefix']) expect(headers[name], name).toBeUndefined();
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('keeps them from a trusted proxy', async () => {
    const backend = await startRecordingBackend();
    const lb = await startTestBalancer([{ port: backend.port } as TestBackend], { HEALTH_CHECKS: 'off', TRUSTED_PROXIES: '127.0.0.1' });
    await rawExchange(lb.balancer.port, 'GET /who HTTP/1.1\r\nHost: x\r\nX-Real-IP: 10.1.2.3\r\nForwarded: for=10.1.2.3\r\n\r\n');
    expect(backend.seen[0]?.headers).toMatchObject({ 'x-real-ip': '10.1.2.3', forwarded: 'for=10.1.2.3' });
  });
});
