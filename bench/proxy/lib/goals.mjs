// The lbpoc goals (the data-path issue), evaluated from one run's medians, as ratios to
// contenders measured side by side in the same run.
import { cpuMicrosPerRequest } from './report.mjs';

const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
const micros = (s) => `${Math.round(cpuMicrosPerRequest(s))} µs`;

export function evaluateGoals(byId) {
  const lbpoc = byId.lbpoc?.summary;
  const undici = byId.undici?.summary;
  const hp3 = byId['http-proxy-3']?.summary;
  const two = byId['lbpoc-2']?.summary;
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
    goal('lbpoc WORKERS=2 ≥ 1.25x WORKERS=1 requests/s', [lbpoc, two], () => [
      two.rps >= 1.25 * lbpoc.rps,
      `${ratio(two.rps, lbpoc.rps)} (${Math.round(two.rps)} vs ${Math.round(lbpoc.rps)})`,
    ]),
    goal('lbpoc WORKERS=2 CPU per request ≤ 1.1x WORKERS=1', [lbpoc, two], () => [
      cpuMicrosPerRequest(two) <= 1.1 * cpuMicrosPerRequest(lbpoc),
      `${ratio(cpuMicrosPerRequest(two), cpuMicrosPerRequest(lbpoc))} (${micros(two)} vs ${micros(lbpoc)})`,
    ]),
    goal('lbpoc WORKERS=2 zero errors', [two], () => [two.errors === 0, `${two.errors} errors`]),
  ];
}
