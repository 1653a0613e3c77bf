// The three identical cheap backends every contender sits in front of.
import { join } from 'node:path';
import { freePort } from '../../../test-support/free-port.js';
import * as nginx from './nginx.mjs';
import { waitForOk } from './ready.mjs';

export async function startBackends(workDir, count = 3) {
  const backends = [];
  for (let i = 1; i <= count; i++) {
    const port = await freePort();
    const proc = nginx.startBackend(join(workDir, `backend-${i}`), port);
    backends.push({ port, proc, hostPort: `127.0.0.1:${port}` });
    await waitForOk(port, proc, 10000);
  }
  return backends;
}
