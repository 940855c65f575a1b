// Shared headless-Chromium setup for screenshots.mjs and axe-check.mjs.
//
// Uses Debian's Chromium (apt package `chromium`) through playwright-core;
// no browser is downloaded. Override the binary with CHROMIUM_PATH.

import fs from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// The network-quietening flags matter here: the machine has no internet, and
// without them Chromium keeps trying (and failing) to reach Google services.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium() {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium ` +
        `(or set CHROMIUM_PATH).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Make a context only talk to `origin` (the local static server): any other
 * request is aborted at once instead of hanging on the closed network.
 * Returns the set of blocked URLs so callers can report them.
 */
export async function confineToOrigin(context, origin) {
  const blocked = new Set();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url === origin) return route.continue();
    blocked.add(url);
    return route.abort('blockedbyclient');
  });
  return blocked;
}
