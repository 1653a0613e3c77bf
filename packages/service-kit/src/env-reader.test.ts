import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { DAY_MS, EnvReader } from './env-reader.js';

const SECRET = 'hunter2-hunter2-hunter2';
const noSpaces = (value: string) => (value.includes(' ') ? `character ${value.indexOf(' ') + 1} is a space` : undefined);

describe('EnvReader', () => {
  it('puts a bad value, quoted, in the problem and the start-up message', () => {
    const read = new EnvReader({ PORT: 'x' });
    read.integer('PORT', 5000, 0, 65535);
    expect(read.problems).toEqual([{ variable: 'PORT', value: 'x', allowed: 'an integer from 0 to 65535 (default 5000)' }]);
    expect(new ConfigError(read.problems).message).toBe('PORT="x" is not valid: an integer from 0 to 65535 (default 5000)');
  });

  it('takes the default for an unset or blank variable, and trims the others', () => {
    const read = new EnvReader({ A_MS: '', B_MS: '  ', C_MS: ' 250\n' });
    expect([read.milliseconds('A_MS', 1, 0), read.milliseconds('B_MS', 2, 0), read.milliseconds('C_MS', 3, 0)]).toEqual([1, 2, 250]);
    expect(read.problems).toEqual([]);
  });

  it('collects every problem, then throws them in one ConfigError with a code', () => {
    const read = new EnvReader({ PORT: '70000', LEVEL: 'loud', SHARE: '1.5' });
    read.port('PORT', 5000);
    read.oneOf('LEVEL', ['info', 'debug'], 'info');
    read.fraction('SHARE', 0.5);
    expect(() => read.throwIfProblems()).toThrow(ConfigError);
    const error = (() => {
      try {
        read.throwIfProblems();
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toMatchObject({ name: 'ConfigError', code: 'ERR_LBPOC_CONFIG' });
    expect(error!.message.split('\n')).toEqual([
      'PORT="70000" is not valid: an integer from 0 to 65535 (0: any free port; default 5000)',
      'LEVEL="loud" is not valid: one of info, debug (default info)',
      'SHARE="1.5" is not valid: a fraction from 0 to 1 (default 0.5)',
    ]);
    expect(() => new EnvReader({}).throwIfProblems()).not.toThrow();
  });

  it('reads time only from *_MS variables, up to a day unless told otherwise', () => {
    const read = new EnvReader({ WAIT_MS: String(DAY_MS + 1), SHORT_MS: '601' });
    expect(read.milliseconds('WAIT_MS', 10, 0)).toBe(10);
    expect(read.milliseconds('SHORT_MS', 10, 0, 600)).toBe(10);
    expect(read.problems.map((p) => p.allowed)).toEqual([`an integer from 0 to ${DAY_MS} (default 10)`, 'an integer from 0 to 600 (default 10)']);
    expect(() => read.milliseconds('SHUTDOWN_TIMEOUT', 10, 0)).toThrow('SHUTDOWN_TIMEOUT holds milliseconds: its name must end in _MS');
  });

  it('reads ports, hosts and fractions as the services accept them', () => {
    const read = new EnvReader({ PORT: '0', HOST: '::', NAME: 'backend-1.lan', RATE: '.25', BAD_HOST: 'not a host!', BAD_PORT: '80a' });
    expect(read.port('PORT', 5000)).toBe(0);
    expect(read.host('HOST', '0.0.0.0')).toBe('::');
    expect(read.host('NAME', '0.0.0.0')).toBe('backend-1.lan');
    expect(read.fraction('RATE', 0)).toBe(0.25);
    expect(read.host('BAD_HOST', '0.0.0.0')).toBe('0.0.0.0');
    expect(read.port('BAD_PORT', 5000)).toBe(5000);
    expect(read.problems.map((p) => p.variable)).toEqual(['BAD_HOST', 'BAD_PORT']);
    expect(read.problems[0]!.allowed).toMatch(/^an IP address to listen on/);
  });

  describe('renamed (a deprecated name, accepted for one release)', () => {
    it('reads the old name when only it is set, with a warning to rename it', () => {
      const read = new EnvReader({ SHUTDOWN_TIMEOUT: '2500' });
      read.renamed('SHUTDOWN_TIMEOUT', 'SHUTDOWN_TIMEOUT_MS');
      expect(read.milliseconds('SHUTDOWN_TIMEOUT_MS', 10_000, 0)).toBe(2500);
      expect(read.warnings).toEqual(['SHUTDOWN_TIMEOUT is deprecated and will be ignored from the next release: rename it SHUTDOWN_TIMEOUT_MS (same value)']);
      expect(read.problems).toEqual([]);
    });

    it('reports a bad value under the name the person set', () => {
      const read = new EnvReader({ SHUTDOWN_TIMEOUT: '10s' });
      read.renamed('SHUTDOWN_TIMEOUT', 'SHUTDOWN_TIMEOUT_MS');
      read.milliseconds('SHUTDOWN_TIMEOUT_MS', 10_000, 0);
      expect(read.problems).toEqual([{ variable: 'SHUTDOWN_TIMEOUT', value: '10s', allowed: `an integer from 0 to ${DAY_MS} (default 10000)` }]);
    });

    it('refuses both names at once, and says nothing when only the new one is set', () => {
      const both = new EnvReader({ SHUTDOWN_TIMEOUT: '1', SHUTDOWN_TIMEOUT_MS: '2' });
      both.renamed('SHUTDOWN_TIMEOUT', 'SHUTDOWN_TIMEOUT_MS');
      expect(both.milliseconds('SHUTDOWN_TIMEOUT_MS', 10_000, 0)).toBe(2);
      expect(both.problems).toEqual([
        { variable: 'SHUTDOWN_TIMEOUT', value: '1', allowed: 'unset: it is the old name of SHUTDOWN_TIMEOUT_MS, which is set too' },
      ]);
      const current = new EnvReader({ SHUTDOWN_TIMEOUT_MS: '2' });
      current.renamed('SHUTDOWN_TIMEOUT', 'SHUTDOWN_TIMEOUT_MS');
      expect([current.warnings, current.problems]).toEqual([[], []]);
    });
  });

  it('returns an accepted secret, trimmed, and undefined when unset or blank', () => {
    expect(new EnvReader({ TOKEN: `  ${SECRET}\n` }).secret('TOKEN', 'no spaces', noSpaces)).toBe(SECRET);
    expect(new EnvReader({}).secret('TOKEN', 'no spaces', noSpaces)).toBeUndefined();
    expect(new EnvReader({ TOKEN: '   ' }).secret('TOKEN', 'no spaces', noSpaces)).toBeUndefined();
  });

  it('reports a refused secret by what is wrong with it, never by its value', () => {
    const bad = `${SECRET} ${SECRET}`;
    const read = new EnvReader({ TOKEN: bad, PORT: 'x' });
    expect(read.secret('TOKEN', 'no spaces', noSpaces)).toBeUndefined();
    read.integer('PORT', 5000, 0, 65535);
    expect(read.problems[0]).toEqual({ variable: 'TOKEN', value: '', secret: true, allowed: 'no spaces; character 24 is a space' });
    const { message } = new ConfigError(read.problems);
    expect(message).toBe(
      'TOKEN=(secret, not shown) is not valid: no spaces; character 24 is a space\nPORT="x" is not valid: an integer from 0 to 65535 (default 5000)',
    );
    expect(message).not.toContain('hunter');
    expect(JSON.stringify(read.problems)).not.toContain('hunter');
  });

  it('keeps a secret out of any later problem about the same variable', () => {
    const read = new EnvReader({ TOKEN: SECRET });
    expect(read.secret('TOKEN', 'no spaces', noSpaces)).toBe(SECRET);
    read.problem('TOKEN', 'not together with OTHER');
    expect(read.problems).toEqual([{ variable: 'TOKEN', value: '', secret: true, allowed: 'not together with OTHER' }]);
    expect(new ConfigError(read.problems).message).not.toContain('hunter');
  });
});
