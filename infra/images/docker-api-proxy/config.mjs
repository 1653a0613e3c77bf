// @ts-check
/**
 * The proxy's settings, from the environment, each validated: a bad value stops the
 * process at start with a message naming the variable, the value and what is allowed.
 */

/**
 * How many bytes of engine answers may be held for redaction at once, all answers together
 * (see redacted-answer.mjs). Measured in the stack's container (memory limit 64M, compose.yaml
 * and stack.yaml): the idle proxy uses about 20 MiB of it; parsing, redacting and
 * re-serialising an answer peaks at about 7 times its size (Buffer, string, object graph,
 * output), and an 8 MiB answer was killed by the limit. 2 MiB held at once peaks near
 * 35 MiB, leaving room for the event streams. 2 MiB is about 25 times the largest inspect
 * answer and several hundred swarm tasks (2.5 KiB each), more than one list of tasks
 * discovery asks for.
 */
export const DEFAULT_MAX_REDACTED_BYTES = 2 * 1024 * 1024;
/**
 * The most MAX_REDACTED_BYTES may be raised to: 4 MiB held peaked at 45 MiB in the 64M
 * container, 8 MiB was killed. A larger value needs a larger memory limit, and this with it.
 */
const MAX_REDACTED_CEILING = 4 * 1024 * 1024;

/**
 * One event of the event stream is held whole before it is judged (event-filter.mjs).
 * A container event carries the container's labels; compose's are about 2 KiB.
 */
export const MAX_EVENT_LINE_BYTES = 256 * 1024;

/**
 * @typedef {object} ProxyConfig
 * @property {string} socketPath the engine's socket (dialled afresh for every request)
 * @property {string} host
 * @property {number} port
 * @property {number} maxRedactedBytes
 */

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {ProxyConfig}
 * @throws {Error} naming the first bad variable, its value and what is allowed
 */
export function readConfig(env) {
  const socketPath = env.DOCKER_SOCKET || '/var/run/docker.sock';
  if (!socketPath.startsWith('/')) throw badValue('DOCKER_SOCKET', socketPath, 'an absolute path to the engine socket');
  return {
    socketPath,
    host: env.HOST || '0.0.0.0',
    port: integer(env, 'PORT', 2375, 1, 65535),
    maxRedactedBytes: integer(env, 'MAX_REDACTED_BYTES', DEFAULT_MAX_REDACTED_BYTES, 1024, MAX_REDACTED_CEILING),
  };
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 */
function integer(env, name, fallback, min, max) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw badValue(name, raw, `an integer from ${min} to ${max}`);
  return value;
}

/** @param {string} name @param {string} value @param {string} allowed */
const badValue = (name, value, allowed) => new Error(`${name}=${JSON.stringify(value)} is not valid: expected ${allowed}`);
