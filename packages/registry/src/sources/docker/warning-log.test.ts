import { describe, expect, it } from 'vitest';
import type { DockerWarningDetail } from './docker-source-events.js';
import { WarningLog } from './warning-log.js';

const warning = (message: string): DockerWarningDetail => ({ container: 'web', containerId: 'c1', label: 'lbpoc.port', value: 'x', message });

describe('WarningLog', () => {
  it('reports a problem once, again when it changes, and again after it was fixed and came back', () => {
    const log = new WarningLog();
    expect(log.fresh('c1', [warning('a')])).toHaveLength(1);
    expect(log.fresh('c1', [warning('a')])).toHaveLength(0);
    expect(log.fresh('c1', [warning('a'), warning('b')])).toHaveLength(2);
    expect(log.fresh('c1', [])).toHaveLength(0);
    expect(log.fresh('c1', [warning('a')])).toHaveLength(1);
  });
});
