/**
 * The bounded values of the `status_class` label. `1xx` appears for protocol switches
 * (WebSocket upgrades answer 101); `error` means no HTTP response at all (connection
 * refused or reset, timeout), which is different from a backend answering 5xx.
 */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'error'] as const;

export type StatusClass = (typeof STATUS_CLASSES)[number];

/**
 * Maps an HTTP status code to its class. Anything that is not an integer from 100 to
 * 599 (including `undefined` when no response came back) maps to `error`, so a label
 * value can never be unbounded whatever a caller passes in.
 */
export function statusClass(code: number | undefined | null): StatusClass {
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) return 'error';
  return STATUS_CLASSES[Math.floor(code / 100) - 1] ?? 'error';
}
