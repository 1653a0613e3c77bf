import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Names under which this process's own container might be inspected, most reliable first:
 * a container id from `/proc/self/mountinfo` (Docker bind-mounts
 * `/var/lib/docker/containers/<id>/hostname` and friends) or `/proc/self/cgroup` (cgroup
 * v1 paths name it), then the hostname, which Docker sets to the short id unless
 * `hostname:` overrides it (only inside a container: `/.dockerenv` exists).
 *
 * Empty outside a container. The caller confirms a candidate by inspecting it: a balancer
 * that runs on the host has no networks to share, and guessing one would be worse.
 */
export function ownContainerCandidates(): string[] {
  const candidates = new Set<string>();
  for (const line of readLines('/proc/self/mountinfo')) {
    // Fields: id parent major:minor root mount-point ... Only the files Docker mounts into
    // its containers count: on the host, mounts under /var/lib/docker/containers/<id>/
    // (a container's shm) belong to other containers.
    const [, , , root, mountPoint] = line.split(' ');
    const id = /\/containers\/([0-9a-f]{64})\//.exec(root ?? '')?.[1];
    if (id !== undefined && (mountPoint === '/etc/hostname' || mountPoint === '/etc/hosts' || mountPoint === '/etc/resolv.conf')) candidates.add(id);
  }
  for (const line of readLines('/proc/self/cgroup')) {
    const id = /docker[-/]([0-9a-f]{64})/.exec(line)?.[1];
    if (id !== undefined) candidates.add(id);
  }
  if (existsSync('/.dockerenv')) candidates.add(hostname());
  return [...candidates];
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return [];
  }
}
