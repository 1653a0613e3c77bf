import { type Logger, pino } from 'pino';
import type { LogLevel } from './config/config.js';

/** JSON logs on stdout, one object a line; `LOG_LEVEL` sets the threshold. Per-request access lines are `debug`. */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'lbpoc-balancer' }, timestamp: pino.stdTimeFunctions.isoTime });
}
