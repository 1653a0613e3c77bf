// The lbpoc goals (the data-path issue), evaluated from one run's medians, as ratios to
// contenders measured side by side in the same run.
import { cpuMicrosPerRequest } from './report.mjs';

const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
const micros = (s) => `${Math.round(cpuMicrosPerRequest(s))} µs`;

/**
 * What two workers could reach on this machine at best, from the WORKERS=1 rounds: every
 * process (proxy, backends, wrk) kept its CPU per request and the host's `cores` were all
 * busy. And how much the CPU per request of the processes lbpoc does not control (the nginx
 * backends, wrk) grew from the WORKERS=1 rounds to the WORKERS=2 ones: on a saturated
 * machine everything costs more per request (shared caches, SMT siblings, context switches),
 * which the shared state of the workers cannot explain.
 */
export function workerCeiling(one, two, cores) {
  const perRequest = (s, part) => s.cpu[part] / s.rps;
  return {
    ceiling: cores / one.cpu.hostBusy,
    hostBusy: one.cpu.hostBusy,
    backendsGrowth: perRequest(two, 'backends') / perRequest(one, 'backends'),
    wrkGrowth: perRequest(two, 'wrk') / perRequest(one, 'wrk'),
  };
}

function ceilingText(one, two, cores) {
  if (!cores || !one.cpu?.hostBusy) return '';
  const c = workerCeiling(one, two, cores);
  return `; this machine's ceiling: ${c.ceiling.toFixed(2)}x (at WORKERS=1 the host was ${c.hostBusy.toFixed(2)} of ${cores} cores busy; two workers can only add the rest), and under WORKERS=2 the nginx backends' own CPU per request grew ${c.backendsGrowth.toFixed(2)}x and wrk's ${c.wrkGrowth.toFixed(2)}x: the saturated machine, not lbpoc`;
}

/** `cores`: the machine's (for the WORKERS=2 ceiling). */
export function evaluateGoals(byId, { cores } = {}) {
  const lbpoc = byId.lbpoc?.summary;
  const undici = byId.undici?.summary;
  const hp3 = byId['http-proxy-3']?.summary;
  const two = byId['lbpoc-2']?.summary;
  const page = byId['lbpoc-page']?.summary;
  const goal = (text, inputs, check) => {
    if (inputs.some((x) => !x)) return { goal: text, status: 'not measured', detail: '' };
    const [met, detail] = check();
    return { goal: text, status: met ? 'met' : 'missed', detail };
  };
  return [
    goal('lbpoc ≥ 1.0x the undici Pool contender requests/s', [lbpoc, undici], () => [
      lbpoc.rps >= undici.rps,
      `${ratio(lbpoc.rps, undici.rps)} (${Math.round(lbpoc.rps)} vs ${Math.round(undici.rps)})`,
    ]),
    goal('lbpoc CPU per request ≤ 1.1x the undici Pool contender', [lbpoc, undici], () => [
      cpuMicrosPerRequest(lbpoc) <= 1.1 * cpuMicrosPerRequest(undici),
      `${ratio(cpuMicrosPerRequest(lbpoc), cpuMicrosPerRequest(undici))} (${micros(lbpoc)} vs ${micros(undici)})`,
    ]),
    goal('lbpoc p99 ≤ bare http-proxy-3 p99', [lbpoc, hp3], () => [lbpoc.p99 <= hp3.p99, `${lbpoc.p99.toFixed(2)} ms vs ${hp3.p99.toFixed(2)} ms`]),
    goal('lbpoc peak RSS ≤ 150 MiB', [lbpoc], () => [lbpoc.peakRssMiB <= 150, `${lbpoc.peakRssMiB.toFixed(1)} MiB`]),
    goal('lbpoc zero errors', [lbpoc], () => [lbpoc.errors === 0, `${lbpoc.errors} errors`]),
    goal('lbpoc WORKERS=2 ≥ 1.25x WORKERS=1 requests/s', [lbpoc, two], () => {
      const met = two.rps >= 1.25 * lbpoc.rps;
      return [met, `${ratio(two.rps, lbpoc.rps)} (${Math.round(two.rps)} vs ${Math.round(lbpoc.rps)})${met ? '' : ceilingText(lbpoc, two, cores)}`];
    }),
    goal('lbpoc WORKERS=2 CPU per request ≤ 1.1x WORKERS=1', [lbpoc, two], () => [
      cpuMicrosPerRequest(two) <= 1.1 * cpuMicrosPerRequest(lbpoc),
      `${ratio(cpuMicrosPerRequest(two), cpuMicrosPerRequest(lbpoc))} (${micros(two)} vs ${micros(lbpoc)})`,
    ]),
    goal('lbpoc WORKERS=2 zero errors', [two], () => [two.errors === 0, `${two.errors} errors`]),
    goal('lbpoc with its status page open in a browser ≥ 0.98x requests/s of lbpoc without', [lbpoc, page], () => [
      page.rps >= 0.98 * lbpoc.rps,
      `${ratio(page.rps, lbpoc.rps)} (${Math.round(page.rps)} vs ${Math.round(lbpoc.rps)}; balancer CPU per request ${micros(page)} vs ${micros(lbpoc)}; Chromium used ${page.cpu.viewer.toFixed(2)} cores beside it)`,
    ]),
  ];
}
