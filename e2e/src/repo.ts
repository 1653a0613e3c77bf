import { fileURLToPath } from 'node:url';

/** The repository root: compose files and build scripts are addressed from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const COMPOSE_FILE = `${REPO_ROOT}infra/compose.yaml`;
export const STACK_FILE = `${REPO_ROOT}infra/stack.yaml`;
export const STACK_PORTS_FILE = `${REPO_ROOT}infra/stack.ports.yaml`;
export const BUILD_SCRIPT = `${REPO_ROOT}infra/images/build.sh`;
export const DEBIAN_IMAGE_SCRIPT = `${REPO_ROOT}infra/images/debian-image.sh`;
