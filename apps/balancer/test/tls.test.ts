import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type RequestOptions, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { ConfigError } from '@lbpoc/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { parseResponse, rawExchange } from './raw-http.js';
import { startTestBackend, type TestBackend } from './test-backend.js';
import { startTestBalancer, type TestBalancer } from './test-balancer.js';

let dir: string;
let cert: string;
let key: string;
let otherKey: string;

/** A self-signed certificate for localhost and 127.0.0.1, valid for a day, made by openssl for this run. */
function makeCertificate(name: string): { cert: string; key: string } {
  const certFile = join(dir, `${name}-cert.pem`);
  const keyFile = join(dir, `${name}-key.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { cert: certFile, key: keyFile };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lbpoc-tls-'));
  ({ cert, key } = makeCertificate('a'));
  otherKey = makeCertificate('b').key;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let backends: TestBackend[] = [];
let lb: TestBalancer | undefined;

/** GET over TLS, trusting only our certificate; returns status, headers, body and the negotiated ALPN. */
function httpsGet(port: number, path: string): Promise<{ status: number; backend: string | undefined; body: string; alpn: string | false | null }> {
  return new Promise((resolve, reject) => {
    // ALPNProtocols reaches tls.connect; @types/node leaves it out of https.RequestOptions.
    const options = { host: '127.0.0.1', port, path, ca: readFileSync(cert), ALPNProtocols: ['h2', 'http/1.1'], agent: false } as RequestOptions;
    const req = request(options, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, backend: res.headers['x-lbpoc-backend'] as string | undefined, body, alpn: (res.socket as TLSSocket).alpnProtocol }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS termination', () => {
  it('serves HTTPS (HTTP/1.1) with a certificate from TLS_CERT_FILE and tells the backend X-Forwarded-Proto: https', async () => {
    backends = [await startTestBackend('b0')];
    lb = await startTestBalancer(backends, { TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
    expect(lb.balancer.redirectPort).toBeUndefined();
    const response = await httpsGet(lb.balancer.port, '/secure?algo=round_robin');
    expect(response.status).toBe(200);
    expect(response.alpn).toBe('http/1.1'); // h2 was offered and declined
    expect(response.backend).toBe(`127.0.0.1:${backends[0]!.port}`);
    expect(backends[0]!.lastUrl).toBe('/secure');
    expect(backends[0]!.lastHeaders['x-forwarded-proto']).toBe('https');
    // Plain HTTP on the TLS port is not served.
    const plain = await rawExchange(lb.balancer.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', { timeoutMs: 2000 });
    expect(parseResponse(plain.text)?.status).not.toBe(200);
    expect(backends[0]!.hits).toBe(1);
  });

  it('redirects plain HTTP on TLS_REDIRECT_PORT to https with 308, keeping host, path and query', async () => {
    backends = [await startTestBackend('b0')];
    lb = await startTestBalancer(backends, { TLS_CERT_FILE: cert, TLS_KEY_FILE: key, TLS_REDIRECT_PORT: '0' });
    const redirectPort = lb.balancer.redirectPort!;
    expect(redirectPort).toBeGreaterThan(0);
    const { text } = await rawExchange(redirectPort, 'POST /a/b?x=1&algo=p2c HTTP/1.1\r\nHost: Shop.Example:8080\r\nContent-Length: 0\r\n\r\n');
    const response = parseResponse(text)!;
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe(`https://shop.example:${lb.balancer.port}/a/b?x=1&algo=p2c`);
    const v6 = parseResponse((await rawExchange(redirectPort, 'GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n')).text)!;
    expect(v6.headers.location).toBe(`https://[::1]:${lb.balancer.port}/`);
    const hostile = parseResponse((await rawExchange(redirectPort, 'GET / HTTP/1.1\r\nHost: evil.example/@x\r\n\r\n')).text)!;
    expect(hostile.status).toBe(400);
    expect(JSON.parse(hostile.body)).toMatchObject({ error: 'bad_request' });
    expect(backends[0]!.hits).toBe(0); // nothing is proxied in clear
  });

  it('refuses a TLS_REDIRECT_PORT that is the traffic or metrics port, defaults included', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ BACKEND_SERVERS: 'a:1', TLS_CERT_FILE: cert, TLS_KEY_FILE: key, ...env });
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => `${p.variable}: ${p.allowed}`);
      }
    };
    expect(problems({ TLS_REDIRECT_PORT: '5000' })).toEqual(['TLS_REDIRECT_PORT: a port other than PORT (5000)']);
    expect(problems({ TLS_REDIRECT_PORT: '9000', METRICS_PORT: '9000' })).toEqual(['TLS_REDIRECT_PORT: a port other than METRICS_PORT (9000)']);
    expect(problems({ TLS_REDIRECT_PORT: '5000', PORT: '5443' })).toEqual([]);
    expect(problems({ TLS_REDIRECT_PORT: '70000' })).toEqual(['TLS_REDIRECT_PORT: a port from 0 to 65535 (0: any free port); unset: no redirect listener']);
  });

  it('refuses to start with a key that does not belong to the certificate', () => {
    let error: unknown;
    try {
      loadConfig({ BACKEND_SERVERS: 'a:1', TLS_CERT_FILE: cert, TLS_KEY_FILE: otherKey });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['TLS_CERT_FILE']);
    expect((error as Error).message).toMatch(/OpenSSL: .*mismatch/i);
  });
});
