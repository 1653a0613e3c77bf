import { describe, expect, it } from 'vitest';
import { checkRequest } from '../../infra/images/docker-api-proxy/allowlist.mjs';
import { DEFAULT_MAX_REDACTED_BYTES, readConfig } from '../../infra/images/docker-api-proxy/config.mjs';
import { EventLineFilter, isDiscoveryEvent, mergeEventFilters } from '../../infra/images/docker-api-proxy/event-filter.mjs';
import { upstreamPath } from '../../infra/images/docker-api-proxy/query.mjs';
import { RedactionBudget } from '../../infra/images/docker-api-proxy/redacted-answer.mjs';
import { checkFraming, upstreamHeaders } from '../../infra/images/docker-api-proxy/request-gate.mjs';

/**
 * The docker-api proxy's parts on their own (no engine): the framing rules, the headers
 * and query it sends upstream, the event filter, its settings. The real proxy in front of
 * the real engine is in docker-api-proxy.test.ts and docker-api-proxy.smuggling.test.ts.
 */

describe('checkFraming', () => {
  const framing = (rawHeaders: string[], httpVersion = '1.1') => checkFraming({ httpVersion, rawHeaders });

  it('passes a plain request, with or without a single content-length: 0', () => {
    expect(framing(['Host', 'docker', 'User-Agent', 'x'])).toEqual({ ok: true });
    expect(framing(['Host', 'docker', 'Content-Length', '0'])).toEqual({ ok: true });
    expect(framing(['Host', 'docker'], '1.0')).toEqual({ ok: true });
  });

  it.each([
    [['Content-Length', '12'], /content-length "12" announces a request body/],
    [['Content-Length', '0', 'Content-Length', '0'], /content-length "0, 0"/],
    [['content-length', '00'], /content-length "00"/],
    [['Transfer-Encoding', 'chunked'], /transfer-encoding "chunked"/],
    [['Content-Length', '0', 'TRANSFER-ENCODING', 'identity'], /transfer-encoding "identity"/],
    [['Transfer-Encoding', ''], /transfer-encoding ""/],
    [['Expect', '100-continue'], /expect "100-continue"/],
    [['Upgrade', 'tcp'], /upgrade "tcp" asks to switch protocols/],
    [['Connection', 'keep-alive, Upgrade'], /upgrade "" asks to switch protocols/],
  ])('refuses %j with 400: %s', (headers, message) => {
    const verdict = framing(['Host', 'docker', ...headers]);
    expect(verdict).toMatchObject({ ok: false, status: 400 });
    expect(verdict.ok === false && verdict.reason).toMatch(message);
  });

  it('wants exactly one host header in HTTP/1.1, at most one in HTTP/1.0', () => {
    expect(framing([])).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining('exactly one host header, got 0') });
    expect(framing(['Host', 'a', 'Host', 'b'])).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining('got 2') });
    expect(framing([], '1.0')).toEqual({ ok: true });
  });

  it('refuses HTTP versions other than 1.1 and 1.0 with 505', () => {
    expect(framing([], '2.0')).toMatchObject({ ok: false, status: 505, reason: expect.stringContaining('HTTP/2.0') });
  });
});

describe('upstreamHeaders', () => {
  it('sends its own host and the client user agent only', () => {
    expect(
      upstreamHeaders({
        host: 'attacker',
        'user-agent': 'Docker-Client/28',
        'content-length': '10',
        'transfer-encoding': 'chunked',
        connection: 'keep-alive, x-registry-auth',
        'x-registry-auth': 'secret',
        'accept-encoding': 'gzip',
        cookie: 'a=b',
      }),
    ).toEqual({ host: 'docker', 'user-agent': 'Docker-Client/28' });
    expect(upstreamHeaders({})).toEqual({ host: 'docker' });
    expect(upstreamHeaders({ 'user-agent': 'u'.repeat(1000) })['user-agent']).toHaveLength(256);
  });
});

