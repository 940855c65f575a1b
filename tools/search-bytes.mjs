// What a query costs a visitor's browser: bytes and requests of the search
// data fetched before the first result shows, and before the first page of
// results (ten) is complete, in headless Chromium with a cold cache.
//
//   node tools/search-bytes.mjs SITE_DIR [--at /path/] [--as TIER] [--queries 读书,分享夜,berlin]
//
// The site is served as a host serves it: text types (HTML, JSON, JS) gzip-
// compressed on the fly, as Netlify, Cloudflare and GitHub Pages do, and
// gated paths refused below the visitor's tier (static-server.mjs `gate`,
// the visitor's tier from a test cookie), over a phone's line (Chromium's
// network emulation: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, as
// its "Fast 3G" preset), so that what the first result waited for has
// arrived when it shows and what is still on its way has not. Bytes are what Chromium's network
// layer received (encodedDataLength: compressed bodies plus headers), for
// requests under /search/ only: the page and search.js are the same before
// and after a change of the index format and are left out. One line per
// query; `--json` prints the numbers as JSON. Not run in CI: a measuring
// tool (docs/search.md has its numbers).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';
import { launchChromium, confineToOrigin } from './browser.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const at = opt('--at', '/');
const tier = opt('--as', 'public');
const queries = opt('--queries', '读书,分享夜,社区活动,berlin,读').split(',');
const json = args.includes('--json');
const siteDir = args.find((a) => !a.startsWith('--'));
if (!siteDir) {
  console.error('usage: node tools/search-bytes.mjs SITE_DIR [--at /path/] [--as TIER] [--queries a,b] [--json]');
  process.exit(2);
}
void fileURLToPath;
void path;

const server = await startStaticServer(siteDir, { gate: true, gzip: true });
const browser = await launchChromium();
const rows = [];
try {
  for (const q of queries) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    await confineToOrigin(context, server.url);
    if (tier !== 'public') await context.addCookies([{ name: 'hearth-visitor', value: tier, url: server.url }]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    const urls = new Map();
    let bytes = 0;
    let requests = 0;
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    const count = (e) => {
      const u = urls.get(e.requestId);
      if (u && new URL(u).pathname.startsWith('/search/')) {
        bytes += e.encodedDataLength || 0;
        requests++;
      }
    };
    cdp.on('Network.loadingFinished', count);
    cdp.on('Network.loadingFailed', (e) => count({ requestId: e.requestId, encodedDataLength: 0 }));
    await page.goto(server.url + at);
    await page.waitForSelector('.hs-form:not([hidden])', { timeout: 10000 });
    await page.locator('#hs-input').fill(q);
    const t0 = Date.now();
    await page.waitForSelector('.hs-results a.hs-hit', { timeout: 30000 });
    const first = { bytes, requests, ms: Date.now() - t0 };
    await page.waitForFunction((q) => document.querySelector('[data-hearth-search]').dataset.query === q, q, {
      timeout: 30000,
      polling: 50,
    });
    // Let the last responses' loadingFinished events arrive.
    await page.waitForTimeout(200);
    const shown = await page.locator('.hs-results > li').count();
    rows.push({ q, first, page: { bytes, requests, shown } });
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
if (json) console.log(JSON.stringify(rows));
else {
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  for (const r of rows) {
    console.log(
      `${r.q}\tfirst result: ${kb(r.first.bytes)} in ${r.first.requests} requests, ${r.first.ms} ms\tfirst ${r.page.shown}: ${kb(r.page.bytes)} in ${r.page.requests} requests`,
    );
  }
}
