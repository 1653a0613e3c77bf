// nginx in the foreground with a config of its own under a temp dir: the three cheap
// backends, and the nginx reverse-proxy contender.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as processes from './processes.mjs';

function config(dir, httpBody) {
  return `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_rlimit_nofile 16384;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 100000;
${httpBody}
}
`;
}

function startNginx(dir, httpBody) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, config(dir, httpBody));
  return processes.start('nginx', ['-p', dir, '-e', join(dir, 'error.log'), '-c', file]);
}

/** A backend: one worker answering every request with 200 "ok\n". */
export function startBackend(dir, port) {
  return startNginx(
    dir,
    `  server {
    listen 127.0.0.1:${port};
    location / { default_type text/plain; return 200 "ok\\n"; }
  }`,
  );
}

/** The nginx contender: one worker, round robin, keep-alive pool of 64 to the backends. */
export function startProxy(dir, port, backends) {
  const servers = backends.map((hostPort) => `    server ${hostPort};`).join('\n');
  return startNginx(
    dir,
    `  upstream backends {
${servers}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }`,
  );
}
