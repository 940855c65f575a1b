// What a newcomer sees on day one, checked in Chromium on a built hub.
//
// usage: node tools/newcomer-check.mjs SITE_DIR LANG [SHOTS_DIR] [--layout-only]
//
// For every HTML page at 1280 px and 390 px:
//   * the header is one row: the brand, the navigation (or the phone menu)
//     and the search box sit side by side, the navigation does not wrap, the
//     site name is on one line, and the page does not scroll sideways;
//   * in a zh hub, no English words in the visible text (names of services
//     and of Hearth itself excepted).
// On the home page: an upcoming event, a favicon that loads (and
// /favicon.ico), and navigation in reading order (mission, values, rules,
// events, recaps, members, chapters, FAQ, then the rest).
// SHOTS_DIR: screenshots of the home page at both widths. --layout-only:
// a hub whose content is bilingual on purpose (the example site): the
// header and home-page checks only.
// Exits 1 on any problem.

import fs from 'node:fs/promises';
import path from 'node:path';
import { startStaticServer, listHtmlFiles, urlPathForFile } from './static-server.mjs';
import { launchChromium, confineToOrigin } from './browser.mjs';

const layoutOnly = process.argv.includes('--layout-only');
const [siteDir, lang, shots] = process.argv.slice(2).filter((a) => a !== '--layout-only');
if (!siteDir || !lang) {
  console.error('usage: node tools/newcomer-check.mjs SITE_DIR LANG [SHOTS_DIR]');
  process.exit(2);
}
const zh = !layoutOnly && lang.toLowerCase().startsWith('zh');
// Words that are names, not English a Chinese reader is made to read.
const ALLOWED = new Set(['Hearth', 'Google', 'Outlook', 'GitHub', 'iCal', 'ics', 'RSS', 'Atom', 'URL', 'Email', 'FAQ', 'Esc']);
const READING = ['mission', 'values', 'rules', 'events', 'activities', 'members', 'chapters', 'faq'];
const problems = [];

const server = await startStaticServer(siteDir);
const browser = await launchChromium();
const files = await listHtmlFiles(siteDir);
for (const [width, height, mobile] of [[1280, 900, false], [390, 844, true]]) {
  const context = await browser.newContext({ viewport: { width, height }, isMobile: mobile, hasTouch: mobile });
  await confineToOrigin(context, server.url);
  for (const rel of files) {
    if (rel === '404.html') continue;
    const page = await context.newPage();
    // Alias pages refresh to their target at once: keep each page in place.
    let navigations = 0;
    await page.route('**/*', (route) => {
      const req = route.request();
      if (req.isNavigationRequest() && req.frame() === page.mainFrame() && ++navigations > 1) {
        return route.abort('aborted');
      }
      return route.continue();
    });
    const url = server.url + urlPathForFile(rel);
    const res = await page.goto(url);
    if (!res || res.status() >= 400) {
      problems.push(`${rel}: HTTP ${res?.status()}`);
      await page.close();
      continue;
    }
    // Refresh-redirect alias pages have no header to check.
    if (await page.$('meta[http-equiv="refresh"]')) {
      await page.close();
      continue;
    }
    await page.waitForTimeout(150);
    const r = await page.evaluate(() => {
      const box = (el) => (el ? el.getBoundingClientRect() : null);
      const brand = box(document.querySelector('.brand'));
      const name = document.querySelector('.brand-name');
      const lh = name ? parseFloat(getComputedStyle(name).lineHeight) || 24 : 24;
      const nav = document.querySelector('.site-nav');
      const navShown = nav && getComputedStyle(nav).display !== 'none';
      const items = navShown ? [...nav.querySelectorAll(':scope > .nav-list > li')].map((li) => li.getBoundingClientRect().top) : [];
      const menu = box(document.querySelector('.nav-menu summary'));
      const search = box(document.querySelector('.hs-form:not([hidden])')) || box(document.querySelector('.hs'));
      return {
        brand,
        nameLines: name ? Math.round(name.getBoundingClientRect().height / lh) : 0,
        navTops: items,
        menu: navShown ? null : menu,
        nav: navShown ? box(nav) : null,
        search,
        scrollX: document.scrollingElement.scrollWidth - window.innerWidth,
        text: document.body.innerText,
      };
    });
    const where = `${rel} @${width}px`;
    const centre = (b) => b && b.top + b.height / 2;
    const same = (a, b) => !a || !b || Math.abs(centre(a) - centre(b)) < Math.max(a.height, b.height) / 2;
    if (r.nameLines > 1) problems.push(`${where}: the site name wraps onto ${r.nameLines} lines`);
    if (new Set(r.navTops.map((t) => Math.round(t))).size > 1) problems.push(`${where}: the navigation wraps`);
    for (const [what, b] of [['navigation', r.nav], ['menu button', r.menu], ['search box', r.search]]) {
      if (!same(r.brand, b)) problems.push(`${where}: the ${what} is not on the brand's row`);
    }
    if (r.scrollX > 1) problems.push(`${where}: the page scrolls sideways by ${r.scrollX}px`);
    if (zh && width === 1280) {
      const words = (r.text.match(/[A-Za-z][A-Za-z'’-]{2,}/g) || []).filter((w) => !ALLOWED.has(w));
      if (words.length) problems.push(`${rel}: English in a Chinese hub: ${[...new Set(words)].slice(0, 8).join(', ')}`);
    }
    if (rel === 'index.html') {
      if (shots) {
        await fs.mkdir(shots, { recursive: true });
        await page.screenshot({ path: path.join(shots, `${lang}-${mobile ? 'phone' : 'desktop'}-home.png`) });
      }
      if (!mobile) {
        const home = await page.evaluate(() => ({
          next: !!document.querySelector('.next-up .event-item, #upcoming .event-item, .event-list .event-item'),
          icon: document.querySelector('link[rel="icon"]')?.href,
          order: [...document.querySelectorAll('.site-nav .nav-list a')].map((a) => a.getAttribute('href')),
        }));
        if (!home.next) problems.push('index.html: no upcoming event on the home page');
        for (const icon of [home.icon, server.url + '/favicon.ico']) {
          const res = icon ? await page.request.get(icon) : null;
          if (!res || res.status() !== 200) problems.push(`favicon ${icon ?? '(no <link rel=icon>)'}: HTTP ${res?.status()}`);
        }
        // The reading order of the kinds the hub has.
        const ranks = [];
        for (const href of home.order) {
          const file = path.join(siteDir, decodeURIComponent(href), 'index.html');
          const html = await fs.readFile(file, 'utf8').catch(() => '');
          const kind = /<html [^>]*data-kind="([a-z]+)"/.exec(html)?.[1] ?? '';
          const k = READING.indexOf(kind);
          ranks.push(k < 0 ? READING.length : k);
        }
        if (ranks.some((r, i) => i > 0 && r < ranks[i - 1])) problems.push(`navigation not in reading order: ${home.order.join(' ')}`);
      }
    }
    await page.close();
  }
  await context.close();
}
await browser.close();
await server.close();
for (const p of problems) console.log(`PROBLEM ${p}`);
if (problems.length) {
  console.log(`newcomer-check: ${problems.length} problem(s) in ${siteDir}`);
  process.exit(1);
}
console.log(`newcomer-check: OK: ${files.length} pages of ${siteDir} (${lang}) at 1280 and 390 px`);
