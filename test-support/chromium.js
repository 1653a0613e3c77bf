// Debian's Chromium as the browser tests and the status page viewer of bench:proxy launch it
// (through playwright-core): `.ci/chromium.sh` installs it; a test tool's own browser
// download does not work here. Imported as it is, with no build step (types: chromium.d.ts).

export const CHROMIUM = '/usr/bin/chromium';

/** Headless, and nothing talks to anything but the page under test. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