describe('upstreamPath', () => {
  const path = (url: string) => {
    const verdict = checkRequest('GET', url);
    if (!verdict.allowed) throw new Error(verdict.reason);
    return upstreamPath(verdict);
  };
  const filtersOf = (url: string) => {
    const result = path(url);
    if (!result.ok) throw new Error(result.reason);
    return JSON.parse(new URLSearchParams(result.path.split('?')[1]).get('filters') ?? 'null') as Record<string, string[]>;
  };

  it('keeps the version prefix and re-encodes the query', () => {
    expect(path('/v1.41/containers/json')).toEqual({ ok: true, path: '/v1.41/containers/json' });
    expect(path('/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22a%20b%22%5D%7D')).toEqual({
      ok: true,
      path: '/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22a+b%22%5D%7D',
    });
    // A `;` is a value's character here, sent encoded: the engine cannot split on it.
    expect(path('/containers/json?all=1;size=1')).toEqual({ ok: true, path: '/containers/json?all=1%3Bsize%3D1' });
  });

  it('refuses a parameter given twice', () => {
    expect(path('/containers/json?all=1&all=0')).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining('"all" is given more than once') });
  });

  it('forces the event types and actions discovery needs when the client names none, keeping its own filters', () => {
    const filters = filtersOf(`/v1.41/events?since=1700000000&filters=${encodeURIComponent(JSON.stringify({ label: ['lbpoc.enable'] }))}`);
    expect(filters.label).toEqual(['lbpoc.enable']);
    expect(filters.type).toEqual(['container', 'network']);
    expect(filters.event).toContain('start');
    expect(filters.event).toContain('health_status');
    expect(filters.event).not.toContain('exec_create');
    expect(filtersOf('/events').type).toEqual(['container', 'network']);
  });

  it("keeps the registry's own filters as they are (they are within the lists)", () => {
    const registry = {
      type: ['container', 'network'],
      event: ['start', 'restart', 'stop', 'kill', 'die', 'pause', 'unpause', 'health_status', 'destroy', 'rename', 'connect', 'disconnect'],
    };
    expect(filtersOf(`/v1.41/events?filters=${encodeURIComponent(JSON.stringify(registry))}`)).toEqual(registry);
  });

  it('reads the legacy map format, counting a key whatever its boolean (as the engine does)', () => {
    expect(filtersOf(`/events?filters=${encodeURIComponent('{"type":{"container":true},"label":{"a":false}}')}`)).toMatchObject({
      type: ['container'],
      label: ['a'],
    });
    expect(path(`/events?filters=${encodeURIComponent('{"event":{"exec_start":false}}')}`)).toMatchObject({ ok: false, status: 403 });
  });

  it('keeps a filter key spelled __proto__ a plain key', () => {
    expect(Object.keys(filtersOf(`/events?filters=${encodeURIComponent('{"__proto__":["x"]}')}`))).toContain('__proto__');
  });

  it.each([
    ['{"type":["container","image"]}', 403, /type "image" are not passed .*allowed type values: container, network/],
    ['{"event":["start","exec_create"]}', 403, /event "exec_create" are not passed/],
    ['{"event":["health_status: healthy"]}', 403, /event "health_status: healthy"/],
    ['not json', 400, /is not JSON/],
    ['["type"]', 400, /must be a JSON object/],
    ['{"label":[1]}', 400, /filters.label must be a list of strings/],
    ['{"label":"x"}', 400, /filters.label must be a list of strings/],
  ])('refuses events filters %s with %i', (filters, status, message) => {
    const result = path(`/events?filters=${encodeURIComponent(filters)}`);
    expect(result).toMatchObject({ ok: false, status });
    expect(result.ok === false && result.reason).toMatch(message);
  });

  it('takes since, until and filters on /events, and nothing else', () => {
    expect(path('/events?since=1&until=2')).toMatchObject({ ok: true });
    expect(path('/events?stream=1')).toMatchObject({
      ok: false,
      status: 400,
      reason: expect.stringContaining('"stream" is not accepted on /events (allowed: since, until, filters)'),
    });
  });

  it('mergeEventFilters treats an empty list as no filter', () => {
    const merged = mergeEventFilters('{"type":[]}');
    expect(merged.ok && JSON.parse(merged.filters).type).toEqual(['container', 'network']);
  });
});

describe('isDiscoveryEvent', () => {
  it.each([
    [{ Type: 'container', Action: 'start', Actor: { ID: 'a' } }, true],
    [{ Type: 'container', Action: 'health_status: healthy' }, true],
    [{ Type: 'container', Action: 'kill' }, true],
    [{ Type: 'network', Action: 'connect' }, true],
    [{ Type: 'container', Action: 'exec_create: sh -c echo secret' }, false],
    [{ Type: 'container', Action: 'exec_start: sh' }, false],
    [{ Type: 'container', Action: 'exec_die' }, false],
    [{ Type: 'container', Action: 'create' }, false],
    [{ Type: 'container', Action: 'attach' }, false],
    [{ Type: 'container', Action: 'health_status' }, false],
    [{ Type: 'container', Action: 'health_status: healthy; exec_create' }, false],
    [{ Type: 'network', Action: 'destroy' }, false],
    [{ Type: 'image', Action: 'pull' }, false],
    [{ Type: 'secret', Action: 'create' }, false],
    [{ status: 'start', id: 'a' }, false],
    [['start'], false],
    [null, false],
    ['start', false],
  ])('%j: %s', (event, passes) => {
    expect(isDiscoveryEvent(event)).toBe(passes);
  });
});

