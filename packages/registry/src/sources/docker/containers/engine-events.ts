/** One message of Docker's `GET /events` stream (the fields discovery reads). */
export interface DockerEvent {
  readonly Type?: string;
  /** `start`, `kill`, `health_status: healthy`, `connect`, ... */
  readonly Action?: string;
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Readonly<Record<string, string>> };
}

/** The container events and network events discovery subscribes to (everything else is noise: exec_*, attach, ...). */
export const WATCHED_CONTAINER_ACTIONS = ['start', 'restart', 'stop', 'kill', 'die', 'pause', 'unpause', 'health_status', 'destroy', 'rename'] as const;
export const WATCHED_NETWORK_ACTIONS = ['connect', 'disconnect'] as const;

/** What an event means for the set of backends. */
export type EventEffect =
  /** Something changed: inspect the container again and decide. */
  | { readonly kind: 'refresh'; readonly containerId: string }
  /** A new run began: forget that an earlier run was stopping, then inspect. */
  | { readonly kind: 'started'; readonly containerId: string }
  /** A stop signal was sent: take it out now, while it shuts down, before it dies. */
  | { readonly kind: 'stopping'; readonly containerId: string }
  /** Removed: forget it without asking Docker. */
  | { readonly kind: 'destroyed'; readonly containerId: string }
  /** Attached to or detached from a network (the container's address there came or went). */
  | { readonly kind: 'network'; readonly containerId: string };

const SIGNAL_NAMES: Readonly<Record<string, string>> = {
  '1': 'HUP',
  '2': 'INT',
  '3': 'QUIT',
  '9': 'KILL',
  '10': 'USR1',
  '12': 'USR2',
  '15': 'TERM',
  '28': 'WINCH',
};
/** Signals that end a process unless it handles them: `docker stop`'s, `docker kill`'s default, Ctrl-C's. */
const TERMINATING = new Set(['TERM', 'KILL', 'INT', 'QUIT']);

/** `TERM` for `15`, `SIGTERM` and `TERM`. */
export function signalName(signal: string): string {
  const trimmed = signal.trim().toUpperCase();
  return SIGNAL_NAMES[trimmed] ?? trimmed.replace(/^SIG/, '');
}

/**
 * Reads one event. `docker stop` sends the container's stop signal (a `kill` event), waits,
 * then `die` and `stop` follow: acting on `kill` is what takes a container out of rotation
 * while it still drains. A `kill` with a signal that asks for something else (`HUP` to
 * reload) is not a stop. `stopSignal` is the container's own (`STOPSIGNAL`), if known.
 */
export function classifyEvent(event: DockerEvent, stopSignal?: string): EventEffect | undefined {
  const action = (event.Action ?? '').split(':')[0]!;
  if (event.Type === 'network') {
    const containerId = event.Actor?.Attributes?.container;
    if (containerId === undefined || !(WATCHED_NETWORK_ACTIONS as readonly string[]).includes(action)) return undefined;
    return { kind: 'network', containerId };
  }
  if (event.Type !== 'container') return undefined;
  const containerId = event.Actor?.ID;
  if (containerId === undefined || containerId === '') return undefined;
  switch (action) {
    case 'start':
      return { kind: 'started', containerId };
    case 'kill': {
      const signal = signalName(event.Actor?.Attributes?.signal ?? 'KILL');
      const stopping = TERMINATING.has(signal) || (stopSignal !== undefined && signal === signalName(stopSignal));
      return stopping ? { kind: 'stopping', containerId } : undefined;
    }
    case 'destroy':
      return { kind: 'destroyed', containerId };
    case 'restart':
    case 'stop':
    case 'die':
    case 'pause':
    case 'unpause':
    case 'health_status':
    case 'rename':
      return { kind: 'refresh', containerId };
    default:
      return undefined;
  }
}
