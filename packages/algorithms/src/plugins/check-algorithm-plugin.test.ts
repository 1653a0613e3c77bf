import { describe, expect, it } from 'vitest';
import type { Server } from '../types.js';
import { type AlgorithmPlugin, defineAlgorithm, MAX_PLUGIN_GAUGES } from './algorithm-plugin.js';
import { AlgorithmPluginError } from './algorithm-plugin-error.js';
import { checkAlgorithmPlugin } from './check-algorithm-plugin.js';

/** A working plugin: always the first eligible server. */
function first(name = 'first_one', extra: Partial<AlgorithmPlugin> = {}): AlgorithmPlugin {
  return defineAlgorithm({
    name,
    create: () => ({
      name,
      lastUsed: name,
      pick: <S extends Server>(servers: readonly S[]) => servers.find((server) => (server.weight ?? 1) > 0),
      observe: () => {},
      gauges: () => ({ picks: 0 }),
    }),
    ...extra,
  });
}

function problemOf(exports: unknown, taken: readonly string[] = []): string {
  try {
    checkAlgorithmPlugin(exports, './mine.mjs', taken);
  } catch (error) {
    expect(error).toBeInstanceOf(AlgorithmPluginError);
    expect((error as AlgorithmPluginError).source).toBe('./mine.mjs');
    expect((error as Error).message).toBe(`algorithm module "./mine.mjs": ${(error as AlgorithmPluginError).problem}`);
    return (error as AlgorithmPluginError).problem;
  }
  throw new Error('the plugin was accepted');
}

describe('checkAlgorithmPlugin', () => {
  it('accepts a default export or one named `algorithm`, and returns the plugin itself', () => {
    const plugin = first();
    expect(checkAlgorithmPlugin({ default: plugin }, './mine.mjs')).toBe(plugin);
    expect(checkAlgorithmPlugin({ algorithm: plugin }, './mine.mjs')).toBe(plugin);
  });

  it('refuses a module that exports no plugin', () => {
    expect(problemOf({})).toContain('exports no algorithm');
    expect(problemOf({ default: () => {} })).toContain('exports no algorithm');
    expect(problemOf(undefined)).toContain('exports no algorithm');
  });

  it('refuses a name that is not a wire name, a built-in name, and a name taken by an earlier module', () => {
    expect(problemOf({ default: first('Fastest') })).toBe(
      'name "Fastest" is not a wire name: a lower-case letter, then up to 39 lower-case letters, digits or _',
    );
    expect(problemOf({ default: first('a'.repeat(41)) })).toContain('is not a wire name');
    expect(problemOf({ default: { ...first(), name: 7 } })).toContain('name 7 is not a wire name');
    expect(problemOf({ default: first('round_robin') })).toBe('name "round_robin" is a built-in algorithm\'s; choose another');
    expect(problemOf({ default: first('mine') }, ['mine'])).toBe('name "mine" is already taken by another algorithm module');
  });

  it('refuses fields of the wrong type, naming them', () => {
    expect(problemOf({ default: { name: 'x', create: 'soon' } })).toBe('create is string, not a function returning the algorithm');
    expect(problemOf({ default: first('x', { description: 5 as unknown as string }) })).toBe('description must be a string');
    expect(problemOf({ default: first('x', { loadAware: 'yes' as unknown as boolean }) })).toBe('loadAware must be true or false');
  });

  it('bounds the declared gauges: valid names, no repeats, at most MAX_PLUGIN_GAUGES', () => {
    expect(checkAlgorithmPlugin({ default: first('x', { gauges: ['picks', 'tracked_servers'] }) }, './mine.mjs').gauges).toEqual(['picks', 'tracked_servers']);
    expect(problemOf({ default: first('x', { gauges: 'picks' as unknown as string[] }) })).toBe('gauges must be an array of gauge names');
    expect(problemOf({ default: first('x', { gauges: ['Picks'] }) })).toContain('gauge name "Picks" is not valid');
    expect(problemOf({ default: first('x', { gauges: ['a', 'a'] }) })).toBe('declares a gauge name twice');
    const many = Array.from({ length: MAX_PLUGIN_GAUGES + 1 }, (_, i) => `g${i}`);
    expect(problemOf({ default: first('x', { gauges: many }) })).toBe(`declares ${MAX_PLUGIN_GAUGES + 1} gauges; at most ${MAX_PLUGIN_GAUGES}`);
  });

  it('builds one instance and asks it to pick: a factory or a pick that breaks stops the load, not a request', () => {
    const base = first('x');
    const withInstance = (instance: unknown) => ({ default: { ...base, create: () => instance } });
    expect(
      problemOf({
        default: {
          ...base,
          create: () => {
            throw new Error('no config file');
          },
        },
      }),
    ).toBe('create() threw: no config file');
    expect(problemOf(withInstance(null))).toBe('create() returned null, not an algorithm');
    expect(problemOf(withInstance({ name: 'x', lastUsed: 'x', pick: () => undefined }))).toBe('create() returned an object without pick() and observe()');
    const instance = base.create({});
    expect(problemOf(withInstance({ ...instance, name: 'y' }))).toBe('create() returned an algorithm named "y", not "x"');
    expect(problemOf(withInstance({ ...instance, pick: () => ({ id: 'elsewhere:1' }) }))).toBe('pick([]) must return undefined when there is no server');
    expect(problemOf(withInstance({ ...instance, pick: (servers: Server[]) => (servers.length ? { id: 'elsewhere:1' } : undefined) }))).toBe(
      'pick() returned something that is not one of the servers it was given',
    );
    expect(
      problemOf(
        withInstance({
          ...instance,
          pick: () => {
            throw new RangeError('bad index');
          },
        }),
      ),
    ).toBe('pick() threw: bad index');
    const { gauges: _, ...withoutGauges } = instance as unknown as Record<string, unknown>;
    expect(problemOf({ default: { ...base, gauges: ['picks'], create: () => withoutGauges } })).toBe(
      'declares gauges but its algorithm has no gauges() method',
    );
  });

  it('keeps the cause of a throwing factory', () => {
    const cause = new Error('no config file');
    try {
      checkAlgorithmPlugin(
        {
          default: {
            ...first('x'),
            create: () => {
              throw cause;
            },
          },
        },
        './mine.mjs',
      );
    } catch (error) {
      expect((error as Error).cause).toBe(cause);
      return;
    }
    throw new Error('accepted');
  });
});
