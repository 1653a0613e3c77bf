import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Child } from './support/child.js';
import { type InfluxServer, startInfluxDb } from './support/influxdb-server.js';
import { REPO } from './support/local-stack.js';
import { requireTool } from './support/tools.js';

/**
 * Locust's InfluxDB writer (infra/locust/influx_writer.py) in Python's own unittest
 * (test/python/test_influx_writer.py): line-protocol escaping of tags and fields with
 * spaces, commas, equals signs, quotes and backslashes; the bounded queue, retries,
 * refused points and the last flush, with a stand-in for the HTTP side; the `influxdb`
 * package blocked, so only the standard library can be in use; and, against Debian's
 * real InfluxDB 1.6, awkward names written and read back unchanged.
 */
let influx: InfluxServer;

beforeAll(async () => {
  influx = await startInfluxDb();
});

afterAll(async () => {
  await influx?.stop();
});

describe('influx_writer.py (Python unittest)', () => {
  it('passes every test, none skipped, the round trip through a real InfluxDB included', async () => {
    const python = requireTool('python');
    // A bare environment: no PYTHONPATH from the caller can bring a module in.
    const child = new Child('python3 -m unittest', python, ['-m', 'unittest', '-v', 'test_influx_writer'], {
      cwd: `${REPO}infra/test/python`,
      env: { INFLUXDB_TEST_URL: influx.url, PYTHONDONTWRITEBYTECODE: '1' },
    });
    const code = await child.wait(60_000);
    expect(code, child.log).toBe(0);
    expect(child.log).toMatch(/^Ran (\d+) tests in/m);
    expect(Number(/^Ran (\d+) tests/m.exec(child.log)![1]), child.log).toBeGreaterThanOrEqual(20);
    expect(child.log, 'a test was skipped').not.toMatch(/skipped/);
    expect(child.log).toMatch(/test_tags_and_fields_survive .*\.\.\. ok/);
    expect(child.log).toMatch(/test_standard_library_only .*\.\.\. ok/);
  });
});
