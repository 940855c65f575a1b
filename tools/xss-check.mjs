// Loads every page of a built site in headless Chromium with a hook that
// records any script execution or dialog, and clicks every link whose URL
// could run code. Fails if anything fired.
//
// usage: node tools/xss-check.mjs SITE_DIR
// The fixture tests/fixtures/xss plants OWASP filter-evasion style vectors
// in titles, descriptions, bodies, member links, event locations and FAQ
// answers; every vector calls alert(...) if it ever runs.

import { startStaticServer, listHtmlFiles, urlPathForFile } from './static-server.mjs';
import { launchChromium, confineToOrigin } from './browser.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node tools/xss-check.mjs SITE_DIR');
  process.exit(2);
}

const server = await startStaticServer(dir);
const browser = await launchChromium();
const fired = [];
let pages = 0;
let links = 0;
try {
  const context = await browser.newContext();
  await confineToOrigin(context, server.url);
  // Runs before any page script: every way a vector reports itself is recorded.
  await context.addInitScript(() => {
    const record = (kind) => (...args) => {
      (window.__xss = window.__xss || []).push(kind + ':' + args.map(String).join(','));
    };
    window.alert = record('alert');
    window.confirm = record('confirm');
    window.prompt = record('prompt');
  });
  for (const rel of await listHtmlFiles(dir)) {
    const page = await context.newPage();
    page.on('dialog', async (d) => {
      fired.push(`${rel}: dialog ${d.type()} ${d.message()}`);
      await d.dismiss();
    });
    const url = server.url + urlPathForFile(rel);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(50);
    // Links and forms whose target is script-like are clicked too.
    const risky = await page.$$eval('a[href], form[action], iframe[src], object[data], embed[src]', (els) =>
      els
        .map((e) => e.getAttribute('href') || e.getAttribute('action') || e.getAttribute('src') || e.getAttribute('data') || '')
        .filter((h) => /^\s*(javascript|vbscript|data):/i.test(h)),
    );
    for (const r of risky) fired.push(`${rel}: script-like URL survived: ${r}`);
    links += risky.length;
    const recorded = await page.evaluate(() => window.__xss || []);
    for (const r of recorded) fired.push(`${rel}: ${r}`);
    pages += 1;
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
if (fired.length) {
  for (const f of fired) console.log('FIRED ' + f);
  console.log(`xss-check: ${fired.length} problem(s) in ${pages} pages`);
  process.exit(1);
}
console.log(`xss-check: ${pages} pages loaded, no script ran, no dialog opened, no script-like URL left`);
