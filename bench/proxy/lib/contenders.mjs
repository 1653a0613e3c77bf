// The contenders, in table order. Each launch() starts one process (group) listening on
// `port` in front of `backends` ("127.0.0.1:p" strings) and returns it; `direct` starts nothing.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROMIUM } from '../../../test-support/chromium.js';
import { freePort } from '../../../test-support/free-port.js';
import * as haproxy from './haproxy.mjs';
import * as nginx from './nginx.mjs';
import * as processes from './processes.mjs';
import { waitForOk } from './ready.mjs';

const here = (relative) => fileURLToPath(new URL(relative, import.meta.url));
export const REPO_ROOT = here('../../../');
const LBPOC_DIR = here('../../../apps/balancer/');
const LBPOC_ENTRY = here('../../../apps/balancer/dist/main.js');
const BALANCER_NODE_FLAGS = JSON.parse(readFileSync(here('../../../apps/balancer/node-flags.json'), 'utf8'));

function nodeContender(entry, { nodeArgs = [], env = {}, cwd } = {}) {
  return (port, backends) =>
    processes.start(process.execPath, [...nodeArgs, entry], {
      cwd,
      env: { PORT: String(port), BACKEND_SERVERS: backends.join(','), ...env },
    });
}

export const CONTENDERS = [
  {
    id: 'direct',
    label: 'direct (wrk → one backend)',
    launch: null,
  },
  {
    id: 'haproxy',
    label: 'HAProxy, nbthread 1',
    launch: (port, backends, { dir }) => haproxy.startProxy(dir, port, backends),
  },
  {
    id: 'nginx',
    label: 'nginx, 1 worker, keepalive 64',
    launch: (port, backends, { dir }) => nginx.startProxy(dir, port, backends),
  },
  {
    id: 'http-proxy',
    label: 'node-http-proxy 1.18.1',
    launch: nodeContender(here('../contenders/http-proxy.mjs')),
  },
  {
    id: 'http-proxy-3',
    label: 'bare http-proxy-3',
    launch: nodeContender(here('../contenders/http-proxy-3.mjs')),
  },
  {
    id: 'http-proxy-3-fetch',
    label: 'http-proxy-3, fetch path (undici)',
    launch: nodeContender(here('../contenders/http-proxy-3-fetch.mjs')),
  },
  {
    id: 'undici',
    label: 'undici Pool per backend',
    launch: nodeContender(here('../contenders/undici-pool.mjs')),
  },
  lbpocContender('lbpoc', 'lbpoc balancer, WORKERS=1', 1),
  lbpocContender('lbpoc-2', 'lbpoc balancer, WORKERS=2', 2),
  lbpocContender('lbpoc-page', 'lbpoc balancer, WORKERS=1, status page open in Chromium', 1, LBPOC_ENTRY, { viewer: true }),
  // BENCH_REF_LBPOC=<another build's dist/main.js>: that build side by side, for an A/B.
  ...(process.env.BENCH_REF_LBPOC
    ? [
        lbpocContender('lbpoc-ref', `lbpoc balancer, reference build (${process.env.BENCH_REF_LABEL ?? 'BENCH_REF_LBPOC'})`, 1, process.env.BENCH_REF_LBPOC),
        lbpocContender(
          'lbpoc-ref-2',
          `lbpoc balancer, reference build, WORKERS=2 (${process.env.BENCH_REF_LABEL ?? 'BENCH_REF_LBPOC'})`,
          2,
          process.env.BENCH_REF_LBPOC,
        ),
      ]
    : []),
];

/**
 * The lbpoc balancer as the image runs it, with metrics and health checks on, `workers`
 * threads serving; with `viewer`, its status page open in Chromium for the whole run (a
 * companion process, its CPU counted apart: `viewer`).
 */
function lbpocContender(id, label, workers, entry = LBPOC_ENTRY, { viewer = false } = {}) {
  return {
    id,
    label,
    missing: () => {
      if (!existsSync(entry)) return `not built (${entry} missing)`;
      return viewer && !existsSync(CHROMIUM) ? `${CHROMIUM} missing (bash .ci/chromium.sh installs it)` : null;
    },
    launch: async (port, backends, { cpuProfDir }) => {
      // Run as the image runs it (apps/balancer/Dockerfile CMD): a smaller young generation.
      const nodeArgs = [
        ...BALANCER_NODE_FLAGS,
        ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, '--import', pathToFileURL(here('./exit-on-signal.mjs')).href] : []),
      ];
      const metricsPort = await freePort();
      const env = {
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'warn',
        DEFAULT_ALGORITHM: 'round_robin',
        WORKERS: String(workers),
      };
      const proc = nodeContender(entry, { nodeArgs, env, cwd: LBPOC_DIR })(port, backends);
      if (viewer) proc.companions = [await startViewer(`http://127.0.0.1:${metricsPort}/`, proc)];
      return proc;
    },
  };
}

/** The status page viewer (contenders/status-page-viewer.mjs), once its page is live. */
async function startViewer(adminUrl, balancer) {
  await waitForOk(Number(new URL(adminUrl).port), balancer);
  const viewer = processes.start(process.execPath, [here('../contenders/status-page-viewer.mjs'), adminUrl]);
  const until = Date.now() + 30_000;
  while (!viewer.output().includes('viewing')) {
    if (viewer.done || Date.now() > until) {
      await processes.stop(viewer, 1000);
      throw new Error(`the status page viewer did not go live: ${viewer.output().trim().split('\n').slice(-3).join(' / ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return viewer;
}
