// Take desktop and phone screenshots of a built Hearth site.
//
// usage: node tools/screenshots.mjs SITE_DIR OUT_DIR [paths...]
//   paths default to: / /events/ /rules/ /faq/ /members/
//
// Writes OUT_DIR/desktop-<name>.png (1280x900 viewport) and
// OUT_DIR/phone-<name>.png (390x844 viewport, mobile, scale 1), both full
// page. <name> is "home" for "/", otherwise the path with slashes turned
// into dashes ("/events/" -> "events", "/events/2026/" -> "events-2026").
// Exits 1 if any page fails to load or answers with an HTTP error.

import fs from 'node:fs/promises';
import path from 'node:path';
import { startStaticServer } from './static-server.mjs';
import { launchChromium, confineToOrigin } from './browser.mjs';

const DEFAULT_PATHS = ['/', '/events/', '/rules/', '/faq/', '/members/'];

const VIEWPORTS = [
  { name: 'desktop', contextOptions: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 } },
  {
    name: 'phone',
    contextOptions: {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
    },
  },
];

export function shotName(urlPath) {
  let p = urlPath.split(/[?#]/)[0];
  try {
    p = decodeURIComponent(p);
  } catch {
    /* keep as is */
  }
  p = p.replace(/\/index\.html$/, '/').replace(/\.html$/, '');
  const name = p
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return name || 'home';
}

async function main() {
  const [siteDir, outDir, ...rest] = process.argv.slice(2);
  if (!siteDir || !outDir) {
    console.error('usage: node tools/screenshots.mjs SITE_DIR OUT_DIR [paths...]');
    process.exit(2);
  }
  const paths = (rest.length ? rest : DEFAULT_PATHS).map((p) => (p.startsWith('/') ? p : '/' + p));
  await fs.mkdir(outDir, { recursive: true });

  // Unique output names even if two paths sanitise to the same thing.
  const used = new Map();
  const jobs = paths.map((p) => {
    const base = shotName(p);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return { urlPath: p, name: n === 1 ? base : `${base}-${n}` };
  });

  const server = await startStaticServer(siteDir);
  const browser = await launchChromium();
  let failures = 0;
  const started = Date.now();
  try {
    for (const vp of VIEWPORTS) {
      const context = await browser.newContext({ ...vp.contextOptions, reducedMotion: 'reduce' });
      const blocked = await confineToOrigin(context, server.url);
      for (const job of jobs) {
        const file = path.join(outDir, `${vp.name}-${job.name}.png`);
        // A fresh page per shot, so a redirect still pending on one page
        // cannot leak into the next.
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        page.on('pageerror', (err) => console.warn(`  [${vp.name}] ${job.urlPath}: page error: ${err.message}`));
        page.on('console', (msg) => {
          if (msg.type() === 'error') console.warn(`  [${vp.name}] ${job.urlPath}: console error: ${msg.text()}`);
        });
        try {
          const startUrl = server.url + job.urlPath;
          const response = await page.goto(startUrl, { waitUntil: 'load' });
          const status = response ? response.status() : 0;
          if (status >= 400) {
            console.error(`FAIL ${vp.name} ${job.urlPath}: HTTP ${status}`);
            failures++;
            continue;
          }
          const type = (response && response.headers()['content-type']) || '';
          const isHtml = type.startsWith('text/html');
          let note = '';
          // Alias pages redirect with <meta http-equiv="refresh">: follow it
          // and shoot the page it lands on.
          if (isHtml && /<meta[^>]*http-equiv\s*=\s*["']?refresh/i.test(await (await fetch(startUrl)).text())) {
            await page.waitForURL((u) => u.href !== startUrl, { timeout: 10_000, waitUntil: 'load' });
            note = ` (redirected to ${page.url().slice(server.url.length)})`;
          }
          await page.evaluate(() => document.fonts.ready);
          // fullPage needs an HTML document; SVG/images are shot at viewport size.
          await page.screenshot({ path: file, fullPage: isHtml, animations: 'disabled' });
          const { size } = await fs.stat(file);
          console.log(
            `ok   ${vp.name.padEnd(7)} ${job.urlPath}${note} -> ${file} (${Math.round(size / 1024)} KiB)`,
          );
        } catch (err) {
          console.error(`FAIL ${vp.name} ${job.urlPath}: ${err.message.split('\n')[0]}`);
          failures++;
        } finally {
          await page.close();
        }
      }
      for (const url of blocked) console.warn(`  note: blocked off-site request ${url}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const missing = [...server.notFound].filter((p) => p !== '/favicon.ico');
  for (const p of missing) console.warn(`  note: 404 for ${p}`);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `screenshots: ${jobs.length * VIEWPORTS.length - failures} written, ${failures} failed, in ${secs}s -> ${outDir}`,
  );
  process.exit(failures ? 1 : 0);
}

main().catch((err) => {
  console.error(`screenshots: ${err.stack || err}`);
  process.exit(1);
});
