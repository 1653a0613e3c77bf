import { readFileSync } from 'node:fs';
import { BackendPool, InvalidBackendServersError, parseBackendServers, StaticSource } from '@lbpoc/registry';
import { ConfigError } from '@lbpoc/service-kit';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { takeAlgorithmParam } from '../src/routing/algorithm-param.js';

/**
 * Fuzzing of the balancer's pure entry points: the environment, BACKEND_SERVERS and the
 * `?algo=` parameter. Bounded (a few thousand cases, well under a second each), with a
 * printed seed so a failure can be replayed: FUZZ_SEED=<seed> pnpm test.
 */
// A fixed default seed keeps CI repeatable; FUZZ_SEED=<n> explores (and replays) other cases.
const seed = Number(process.env.FUZZ_SEED ?? 1);
const tried: Record<string, number> = {};
afterAll(() => {
  const total = Object.values(tried).reduce((a, b) => a + b, 0);
  console.log(
    `fuzz (inputs, seed ${seed}): ${total} cases — ${Object.entries(tried)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
});

/** Every variable the README documents (its table), so a variable added later is fuzzed too. */
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const VARIABLES = [
  ...new Set([...README.matchAll(/^\| ((?:`[A-Z0-9_]+`(?: \/ )?)+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((v) => v[1]!))),
];

/** Strings worth throwing at a parser: near-valid numbers, separators, unicode, control bytes, huge values. */
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }).map(String),
  fc.double().map(String),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-0',
    '1e3',
    '0x10',
    '1_000',
    'NaN',
    'Infinity',
    '  5  ',
    '5 ',
    '\t',
    '\u0000',
    '١٢٣',
    '１２３',
    'on',
    'off',
    'true',
    '/',
    '//',
    '/health\n',
    'a:1',
    'a:1,',
    ',',
    '@',
    '[::1]:80',
    '::1',
    '0.0.0.0/0',
    '/etc/passwd',
    '/dev/zero',
    '/proc/self/environ',
    '.',
    '..',
  ),
  fc.string({ minLength: 1000, maxLength: 20_000 }),
);

describe('fuzz: environment', () => {
  it('loadConfig returns a usable config or throws ConfigError naming the variables, never anything else', () => {
    expect(VARIABLES).toEqual(
      expect.arrayContaining(['BACKEND_SERVERS', 'PORT', 'RATE_LIMIT_RPS', 'MAX_BODY_BYTES', 'TLS_CERT_FILE', 'ADMIN_TOKEN', 'HEADERS_TIMEOUT_MS']),
    );
    const env = fc.dictionary(fc.constantFrom(...VARIABLES), hostileString, { maxKeys: 12 });
    fc.assert(
      fc.property(env, fc.boolean(), (vars, withServers) => {
        tried.env = (tried.env ?? 0) + 1;
        const input = withServers ? { BACKEND_SERVERS: 'a:1', ...vars } : vars;
        let config;
        try {
          config = loadConfig(input);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw new Error(`loadConfig threw ${String(error)} for ${JSON.stringify(input)}`);
          expect(error.problems.length).toBeGreaterThan(0);
          for (const problem of error.problems) {
            expect(error.message).toContain(`${problem.variable}=`);
            expect(VARIABLES).toContain(problem.variable); // a required or paired variable may be named while unset
          }
          return;
        }
        // What loads must also start: the pool checks its options again at construction.
        void new BackendPool(new StaticSource(config.backends), config.pool).close();
      }),
      { numRuns: 2500, seed },
    );
  });
});

describe('fuzz: BACKEND_SERVERS', () => {
  it('parses to valid, unique backends or throws InvalidBackendServersError', () => {
    const entry = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('a', 'web-1', '127.0.0.1', '[::1]', '[fe80::1%eth0]', 'A.B', '-x', 'x_y', ''),
          fc.oneof(fc.integer({ min: -1, max: 70_000 }).map(String), hostileString),
          fc.option(fc.oneof(fc.integer({ min: -5, max: 1005 }).map(String), hostileString)),
        )
        .map(([host, port, weight]) => `${host}:${port}${weight === null ? '' : `@${weight}`}`),
      hostileString,
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.constantFrom(',', ', ', ',,', ' , '), (entries, separator) => {
        tried.backend_servers = (tried.backend_servers ?? 0) + 1;
        const value = entries.join(separator);
        let backends;
        try {
          backends = parseBackendServers(value);
        } catch (error) {
          if (!(error instanceof InvalidBackendServersError)) throw new Error(`parseBackendServers threw ${String(error)} for ${JSON.stringify(value)}`);
          expect(error.message).toContain('BACKEND_SERVERS=');
          return;
        }
        expect(backends.length).toBeGreaterThan(0);
        expect(new Set(backends.map((b) => b.id)).size).toBe(backends.length);
        for (const b of backends) {
          expect(Number.isInteger(b.port) && b.port >= 1 && b.port <= 65_535, b.id).toBe(true);
          expect(Number.isInteger(b.weight) && b.weight >= 0 && b.weight <= 1000, b.id).toBe(true);
        }
      }),
      { numRuns: 2500, seed },
    );
  });
});

describe('fuzz: ?algo= in the request target', () => {
  it('never throws, consumes every algo pair, and keeps every other byte of the target', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        'algo',
        'algo=',
        'algo=round_robin',
        'algo=%',
        'algo=%E0%A4%A',
        'algo=%ZZ',
        'algo=+',
        'algox=1',
        'xalgo=1',
        '=',
        '&',
        '&&',
        '#',
        '?',
        'a=1',
        '%26algo%3Dp2c',
      ),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'binary-ascii', maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => `algo=${encodeURIComponent(s)}`),
      fc.string({ minLength: 5000, maxLength: 20_000 }).map((s) => `algo=${s}`),
    );
    fc.assert(
      fc.property(fc.constantFrom('/', '/p', '/a/b', '', '*'), fc.array(piece, { maxLength: 6 }), fc.constantFrom('?', ''), (path, pieces, mark) => {
        tried.algo_param = (tried.algo_param ?? 0) + 1;
        const target = `${path}${mark}${pieces.join('&')}`;
        const { name, target: kept } = takeAlgorithmParam(target);
        if (name === undefined) {
          expect(kept).toBe(target);
          return;
        }
        expect(typeof name).toBe('string');
        const queryStart = kept.indexOf('?');
        const query = queryStart < 0 ? '' : kept.slice(queryStart + 1).split('#', 1)[0]!;
        expect(query.split('&').some((pair) => pair.split('=', 1)[0] === 'algo')).toBe(false);
        expect(kept.length).toBeLessThanOrEqual(target.length);
      }),
      { numRuns: 2500, seed },
    );
  });
});
