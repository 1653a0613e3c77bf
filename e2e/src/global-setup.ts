import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createEngine, destroyEngine, engineEnv, loadEngine } from './private-engine.js';
import { BUILD_SCRIPT, REPO_ROOT } from './repo.js';
import { run } from './run.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder of the run's private Docker engine (see private-engine.ts); load it with loadEngine(). */
    engineDir: string;
  }
}

/**
 * Once per run: a private Docker engine, and the images built into it offline by the
 * same script a user runs (infra/images/build.sh), from the apps' dist/ that turbo built
 * before this package's tests. Torn down when the run ends, whatever the tests did.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const engine = await createEngine({ liveRestore: true });
  try {
    // The Node base image is made from the node running this (Node 24 in CI).
    const path = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
    await run('bash', [BUILD_SCRIPT], { cwd: REPO_ROOT, env: engineEnv(engine, { PATH: path, NODE_IMAGE: 'lbpoc/node:24-local' }), timeoutMs: 300_000 });
    // The CI subset runs Prometheus and node exporter from Debian's binaries; build.sh
    // skips those images when the packages are missing, and compose would then try a registry.
    for (const image of [
      'lbpoc/balancer:local',
      'lbpoc/backend:local',
      'lbpoc/docker-api-proxy:local',
      'lbpoc/prometheus:local',
      'lbpoc/node-exporter:local',
    ]) {
      await run('docker', ['image', 'inspect', image], { env: engineEnv(engine) }).catch(() => {
        throw new Error(
          `infra/images/build.sh did not build ${image}; for the Prometheus and node exporter images install Debian's prometheus and prometheus-node-exporter (bash .ci/monitoring-tools.sh)`,
        );
      });
    }
  } catch (error) {
    await destroyEngine(engine);
    throw error;
  }
  process.stdout.write(`e2e: private Docker engine ${engine.host} ready with images in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  project.provide('engineDir', engine.dir);
  return async () => {
    await destroyEngine(loadEngine(engine.dir));
  };
}