describe('EventLineFilter', () => {
  const start = JSON.stringify({ Type: 'container', Action: 'start', Actor: { ID: 'abc', Attributes: { 'lbpoc.enable': 'true', name: 'é-ü' } } });
  const exec = JSON.stringify({ Type: 'container', Action: 'exec_create: sh -c "mysql -pSECRET"', Actor: { ID: 'abc' } });
  const die = JSON.stringify({ Type: 'container', Action: 'die', Actor: { ID: 'abc' } });

  /** Feeds the chunks through a filter and returns what came out, and what was dropped. */
  async function run(chunks: Buffer[], maxLineBytes = 1024) {
    const dropped: string[] = [];
    const filter = new EventLineFilter({ maxLineBytes, onDrop: (reason) => dropped.push(reason) });
    const out: Buffer[] = [];
    filter.on('data', (chunk: Buffer) => out.push(chunk));
    const done = new Promise((resolve, reject) => {
      filter.on('end', resolve);
      filter.on('error', reject);
    });
    for (const chunk of chunks) filter.write(chunk);
    filter.end();
    await done;
    return { text: Buffer.concat(out).toString('utf8'), dropped, held: filter.pendingBytes };
  }

  it('passes discovery events and drops exec events, however the stream is cut into chunks', async () => {
    const stream = Buffer.from(`${start}\n${exec}\n\n${die}\n`);
    // Every cut point, including inside the multi-byte characters of the start event.
    for (let cut = 0; cut <= stream.length; cut++) {
      const { text, dropped } = await run([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(text, `cut at ${cut}`).toBe(`${start}\n${die}\n`);
      expect(dropped).toEqual([]);
    }
    const { text } = await run([...stream].map((byte) => Buffer.from([byte])));
    expect(text).toBe(`${start}\n${die}\n`);
  });

  it('drops a line over the bound without holding it, and carries on after it', async () => {
    const huge = JSON.stringify({ Type: 'container', Action: 'start', Actor: { ID: 'x', Attributes: { big: 'y'.repeat(5000) } } });
    const chunks = [Buffer.from(`${start}\n${huge.slice(0, 3000)}`), Buffer.from(huge.slice(3000)), Buffer.from(`\n${die}\n`)];
    const dropped: string[] = [];
    const filter = new EventLineFilter({ maxLineBytes: 1024, onDrop: (reason) => dropped.push(reason) });
    const out: Buffer[] = [];
    filter.on('data', (chunk: Buffer) => out.push(chunk));
    for (const chunk of chunks) {
      filter.write(chunk);
      expect(filter.pendingBytes).toBeLessThanOrEqual(1024);
    }
    filter.end();
    await new Promise((resolve) => filter.on('end', resolve));
    expect(Buffer.concat(out).toString('utf8')).toBe(`${start}\n${die}\n`);
    expect(dropped).toEqual(['an event over 1024 bytes']);
  });

  it('drops lines that are not one JSON value, and an unfinished last line', async () => {
    const { text, dropped } = await run([Buffer.from(`{"Type":"container",\n${start}${start}\n${die}\n${start}`)]);
    expect(text).toBe(`${die}\n`);
    expect(dropped).toEqual(['an event that is not JSON', 'an event that is not JSON', 'the stream ended inside an event']);
  });
});

describe('readConfig', () => {
  it('has defaults, and reads valid values', () => {
    expect(readConfig({})).toEqual({ socketPath: '/var/run/docker.sock', host: '0.0.0.0', port: 2375, maxRedactedBytes: DEFAULT_MAX_REDACTED_BYTES });
    expect(readConfig({ MAX_REDACTED_BYTES: '1048576', PORT: '1' })).toMatchObject({ maxRedactedBytes: 1048576, port: 1 });
  });

  it.each([
    [{ MAX_REDACTED_BYTES: '2MiB' }, 'MAX_REDACTED_BYTES="2MiB" is not valid: expected an integer from 1024 to 4194304'],
    [{ MAX_REDACTED_BYTES: '1023' }, 'MAX_REDACTED_BYTES="1023"'],
    [{ MAX_REDACTED_BYTES: '-1' }, 'MAX_REDACTED_BYTES="-1"'],
    [{ MAX_REDACTED_BYTES: '67108864' }, 'MAX_REDACTED_BYTES="67108864"'],
    [{ PORT: '2375x' }, 'PORT="2375x" is not valid: expected an integer from 1 to 65535'],
    [{ DOCKER_SOCKET: 'run/docker.sock' }, 'DOCKER_SOCKET="run/docker.sock" is not valid: expected an absolute path'],
  ])('refuses %j', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});

describe('RedactionBudget', () => {
  it('holds at most its limit across takers, and gives back what is released', () => {
    const budget = new RedactionBudget(100);
    expect(budget.take(60)).toBe(true);
    expect(budget.take(50)).toBe(false);
    expect(budget.take(40)).toBe(true);
    budget.release(60);
    expect(budget.take(50)).toBe(true);
    expect(budget.held).toBe(90);
  });
});
