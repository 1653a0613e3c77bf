// Run wrk against a URL and parse its --latency report.
import * as processes from './processes.mjs';

export const THREADS = 1;
export const CONNECTIONS = 64;

export function wrkCommand(url, seconds) {
  return ['wrk', `-t${THREADS}`, `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', url];
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60000, h: 3600000 };

function toMs(text) {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2]] : NaN;
}

export function parseWrk(text) {
  const percentile = (p) => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(text);
    return match ? toMs(match[1]) : NaN;
  };
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  const requests = /^\s+(\d+) requests in/m.exec(text);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1, 5).reduce((sum, n) => sum + Number(n), 0) : 0;
  if (!rps) throw new Error(`could not parse wrk output:\n${text}`);
  return {
    rps: Number(rps[1]),
    requests: requests ? Number(requests[1]) : NaN,
    p50: percentile(50),
    p75: percentile(75),
    p90: percentile(90),
    p99: percentile(99),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors,
    socketErrorDetail: socket ? socket[0] : 'Socket errors: none',
    errors: (non2xx ? Number(non2xx[1]) : 0) + socketErrors,
  };
}

/** One bounded wrk run; killed if it overruns its duration by 15 s. */
export async function runWrk(url, seconds) {
  const [command, ...args] = wrkCommand(url, seconds);
  const proc = processes.start(command, args);
  const watchdog = setTimeout(() => processes.stop(proc, 500), (seconds + 15) * 1000);
  const { code, signal, error } = await proc.exited;
  clearTimeout(watchdog);
  await processes.stop(proc, 0);
  if (error) throw new Error(`wrk failed to start: ${error.message}`);
  if (code !== 0) throw new Error(`wrk exited with ${code ?? signal}:\n${proc.output()}`);
  return parseWrk(proc.output());
}
