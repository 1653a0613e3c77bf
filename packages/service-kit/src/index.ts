export { ConfigError, type EnvProblem } from './config-error.js';
export { CONFIG_EXIT_CODE, type ConfigExitTarget, configOrExit, exitOnConfigError } from './config-or-exit.js';
export { type DrainOptions, type DrainResult, drainHttpServer } from './drain-http-server.js';
export { DAY_MS, EnvReader } from './env-reader.js';
export { ListenError, type Listener } from './listen-error.js';
export { type ListenSettings, listenHint } from './listen-hint.js';
export { type ShutdownOptions, type ShutdownStep, type SignalTarget, shutdownOnSignals } from './shutdown-on-signals.js';
