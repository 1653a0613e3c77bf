import { once } from 'node:events';
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../lib/load.mjs';
import { parseOptions } from '../lib/options.mjs';

/**
 * A server on 127.0.0.1 that answers nothing until `release` requests have arrived (or
 * 3 s have passed), then everything at once: an open-loop client gets them all there; a
 * closed one would stall. It counts the most requests it held open at once.
 */
async function holdingServer(release) {
  const held = [];
  const seen = [];
  let open = 0;
  let maxOpen = 0;
  let released = false;
  const letGo = () => {
    released = true;
    for (const r of held.splice(0)) r.end('ok');
  };
  const server = createServer((request, response) => {
    seen.push(request.url);
    maxOpen = Math.max(maxOpen, ++open);
    response.on('finish', () => open--);
    if (released) return response.end('ok');
    held.push(response);
    if (held.length >= release) letGo();
  });
  const timer = setTimeout(letGo, 3000);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    seen,
    maxOpen: () => maxOpen,
    close: () => {
      clearTimeout(timer);
      server.closeAllConnections();
      server.close();
    },
  };
}

const servers = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

describe('runLoad', () => {
  it('is open loop: sends every request when due though none has been answered', async () => {
    const server = await holdingServer(20);
    servers.push(server);
    const run = await runLoad(server.url, 'p2c', { requests: 20, rate: 200, concurrency: 1000, maxSeconds: 10 });
    expect(run.samples).toHaveLength(20);
    expect(run.capped).toBe(0);
    expect(server.maxOpen()).toBe(20);
    expect(run.samples.every((s) => s.status === 200)).toBe(true);
    expect(server.seen.every((url) => url === '/?algo=p2c')).toBe(true);
    // Due times: i / rate, whatever came back.
    expect(run.samples.map((s) => Math.round(s.due * 200)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('counts the sends a full in-flight cap held back, and measures from when they were due', async () => {
    const server = await holdingServer(20);
    servers.push(server);
    const run = await runLoad(server.url, 'p2c', { requests: 20, rate: 200, concurrency: 5, maxSeconds: 10 });
    // 5 in flight, none answered until the server's 3 s timer: the other 15 waited for a
    // slot, so they went out seconds late, and the cap was never passed.
    expect(run.samples).toHaveLength(20);
    expect(run.capped).toBeGreaterThanOrEqual(1);
    expect(server.maxOpen()).toBe(5);
    expect(run.samples.filter((s) => s.lateMs > 1000)).toHaveLength(15);
    // Measured from when they were due: every one waited for the timer.
    expect(run.samples.filter((s) => s.ms > 1000)).toHaveLength(20);
  });

  it('alternates between several targets and runs its events once', async () => {
    const a = await holdingServer(1);
    const b = await holdingServer(1);
    servers.push(a, b);
    let fired = 0;
    const run = await runLoad([a.url, b.url], 'prequal', {
      requests: 10,
      rate: 500,
      concurrency: 100,
      maxSeconds: 10,
      events: [{ at: 0.001, action: async () => fired++ }],
    });
    expect([a.seen.length, b.seen.length]).toEqual([5, 5]);
    expect(fired).toBe(1);
    expect(run.samples.every((s) => s.status === 200)).toBe(true);
  });
});

describe('parseOptions', () => {
  it('keeps the demo defaults, one repetition, a cap that does not bind', () => {
    expect(parseOptions([])).toMatchObject({ scenario: 'demo', requests: 3000, rate: 150, repeat: 1, warmup: 0, concurrency: 1000 });
  });

  it('gives the slowed scenario its own defaults, and takes --repeat', () => {
    const o = parseOptions(['--scenario', 'slowed', '--repeat', '2']);
    expect(o).toMatchObject({ scenario: 'slowed', requests: 700, rate: 100, repeat: 2, warmup: 2, slowAt: 3, simSeeds: 20 });
    expect(o.algorithms).not.toContain('ip_hash');
  });

  it('refuses what cannot work, naming it', () => {
    expect(() => parseOptions(['--scenario', 'fast'])).toThrow('--scenario "fast"');
    expect(() => parseOptions(['--scenario', 'slowed', '--target', 'http://127.0.0.1:1/'])).toThrow('--target works with --scenario demo only');
    expect(() => parseOptions(['--repeat', '0'])).toThrow('--repeat "0" must be an integer from 1 to 100');
    expect(() => parseOptions(['--algorithms', 'p2c,p2c'])).toThrow('each name once');
    expect(() => parseOptions(['--requests', '100', '--rate', '100', '--warmup', '1'])).toThrow('--warmup 1 s must be shorter than a run');
  });
});
