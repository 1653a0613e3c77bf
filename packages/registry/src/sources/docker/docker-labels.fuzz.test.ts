import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCKER_LABELS, labelProblemMessage, readBackendLabels, readEnableLabel, readPoolLabel } from './docker-labels.js';

/**
 * Hostile label values, as anyone who can start a container on the host can set them:
 * parsing never throws, every value it accepts is in range, and every value it refuses is
 * reported with the label and the value as given. FUZZ_SEED=<seed> replays a run.
 */
// A fixed default seed keeps CI repeatable; FUZZ_SEED=<n> explores (and replays) other cases.
const seed = Number(process.env.FUZZ_SEED ?? 1);
let tried = 0;
afterAll(() => console.log(`fuzz (docker labels, seed ${seed}): ${tried} cases`));

const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer({ min: -100_000, max: 10_000_000 }).map(String),
  fc.double().map(String),
  fc.constantFrom(
    '',
    ' ',
    'true',
    'True',
    ' TRUE ',
    'false',
    'yes',
    '1',
    '0',
    '80',
    '65535',
    '65536',
    '1000',
    '1001',
    '0x50',
    '8e1',
    '٨٠',
    '/health',
    'health',
    '/he alth',
    '/\u0000',
    'net-1',
    '-net',
    'a'.repeat(129),
  ),
  fc.string({ minLength: 1000, maxLength: 10_000 }),
);
const labels = fc.dictionary(fc.oneof(fc.constantFrom(...Object.values(DOCKER_LABELS)), fc.string({ maxLength: 20 })), value, { maxKeys: 10 });

describe('fuzz: Docker labels', () => {
  it('never throws, accepts only in-range values, and reports each refused one with its label and value', () => {
    fc.assert(
      fc.property(labels, (given) => {
        tried++;
        const enable = readEnableLabel(given);
        if (typeof enable === 'object') expect(enable).toMatchObject({ label: DOCKER_LABELS.enable, value: given[DOCKER_LABELS.enable] });
        else expect(enable).toBe(given[DOCKER_LABELS.enable]?.trim().toLowerCase() === 'true' ? 'enabled' : 'disabled');

        const pool = readPoolLabel(given);
        if (typeof pool === 'object') expect(pool.value).toBe(given[DOCKER_LABELS.pool]);
        else if (pool !== undefined) expect(pool).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/);

        const { labels: parsed, problems } = readBackendLabels(given);
        for (const problem of problems) {
          expect(given[problem.label]).toBe(problem.value);
          const message = labelProblemMessage('container "x"', problem);
          expect(message).toContain(problem.label);
          expect(message).toContain(JSON.stringify(problem.value));
        }
        const refused = new Set(problems.map((p) => p.label));
        if (parsed.port !== undefined) expect(Number.isInteger(parsed.port) && parsed.port >= 1 && parsed.port <= 65_535).toBe(true);
        if (parsed.metricsPort !== undefined) expect(parsed.metricsPort >= 1 && parsed.metricsPort <= 65_535).toBe(true);
        expect(Number.isInteger(parsed.weight) && parsed.weight >= 0 && parsed.weight <= 1000).toBe(true);
        if (parsed.healthPath !== undefined) expect(parsed.healthPath).toMatch(/^\/[\x21-\x7e]*$/);
        // A label that is present is either accepted or reported, never silently dropped.
        for (const [key, label] of Object.entries({
          port: DOCKER_LABELS.port,
          network: DOCKER_LABELS.network,
          healthPath: DOCKER_LABELS.healthPath,
          metricsPort: DOCKER_LABELS.metricsPort,
        })) {
          if (given[label] === undefined) continue;
          expect((parsed as unknown as Record<string, unknown>)[key] !== undefined || refused.has(label), label).toBe(true);
        }
      }),
      { numRuns: 3000, seed },
    );
  });
});
