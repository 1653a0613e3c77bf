import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { type ConfigExitTarget, configOrExit, exitOnConfigError } from './config-or-exit.js';
import { EnvReader } from './env-reader.js';

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function fakeProcess(): ConfigExitTarget & { output: () => string } {
  let output = '';
  return {
    stderr: { write: (text: string) => (output += text) },
    exit: (code: number): never => {
      throw new Exited(code);
    },
    output: () => output,
  };
}

/** An app's loadConfig in miniature. */
function load(env: Record<string, string>, warn: (message: string) => void): { port: number } {
  const read = new EnvReader(env);
  read.renamed('OLD_PORT', 'PORT');
  const port = read.port('PORT', 5000);
  read.throwIfProblems();
  for (const warning of read.warnings) warn(warning);
  return { port };
}

describe('configOrExit', () => {
  it('returns the configuration, printing each warning on stderr', () => {
    const target = fakeProcess();
    expect(configOrExit('svc', (warn) => load({ OLD_PORT: '81' }, warn), target)).toEqual({ port: 81 });
    expect(target.output()).toBe('svc: warning: OLD_PORT is deprecated and will be ignored from the next release: rename it PORT (same value)\n');
  });

  it('prints every bad variable and exits 2, without a stack trace', () => {
    const target = fakeProcess();
    expect(() => configOrExit('svc', (warn) => load({ PORT: 'x' }, warn), target)).toThrow(new Exited(2));
    expect(target.output()).toBe('svc: invalid configuration\nPORT="x" is not valid: an integer from 0 to 65535 (0: any free port; default 5000)\n');
  });

  it('throws anything else: a bug is not a configuration problem', () => {
    const target = fakeProcess();
    expect(() =>
      configOrExit(
        'svc',
        () => {
          throw new TypeError('bug');
        },
        target,
      ),
    ).toThrow(TypeError);
    expect(() =>
      configOrExit(
        'svc',
        () => {
          throw new ConfigError([]);
        },
        target,
      ),
    ).toThrow(new Exited(2));
  });

  it('exitOnConfigError: a configuration found wrong later (a module that will not load) ends the same way', () => {
    const target = fakeProcess();
    const error = new ConfigError([{ variable: 'MODULES', value: './x.mjs', allowed: 'cannot be loaded: not found' }]);
    expect(() => exitOnConfigError('svc', error, target)).toThrow(new Exited(2));
    expect(target.output()).toBe('svc: invalid configuration\nMODULES="./x.mjs" is not valid: cannot be loaded: not found\n');
    expect(() => exitOnConfigError('svc', new TypeError('bug'), target)).toThrow(TypeError);
  });
});
