/** The part of a backend's state that rise/fall reads and writes. */
export interface CheckState {
  failingChecks: boolean;
  checkPasses: number;
  checkFailures: number;
}

/**
 * Counts one active check result with hysteresis: `fall` consecutive failures mark a
 * passing backend as failing, `rise` consecutive passes bring it back. One flaky check
 * does not flap the backend in and out of rotation.
 * @returns true when `failingChecks` flipped
 */
export function recordCheck(state: CheckState, passed: boolean, rise: number, fall: number): boolean {
  if (passed) {
    state.checkPasses += 1;
    state.checkFailures = 0;
    if (state.failingChecks && state.checkPasses >= rise) {
      state.failingChecks = false;
      return true;
    }
  } else {
    state.checkFailures += 1;
    state.checkPasses = 0;
    if (!state.failingChecks && state.checkFailures >= fall) {
      state.failingChecks = true;
      return true;
    }
  }
  return false;
}
