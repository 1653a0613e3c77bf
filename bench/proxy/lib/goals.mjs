// The lbpoc goals, evaluated from one run's medians.
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

export function evaluateGoals(byId) {
  const lbpoc = byId.lbpoc?.summary;
  const haproxy = byId.haproxy?.summary;
  const hp3 = byId['http-proxy-3']?.summary;
  const goal = (text, inputs, check) => {
    if (inputs.some((x) => !x)) return { goal: text, status: 'not measured', detail: '' };
    const [met, detail] = check();
    return { goal: text, status: met ? 'met' : 'missed', detail };
  };
  return [
    goal('lbpoc ≥ 0.25x HAProxy requests/s', [lbpoc, haproxy], () => [
      lbpoc.rps >= 0.25 * haproxy.rps,
      `${ratio(lbpoc.rps, haproxy.rps)} (${Math.round(lbpoc.rps)} vs ${Math.round(haproxy.rps)})`,
    ]),
    goal('lbpoc ≥ 0.9x bare http-proxy-3 requests/s', [lbpoc, hp3], () => [
      lbpoc.rps >= 0.9 * hp3.rps,
      `${ratio(lbpoc.rps, hp3.rps)} (${Math.round(lbpoc.rps)} vs ${Math.round(hp3.rps)})`,
    ]),
    goal('lbpoc p99 ≤ bare http-proxy-3 p99', [lbpoc, hp3], () => [
      lbpoc.p99 <= hp3.p99,
      `${lbpoc.p99.toFixed(2)} ms vs ${hp3.p99.toFixed(2)} ms`,
    ]),
    goal('lbpoc peak RSS ≤ 150 MiB', [lbpoc], () => [lbpoc.peakRssMiB <= 150, `${lbpoc.peakRssMiB.toFixed(1)} MiB`]),
    goal('lbpoc zero errors', [lbpoc], () => [lbpoc.errors === 0, `${lbpoc.errors} errors`]),
  ];
}
