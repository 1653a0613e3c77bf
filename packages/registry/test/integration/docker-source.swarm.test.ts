/**
 * DockerSource in Swarm mode, on a private single-node swarm (test/integration/private-dockerd.ts):
 * turning Swarm on for the machine's shared engine would change it for everybody.
 * Services run lbpoc/node:24-local; the source polls services and tasks.
 */
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerUnavailableError } from '../../src/sources/docker/docker-errors.js';
import { DockerSource } from '../../src/sources/docker/docker-source.js';
import type { DockerWarningDetail } from '../../src/sources/docker/docker-source-events.js';
import { connectToEngine, HTTP_SERVER, TEST_IMAGE, waitFor } from './docker-engine.js';
import { type PrivateDockerd, startPrivateDockerd } from './private-dockerd.js';

let daemon: PrivateDockerd | undefined;

beforeAll(async () => {
  daemon = await startPrivateDockerd({ liveRestore: false, mainEngine: await connectToEngine() });
}, 90_000);

afterAll(async () => {
  await daemon?.destroy();
}, 90_000);

function serviceSpec(name: string, labels: Record<string, string>, replicas: number, network: string): Docker.CreateServiceOptions {
  return {
    Name: name,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: { Image: TEST_IMAGE, Command: ['node', '-e', HTTP_SERVER] },
      Networks: [{ Target: network }],
      RestartPolicy: { Condition: 'none' },
    },
    Mode: { Replicated: { Replicas: replicas } },
  };
}

describe('DockerSource (swarm mode, private single-node swarm)', { timeout: 90_000 }, () => {
  it('refuses to start on an engine that is not a swarm manager', async () => {
    const source = new DockerSource({ mode: 'swarm', docker: { socketPath: daemon!.socketPath } });
    const error = await source.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect((error as Error).message).toContain('Swarm discovery needs a swarm manager, and this engine is swarm state "inactive"');
    await source.close();
  });

  it('lists the running tasks of enabled services, follows scaling, warns about bad labels', async () => {
    const d = daemon!;
    await d.initSwarm();
    const network = 'lbpoc-test-overlay';
    await d.docker.createNetwork({ Name: network, Driver: 'overlay', Attachable: true });
    const base = { 'lbpoc.enable': 'true', 'lbpoc.port': '8080' };
    const web = await d.docker.createService(serviceSpec('web', { ...base, 'lbpoc.weight': '2' }, 2, network));
    await d.docker.createService(serviceSpec('api', { ...base, 'lbpoc.pool': 'api', 'lbpoc.health.path': '/ready' }, 1, network));
    await d.docker.createService(serviceSpec('broken', { ...base, 'lbpoc.weight': 'many' }, 1, network));
    await d.docker.createService(serviceSpec('other', { 'lbpoc.port': '8080' }, 1, network));

    const source = new DockerSource({ mode: 'swarm', docker: { socketPath: d.socketPath }, pool: 'web', pollIntervalMs: 200, selfNetworks: [] });
    const all = new DockerSource({ mode: 'swarm', docker: { socketPath: d.socketPath }, pollIntervalMs: 200, selfNetworks: [] });
    const warnings: DockerWarningDetail[] = [];
    all.addEventListener('warning', (event) => warnings.push(event.detail));
    try {
      await Promise.all([source.start(), all.start()]);
      await waitFor('both web tasks', () => source.current().length === 2, 30_000);
      for (const backend of source.current()) {
        expect(backend).toMatchObject({ port: 8080, weight: 2, pool: 'web' });
        expect(backend.host).toMatch(/^10\.233\./); // the overlay, from this swarm's address pool
      }
      await waitFor('the api task too, in the unfiltered source', () => all.current().length === 3, 30_000);
      expect(all.current().find((backend) => backend.pool === 'api')).toMatchObject({ healthPath: '/ready' });
      await waitFor('a warning about the broken service', () => warnings.length > 0);
      expect(warnings).toEqual([
        expect.objectContaining({
          container: 'broken',
          label: 'lbpoc.weight',
          value: 'many',
          message: expect.stringContaining('service "broken": label lbpoc.weight="many" is invalid'),
        }),
      ]);

      // Scale to 3: the poll sees the new task once it runs.
      const spec = await web.inspect();
      await web.update({ ...spec.Spec, version: spec.Version.Index, Mode: { Replicated: { Replicas: 3 } } });
      await waitFor('the third web task', () => source.current().length === 3, 30_000);

      await web.remove();
      await waitFor('the web backends to go', () => source.current().length === 0, 30_000);
      expect(warnings).toHaveLength(1); // polled many times, reported once
    } finally {
      await Promise.all([source.close(), all.close()]);
    }
  });
});
