// The HAProxy contender: one thread, round robin, keep-alive to the backends.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as processes from './processes.mjs';

export function startProxy(dir, port, backends) {
  mkdirSync(dir, { recursive: true });
  const servers = backends.map((hostPort, i) => `  server b${i + 1} ${hostPort}`).join('\n');
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(
    file,
    `global
  nbthread 1
  maxconn 4096

defaults
  mode http
  option http-keep-alive
  timeout connect 5s
  timeout client 30s
  timeout server 30s

frontend bench
  bind 127.0.0.1:${port}
  default_backend backends

backend backends
  balance roundrobin
  http-reuse safe
${servers}
`,
  );
  // -db: stay in the foreground, one process.
  return processes.start('haproxy', ['-db', '-f', file]);
}
