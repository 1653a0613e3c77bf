import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from './support/local-stack.js';
import { requireExecutable, TOOLS } from './support/tools.js';

describe('the real tools', () => {
  it('a missing one fails the test, naming the install command and package', () => {
    expect(() => requireExecutable('/nonexistent/bin/prometheus', 'prometheus', 'prometheus')).toThrow(
      '/nonexistent/bin/prometheus is missing: this test runs the real prometheus. Install it with  bash .ci/monitoring-tools.sh  (Debian package prometheus).',
    );
  });

  it('.ci/monitoring-tools.sh installs every package the tests name', () => {
    const script = readFileSync(`${REPO}.ci/monitoring-tools.sh`, 'utf8');
    const packages = /PACKAGES=\(([^)]*)\)/.exec(script)![1]!.split(/\s+/).filter(Boolean);
    for (const { apt } of Object.values(TOOLS)) if (apt !== 'python3') expect(packages).toContain(apt);
  });
});
