import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@lbpoc/service-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { FRONT_DOOR_DEFAULTS } from './front-door-config.js';

const BASE = { BACKEND_SERVERS: 'a:1' };

/** The variables named in the ConfigError, with the message, or [] when the config loads. */
function problems(env: Record<string, string>): { variables: string[]; message: string } {
  try {
    loadConfig({ ...BASE, ...env });
    return { variables: [], message: '' };
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return { variables: (error as ConfigError).problems.map((p) => p.variable), message: (error as Error).message };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'lbpoc-front-door-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('front door configuration', () => {
  it('has documented defaults: limits on, rate limiting and TLS off', () => {
    const { frontDoor, adminToken } = loadConfig(BASE);
    expect(frontDoor).toEqual({
      rateLimit: undefined,
      maxBodyBytes: 10 * 1024 * 1024,
      maxHeaderBytes: 16 * 1024,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 300_000,
      maxConnections: 10_000,
      maxConnectionsPerClient: 256,
      clientIpv6Prefix: 64,
      websocketIdleTimeoutMs: 300_000,
      tls: undefined,
    });
    expect(FRONT_DOOR_DEFAULTS.rateLimitMaxClients).toBe(100_000);
    expect(adminToken).toBeUndefined();
  });

  it('turns rate limiting on with RATE_LIMIT_RPS; the burst defaults to one second of requests', () => {
    expect(loadConfig({ ...BASE, RATE_LIMIT_RPS: '2.5' }).frontDoor.rateLimit).toEqual({ ratePerSecond: 2.5, burst: 3, maxClients: 100_000, ipv6Prefix: 64 });
    expect(
      loadConfig({ ...BASE, RATE_LIMIT_RPS: '50', RATE_LIMIT_BURST: '200', RATE_LIMIT_MAX_CLIENTS: '10', CLIENT_IPV6_PREFIX: '56' }).frontDoor.rateLimit,
    ).toEqual({
      ratePerSecond: 50,
      burst: 200,
      maxClients: 10,
      ipv6Prefix: 56,
    });
  });

  it('rejects bad rate limit values, and a burst without a rate', () => {
    for (const value of ['0', '-1', 'fast', '1e3', '2000000']) expect(problems({ RATE_LIMIT_RPS: value }).variables).toEqual(['RATE_LIMIT_RPS']);
    expect(problems({ RATE_LIMIT_RPS: '5', RATE_LIMIT_BURST: '0' }).variables).toEqual(['RATE_LIMIT_BURST']);
    const { variables, message } = problems({ RATE_LIMIT_BURST: '10' });
    expect(variables).toEqual(['RATE_LIMIT_BURST']);
    expect(message).toContain('only with RATE_LIMIT_RPS');
    // A bad rate is reported once, not again through the burst that depends on it.
    expect(problems({ RATE_LIMIT_RPS: 'x', RATE_LIMIT_BURST: '10' }).variables).toEqual(['RATE_LIMIT_RPS']);
  });

  it('validates the size, time and connection limits', () => {
    const config = loadConfig({
      ...BASE,
      MAX_BODY_BYTES: '0',
      MAX_HEADER_BYTES: '8192',
      HEADERS_TIMEOUT_MS: '500',
      REQUEST_TIMEOUT_MS: '0',
      MAX_CONNECTIONS: '0',
    });
    expect(config.frontDoor).toMatchObject({ maxBodyBytes: 0, maxHeaderBytes: 8192, headersTimeoutMs: 500, requestTimeoutMs: 0, maxConnections: 0 });
    expect(problems({ MAX_BODY_BYTES: '-1', MAX_HEADER_BYTES: '100', HEADERS_TIMEOUT_MS: '0', MAX_CONNECTIONS: 'many' }).variables).toEqual([
      'HEADERS_TIMEOUT_MS',
      'MAX_BODY_BYTES',
      'MAX_HEADER_BYTES',
      'MAX_CONNECTIONS',
    ]);
    const { variables, message } = problems({ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '1000' });
    expect(variables).toEqual(['REQUEST_TIMEOUT_MS']);
    expect(message).toContain('at least HEADERS_TIMEOUT_MS (5000)');
  });

  it('validates the per-client connection cap, the IPv6 client prefix and the WebSocket idle timeout', () => {
    const config = loadConfig({ ...BASE, MAX_CONNECTIONS_PER_CLIENT: '0', CLIENT_IPV6_PREFIX: '48', WEBSOCKET_IDLE_TIMEOUT_MS: '0' });
    expect(config.frontDoor).toMatchObject({ maxConnectionsPerClient: 0, clientIpv6Prefix: 48, websocketIdleTimeoutMs: 0 });
    expect(loadConfig({ ...BASE, CLIENT_IPV6_PREFIX: '32' }).frontDoor.clientIpv6Prefix).toBe(32);
    expect(loadConfig({ ...BASE, CLIENT_IPV6_PREFIX: '128' }).frontDoor.clientIpv6Prefix).toBe(128);
    for (const [variable, value] of [
      ['MAX_CONNECTIONS_PER_CLIENT', '-1'],
      ['MAX_CONNECTIONS_PER_CLIENT', 'lots'],
      ['CLIENT_IPV6_PREFIX', '31'],
      ['CLIENT_IPV6_PREFIX', '129'],
      ['CLIENT_IPV6_PREFIX', '/64'],
      ['WEBSOCKET_IDLE_TIMEOUT_MS', '-5'],
      ['WEBSOCKET_IDLE_TIMEOUT_MS', '5m'],
      ['WEBSOCKET_IDLE_TIMEOUT_MS', '86400001'],
    ] as const) {
      const { variables, message } = problems({ [variable]: value });
      expect(variables, `${variable}=${value}`).toEqual([variable]);
      expect(message).toContain(`${variable}=${JSON.stringify(value)} is not valid: an integer from`);
    }
    expect(problems({ CLIENT_IPV6_PREFIX: '12' }).message).toContain('an integer from 32 to 128 (default 64)');
  });

  it('needs both TLS files, readable, and names the missing one', () => {
    expect(problems({ TLS_CERT_FILE: '/x.pem' }).variables).toEqual(['TLS_KEY_FILE']);
    expect(problems({ TLS_KEY_FILE: '/x.pem' }).variables).toEqual(['TLS_CERT_FILE']);
    expect(problems({ TLS_REDIRECT_PORT: '8080' }).variables).toEqual(['TLS_REDIRECT_PORT']);
    const missing = problems({ TLS_CERT_FILE: join(dir, 'nope.pem'), TLS_KEY_FILE: dir });
    expect(missing.variables).toEqual(['TLS_CERT_FILE', 'TLS_KEY_FILE']);
    expect(missing.message).toContain('(ENOENT)');
    expect(missing.message).toContain('(not a regular file)');
  });

  it('rejects files that are not a certificate and key pair, quoting OpenSSL', () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    writeFileSync(cert, 'not a certificate\n');
    writeFileSync(key, 'not a key\n');
    const { variables, message } = problems({ TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
    expect(variables).toEqual(['TLS_CERT_FILE']);
    expect(message).toContain('OpenSSL:');
  });

  it('accepts ADMIN_TOKEN only when long enough, and never prints it', () => {
    const config = loadConfig({ ...BASE, ADMIN_TOKEN: 'correct-horse-battery-staple' });
    expect(config.adminToken?.accepts('Bearer correct-horse-battery-staple')).toBe(true);
    expect(JSON.stringify(config)).not.toContain('correct-horse');
    // Refused tokens may be real ones with a typo: `Zq9` marks each, and must not appear.
    for (const [weak, flaw] of [
      ['Zq9short', 'this one has 8 characters'],
      ['Zq9 has a space in the middle', 'character 4 is a space'],
      ['ünïcödé-Zq9-ünïcödé-ünïcödé', 'character 1 is a non-ASCII character'],
    ] as const) {
      const { variables, message } = problems({ ADMIN_TOKEN: weak });
      expect(variables).toEqual(['ADMIN_TOKEN']);
      expect(message).toContain('ADMIN_TOKEN=(secret, not shown) is not valid: 16 to 1024 printable ASCII characters');
      expect(message).toContain(flaw);
      expect(message).not.toContain('Zq9');
    }
  });
});
