// Every child the harness starts goes through here, so it can always be stopped:
// each runs in its own process group (nginx/haproxy workers included) and is killed by group id.
import { spawn } from 'node:child_process';

const live = new Set();
const TAIL_BYTES = 8192;

export function start(command, args, { env, cwd } = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-TAIL_BYTES);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise((resolve) => {
    child.on('error', (error) => {
      keep(`${command}: ${error.message}\n`);
      resolve({ code: null, signal: null, error });
    });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const proc = { pid: child.pid, command, exited, output: () => output, done: false };
  exited.then(() => {
    proc.done = true;
  });
  live.add(proc);
  return proc;
}

function killGroup(proc, signal) {
  if (proc.pid === undefined) return;
  try {
    process.kill(-proc.pid, signal);
  } catch {
    // ESRCH: the whole group is gone already.
  }
}

/** SIGTERM the group, wait up to graceMs for the leader, then SIGKILL whatever is left. */
export async function stop(proc, graceMs = 3000) {
  killGroup(proc, 'SIGTERM');
  let timer;
  await Promise.race([proc.exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
  clearTimeout(timer);
  killGroup(proc, 'SIGKILL');
  await proc.exited;
  live.delete(proc);
}

export async function stopAll() {
  await Promise.all([...live].map((proc) => stop(proc, 1000)));
}

/** Last resort on exit or a signal: nothing the harness started outlives it. */
export function killAllOnExit() {
  process.on('exit', () => {
    for (const proc of live) killGroup(proc, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping ${live.size} child process group(s)`);
      stopAll().finally(() => process.exit(130));
    });
  }
}
