/** Docker's own rule for container, network and service names; pools follow it too (they default to those names). */
const DOCKER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** `isDockerName`'s rule in words, for messages that say what is allowed. */
export const DOCKER_NAME_RULE = 'letters, digits, "_", "." and "-", not starting with a punctuation mark, at most 128 characters';

/** True when `value` is a valid Docker container, network or service name (and so a valid pool name). */
export function isDockerName(value: string): boolean {
  return DOCKER_NAME.test(value);
}
