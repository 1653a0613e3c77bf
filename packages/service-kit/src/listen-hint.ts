/** The variables that chose a listener's address, for hints that say which one to change. */
export interface ListenSettings {
  /** The port's variable, e.g. `PORT`. */
  readonly port: string;
  /** The address's variable, e.g. `HOST`. */
  readonly host: string;
}

/**
 * What a person can do about a listen error that is theirs to fix (`EADDRINUSE`, `EACCES`,
 * `EADDRNOTAVAIL`, a host name that does not resolve); undefined for any other code.
 * With `settings`, the hint names the variable to change; without, it says what to choose
 * (for a library, whose caller passed the address).
 *
 * Shared by the apps (`ListenError`) and, bundled into it, by `@lbpoc/metrics`'s
 * `MetricsServerError`.
 */
export function listenHint(code: string, settings?: ListenSettings): string | undefined {
  switch (code) {
    case 'EADDRINUSE':
      return `the port is already in use; stop what holds it or ${settings ? `set ${settings.port} to another port` : 'choose another port'}`;
    case 'EACCES':
      return `permission denied; ports below 1024 need privileges, ${settings ? `set ${settings.port} to 1024 or above` : 'choose a port of 1024 or above'}`;
    case 'EADDRNOTAVAIL':
      return `the address is not on this machine; ${settings ? `set ${settings.host} to` : 'use'} 0.0.0.0, 127.0.0.1 or one of its addresses`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return settings ? `${settings.host} does not resolve; set it to an IP address` : 'the host name does not resolve; use an IP address or a resolvable name';
    default:
      return undefined;
  }
}
