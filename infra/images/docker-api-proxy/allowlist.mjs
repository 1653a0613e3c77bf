// @ts-check
/**
 * What the read-only Docker API proxy lets through: the calls its three clients make (the
 * balancer's @lbpoc/registry DockerSource, Prometheus' docker_sd and cAdvisor), as GET or
 * HEAD, and nothing else. No create, start, exec, build, attach, no container logs, stats or
 * archives, no image details, history or export, no swarm secrets or configs.
 *
 * Paths are matched whole, after an optional API version prefix (`/v1.41`), and only in
 * their plain form: anything with `%`, `..`, `//` or a backslash is refused rather than
 * decoded, so no spelling of a path can reach an endpoint the list does not name.
 */

/** A Docker object id or name as the engine accepts them in a path. */
const ID = '[A-Za-z0-9][A-Za-z0-9_.-]{0,127}';

/** @type {readonly RegExp[]} */
export const ALLOWED_PATHS = Object.freeze([
  /^\/_ping$/,
  /^\/version$/,
  /^\/info$/,
  // The event stream: how the balancer learns about containers at once.
  /^\/events$/,
  /^\/containers\/json$/,
  new RegExp(`^/containers/${ID}/json$`),
  // cAdvisor's /docker page (google/cadvisor container/docker/docker.go, Images()): the
  // image list, no image's details. e2e/test/docker-api-proxy.test.ts replays cAdvisor's calls.
  /^\/images\/json$/,
  /^\/networks$/,
  new RegExp(`^/networks/${ID}$`),
  // Swarm mode: services and their tasks (read only; no /secrets, /configs, /nodes).
  /^\/services$/,
  new RegExp(`^/services/${ID}$`),
  /^\/tasks$/,
  new RegExp(`^/tasks/${ID}$`),
]);

/**
 * Answers whose JSON carries other containers' environment (`Config.Env`, a task's
 * `ContainerSpec.Env`): often passwords and tokens. The proxy removes every `Env` key from
 * them; discovery reads labels, networks and state, never the environment.
 */
const WITH_ENVIRONMENT = Object.freeze([
  new RegExp(`^/containers/${ID}/json$`),
  /^\/services$/,
  new RegExp(`^/services/${ID}$`),
  /^\/tasks$/,
  new RegExp(`^/tasks/${ID}$`),
]);

const VERSION_PREFIX = /^\/v\d{1,2}\.\d{1,3}(?=\/)/;

/**
 * @typedef {object} AllowedRequest
 * @property {true} allowed
 * @property {string} path the endpoint, without the API version prefix (`/containers/json`)
 * @property {string} target the path as it goes to the engine, version prefix kept (`/v1.41/containers/json`)
 * @property {string} query the raw query string after `?` ('' when none): query.mjs re-encodes it
 * @property {boolean} redactEnv the answer carries other containers' environment
 * @property {boolean} events the event stream (filtered, see event-filter.mjs)
 */

/**
 * @param {string} method
 * @param {string} url the request target as received (path and query)
 * @returns {AllowedRequest | { allowed: false, reason: string }}
 */
export function checkRequest(method, url) {
  if (method !== 'GET' && method !== 'HEAD') {
    return { allowed: false, reason: `method ${method} is not allowed: this proxy is read-only (GET and HEAD)` };
  }
  const query = url.indexOf('?');
  const rawPath = query === -1 ? url : url.slice(0, query);
  if (!rawPath.startsWith('/') || /%|\\|\/\/|\/\.\.?(\/|$)/.test(rawPath)) {
    return { allowed: false, reason: `path ${JSON.stringify(rawPath)} is not in plain form (no %, .., // or \\ allowed)` };
  }
  const path = rawPath.replace(VERSION_PREFIX, '');
  if (!ALLOWED_PATHS.some((pattern) => pattern.test(path))) {
    return {
      allowed: false,
      reason: `${path} is not an endpoint this proxy allows (containers, networks, services, tasks, events, info, version, _ping, images/json)`,
    };
  }
  return {
    allowed: true,
    path,
    target: rawPath,
    query: query === -1 ? '' : url.slice(query + 1),
    redactEnv: WITH_ENVIRONMENT.some((pattern) => pattern.test(path)),
    events: path === '/events',
  };
}

/**
 * Removes every `Env` key, at any depth, from a parsed JSON value (in place).
 * @param {unknown} value
 * @returns {unknown} the same value
 */
export function redactEnv(value) {
  if (Array.isArray(value)) {
    for (const item of value) redactEnv(item);
  } else if (value !== null && typeof value === 'object') {
    const record = /** @type {Record<string, unknown>} */ (value);
    for (const key of Object.keys(record)) {
      if (key === 'Env') delete record[key];
      else redactEnv(record[key]);
    }
  }
  return value;
}
