// Search recall in a real browser: types queries into the built site's search
// box in headless Chromium and checks what it lists.
//
//   node tools/search-recall.mjs SITE_DIR [--content DIR] [--shots DIR]
//
// SITE_DIR is a built example site (`hearth build example-site -o SITE_DIR`);
// --content is its content/ folder (default: example-site/content beside
// tools/), from which the expected pages of each Chinese query are computed:
// every page of the reader's tier whose source text holds the query must be
// listed, and nothing else. English queries check hand-picked pages. The
// site is served the way a host that gates tiers serves it (static-server.mjs
// `gate`: _hearth/access.json applied to a `hearth-visitor` cookie), and
// search follows the visitor, not the page: gated phrases (text only in
// member pages) must find nothing for an anonymous visitor and their pages
// for a member, on a public page as on a member page; an anonymous visitor
// costs one refused HEAD request per tab session. Also checked: the `/` shortcut, arrow keys,
// Enter and Escape, a phone viewport, the box hidden without JS, and that
// titles and excerpts hold only text and <mark>.
//
// Prints one line per check and "N passed, M failed"; exits 1 on a failure.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';
import { launchChromium, confineToOrigin } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const contentDir = opt('--content', path.join(here, '..', 'example-site', 'content'));
const shotsDir = opt('--shots', null);
const siteDir = args[0];
if (!siteDir || !fs.existsSync(path.join(siteDir, 'index.html'))) {
  console.error('usage: node tools/search-recall.mjs SITE_DIR [--content DIR] [--shots DIR]');
  process.exit(2);
}

// ---------------------------------------------------------------------------
// Expected pages, from the Markdown sources.

const LADDER = ['public', 'member', 'core'];
// `rules.en.md`, `_index.en.md`, `index.zh-TW.md`: another language's page.
const TRANSLATION = /\.[a-z]{2,3}(-[A-Za-z0-9]+)*\.md$/;

/** Every page and section of content/ with its URL path, tier and source text. */
function sources(dir) {
  const out = [];
  const walk = (rel, inherited) => {
    const abs = path.join(dir, rel);
    const index = path.join(abs, '_index.md');
    let tier = inherited;
    if (fs.existsSync(index)) {
      const text = fs.readFileSync(index, 'utf8');
      tier = front(text, 'tier') || inherited;
      out.push({ url: rel ? `/${rel}/` : '/', tier, text, draft: false });
    }
    for (const e of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        const bundle = path.join(dir, r, 'index.md');
        if (fs.existsSync(bundle)) out.push(page(bundle, rel, e.name, tier));
        else walk(r, tier);
      } else if (TRANSLATION.test(e.name)) {
        // A translation (`rules.en.md`): searched in its own language's
        // bundle, after this language's results (checked below).
      } else if (e.name.endsWith('.md') && e.name !== '_index.md') {
        out.push(page(path.join(dir, r), rel, e.name.slice(0, -3), tier));
      }
    }
  };
  const page = (file, parent, name, inherited) => {
    const text = fs.readFileSync(file, 'utf8');
    const slug = front(text, 'slug') || name.replace(/^\d{4}-\d{2}-\d{2}-/, '');
    return {
      url: `${parent ? `/${parent}` : ''}/${slug}/`,
      tier: front(text, 'tier') || inherited,
      text,
      draft: /^draft\s*=\s*true/m.test(text),
    };
  };
  walk('', 'public');
  // Pages made from data records ([[data]] in hearth.toml, docs/data.md):
  // a record's text is its source text; a Markdown file at the same path
  // extends it.
  for (const rec of dataRecords(path.dirname(dir))) {
    const written = out.find((s) => s.url === rec.url);
    if (written) written.text += `\n${rec.text}`;
    else {
      const section = out.find((s) => s.url === `/${rec.section}/`);
      out.push({ url: rec.url, tier: rec.tier || (section && section.tier) || 'public', text: rec.text, draft: false });
    }
  }
  return out.filter((s) => !s.draft);
}

/** The records of the site's [[data]] files as {url, section, tier, text}:
 *  CSV rows and the innermost `- id:` items of a YAML file (the shapes the
 *  example site uses), each with `slug = "{id}"`. */
function dataRecords(siteDir) {
  const config = fs.readFileSync(path.join(siteDir, 'hearth.toml'), 'utf8');
  const out = [];
  for (const block of config.split(/^\[\[data\]\]\s*$/m).slice(1)) {
    const get = (k) => (block.match(new RegExp(`^${k}\\s*=\\s*"([^"]*)"`, 'm')) || [])[1];
    const file = get('file');
    const section = get('section');
    if (!file || !section) continue;
    const text = fs.readFileSync(path.join(siteDir, file), 'utf8').replace(/^\uFEFF/, '');
    if (file.endsWith('.csv')) {
      const rows = csvRows(text);
      const head = rows[0];
      for (const row of rows.slice(1)) {
        if (!row.some((c) => c.trim())) continue;
        const rec = Object.fromEntries(head.map((h, i) => [h, row[i] || '']));
        out.push({ url: `/${section}/${rec.id}/`, section, tier: rec.tier || null, text: row.join('\n') });
      }
    } else if (/\.ya?ml$/.test(file)) {
      const lines = text.split('\n');
      const depth = Math.max(...lines.filter((l) => /^\s*- id: /.test(l)).map((l) => l.indexOf('-')));
      let cur = null;
      for (const l of lines) {
        const m = l.match(/^(\s*)- id: (\S+)/);
        if (m && m[1].length === depth) {
          cur = { url: `/${section}/${m[2]}/`, section, tier: null, text: '' };
          out.push(cur);
        } else if (m || (cur && l.trim() && l.search(/\S/) <= depth && !l.trim().startsWith('#'))) {
          cur = null;
        }
        if (cur) {
          cur.text += `${l}\n`;
          const t = l.match(/^\s*tier: (\S+)/);
          if (t) cur.tier = t[1];
        }
      }
    }
  }
  return out;
}

/** RFC 4180 rows: quoted fields may hold commas, quotes and line breaks. */
function csvRows(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function front(text, key) {
  const m = text.match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm'));
  return m ? m[1] : null;
}

/** Text as the index compares it: whitespace between CJK characters dropped. */
const squeeze = (s) => s.replace(/(\p{Script=Han})\s+(?=\p{Script=Han})/gu, '$1');

function expectedFor(all, q, readerTier) {
  const rank = LADDER.indexOf(readerTier);
  return all
    .filter((s) => LADDER.indexOf(s.tier) <= rank && squeeze(s.text).includes(q))
    .map((s) => s.url)
    .sort();
}

// ---------------------------------------------------------------------------
// Checks

let passed = 0;
let failed = 0;
const ok = (name) => {
  passed++;
  console.log(`ok    ${name}`);
};
const fail = (name, why) => {
  failed++;
  console.log(`FAIL  ${name}\n      ${why}`);
};
const check = (name, cond, why) => (cond ? ok(name) : fail(name, why()));

const server = await startStaticServer(siteDir, { gate: true });
const browser = await launchChromium();
const all = sources(contentDir);

for (const s of all) {
  const file = path.join(server.root, decodeURI(s.url), 'index.html');
  if (!fs.existsSync(file)) {
    console.error(`search-recall: ${s.url} (from content/) is not in ${siteDir}: is it built from ${contentDir}?`);
    process.exit(2);
  }
}

/** A tab for a visitor of `tier` (the static server's stand-in identity). */
async function newPage(contextOptions = {}, tier = 'public') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  await confineToOrigin(context, server.url);
  if (tier !== 'public') await context.addCookies([{ name: 'hearth-visitor', value: tier, url: server.url }]);
  const page = await context.newPage();
  const errors = [];
  // A refused probe of a gated bundle is the design, not an error.
  page.on('console', (m) => m.type() === 'error' && !/status of 401/.test(m.text()) && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  const requests = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/search/')) requests.push(`${r.method()} ${u.pathname}`);
  });
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/search/') && !r.ok()) requests.push(`refused ${r.request().method()} ${u.pathname}`);
  });
  return { context, page, errors, requests };
}

async function open(page, at) {
  await page.goto(server.url + at);
  try {
    await page.waitForSelector('.hs-form:not([hidden])', { timeout: 5000 });
  } catch {
    console.error(
      `search-recall: no search box on ${at}. Add {% include "partials/search.html" %} to the header of base.html.`,
    );
    process.exit(2);
  }
}

/** Waits until the list shows the results of `q`; on a time-out, says what the box holds. */
async function settled(page, q) {
  try {
    await page.waitForFunction(
      (q) => document.querySelector('[data-hearth-search]').dataset.query === q,
      q,
      { timeout: 20000, polling: 100 }, // not rAF: frames can stall in headless mobile emulation
    );
  } catch (e) {
    const state = await page.evaluate(() => ({
      value: document.querySelector('#hs-input').value,
      shown: document.querySelector('[data-hearth-search]').dataset.query,
      focus: document.activeElement && document.activeElement.id,
    }));
    throw new Error(`search for "${q}" did not settle: ${JSON.stringify(state)}`);
  }
}

/** Types `q` into the search box (focused with `/`), loads every page of
 *  results, and returns them as {url, title, markup} in order. */
async function search(page, q) {
  if (await page.locator('#hs-input').inputValue()) {
    await page.locator('#hs-input').fill('');
    await page.waitForFunction(() => document.querySelector('[data-hearth-search]').dataset.query === '', null, { polling: 100 });
  }
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('/');
  await page.keyboard.type(q);
  await settled(page, q);
  for (let i = 0; i < 50; i++) {
    const more = page.locator('.hs-more:not([hidden])');
    if (!(await more.count())) break;
    const before = await page.locator('.hs-results > li').count();
    await more.click();
    // Until the page of results is complete (showMore sets data-shown last):
    // results of other languages arrive after the first ones.
    await page.waitForFunction(
      (n) => {
        const c = document.querySelectorAll('.hs-results > li').length;
        const done = document.querySelector('[data-hearth-search]').dataset.shown === String(c);
        return (c > n && done) || document.querySelector('.hs-more').hidden;
      },
      before,
      { polling: 100 },
    );
  }
  await page.locator('#hs-input').focus();
  return page.$$eval('.hs-results a.hs-hit', (links) =>
    links.map((a) => {
      const bad = [...a.querySelectorAll('.hs-title *, .hs-excerpt *')].filter((e) => e.tagName !== 'MARK');
      return {
        url: decodeURI(new URL(a.href).pathname),
        lang: a.getAttribute('hreflang'),
        title: a.querySelector('.hs-title').textContent,
        marks: a.querySelectorAll('mark').length,
        bad: bad.map((e) => e.tagName),
      };
    }),
  );
}

const diff = (got, want) => {
  const g = new Set(got);
  const w = new Set(want);
  const missing = want.filter((u) => !g.has(u));
  const extra = got.filter((u) => !w.has(u));
  return { missing, extra };
};

function markupOk(name, hits) {
  const bad = hits.filter((h) => h.bad.length);
  const unmarked = hits.filter((h) => !h.marks);
  check(`${name}: results hold only text and <mark>`, !bad.length, () => JSON.stringify(bad));
  check(`${name}: every result highlights a match`, !unmarked.length, () =>
    unmarked.map((h) => h.url).join(' '),
  );
}

// Chinese queries: exactly the pages whose source holds the text.
const CHINESE = ['读书', '分享夜', '成都', '茶馆', '广告', '马拉松', '诗', '柏林', '周六', '读书会'];
// English (and mixed) queries: pages that must be listed.
const ENGLISH = [
  ['Berlin', ['/chapters/berlin/', '/events/berlin-monthly-meetup/', '/activities/berlin-first-meetup/', '/news/berlin-chapter-launch/', '/members/anna-weber/']],
  ['berl', ['/chapters/berlin/', '/events/berlin-monthly-meetup/']],
  ['ｂｅｒｌｉｎ', ['/chapters/berlin/']],
  ['Tempelhof', ['/events/tempelhof-open-air-reading/', '/activities/tempelhof-open-air-reading/']],
  ['open air', ['/events/tempelhof-open-air-reading/']],
  ['PROUST', ['/events/proust-special-night/']],
  ['zine', ['/events/zine-workshop/', '/activities/zine-workshop/']],
  ['Berlin 读书会', ['/chapters/berlin/']],
];
// Text only in member pages (content/handbook/ is gated at member).
const GATED = ['厚脸皮', '冬夜读诗会'];

try {
  const { page, errors, requests } = await newPage();
  await open(page, '/');

  for (const q of CHINESE) {
    const all_hits = await search(page, q);
    // Other languages' results come after this page's language's, labelled.
    const hits = all_hits.filter((h) => !h.lang);
    const firstOther = all_hits.findIndex((h) => h.lang);
    check(
      `"${q}": results in other languages come after the page's language`,
      firstOther < 0 || all_hits.slice(firstOther).every((h) => h.lang),
      () => all_hits.map((h) => `${h.lang || '-'} ${h.url}`).join(', '),
    );
    const got = hits.map((h) => h.url);
    const want = expectedFor(all, q, 'public');
    const { missing, extra } = diff(got, want);
    check(
      `"${q}" lists all ${want.length} public pages that contain it, and only those`,
      !missing.length && !extra.length && want.length > 0,
      () => `missing: ${missing.join(' ') || '-'}; unexpected: ${extra.join(' ') || '-'}`,
    );
    markupOk(`"${q}"`, hits);
  }

  {
    const hits = await search(page, '分享夜');
    check('"分享夜": a page titled with it ranks first', hits[0] && hits[0].title.includes('分享夜'), () =>
      `first: ${hits[0] && hits[0].title}`,
    );
  }

  for (const [q, want] of ENGLISH) {
    const hits = await search(page, q);
    const { missing } = diff(
      hits.map((h) => h.url),
      want,
    );
    check(`"${q}" lists ${want.join(' ')}`, !missing.length, () => `missing: ${missing.join(' ')}`);
    markupOk(`"${q}"`, hits);
  }
  {
    const hits = await search(page, 'proust');
    check('"proust": the page titled with it ranks first', hits[0] && hits[0].url === '/events/proust-special-night/', () =>
      `first: ${hits[0] && hits[0].url}`,
    );
  }

  for (const q of GATED) {
    const hits = await search(page, q);
    const status = await page.locator('.hs-msg').textContent();
    check(
      `gated "${q}" finds nothing on a public page`,
      hits.length === 0 && expectedFor(all, q, 'public').length === 0,
      () => `listed: ${hits.map((h) => h.url).join(' ')}`,
    );
    check(`gated "${q}": the panel says so`, status.trim().length > 0, () => 'empty status');
  }

  {
    // What finding out the visitor's tier cost: one refused HEAD for the
    // whole tab session, and nothing more on the next page.
    const probes = requests.filter((r) => r.startsWith('HEAD '));
    const gatedGets = requests.filter((r) => r.startsWith('GET ') && !r.startsWith('GET /search/public/'));
    check(
      'an anonymous visitor costs one HEAD request to find out, and fetches nothing gated',
      probes.length === 1 && !gatedGets.length,
      () => `probes: ${probes.join(', ') || '-'}; gated GETs: ${gatedGets.join(', ') || '-'}`,
    );
    requests.length = 0;
    await open(page, '/events/');
    await search(page, '读书');
    const again = requests.filter((r) => r.startsWith('HEAD '));
    check('the answer is remembered for the session: no probe on the next page', !again.length, () => again.join(', '));
    await open(page, '/');
  }

  {
    const hits = await search(page, '<img src=x onerror=alert(1)>读书');
    const imgs = await page.locator('.hs img').count();
    check('markup typed as a query stays text', imgs === 0, () => `${imgs} <img> in the panel`);
    void hits;
  }

  // A site in several languages: an English reader finds the English
  // pages first, then the Chinese ones, labelled with their language.
  if (fs.existsSync(path.join(siteDir, 'en', 'index.html'))) {
    await open(page, '/en/');
    const hits = await search(page, 'Berlin');
    const own = hits.filter((h) => !h.lang).map((h) => h.url);
    const other = hits.filter((h) => h.lang);
    check(
      'on an English page, "Berlin" lists the English Berlin chapter first',
      own[0] && own[0].startsWith('/en/') && own.includes('/en/chapters/berlin/'),
      () => `own: ${own.join(' ')}`,
    );
    check(
      'every English result is under /en/, every other result is labelled and after them',
      own.every((u) => u.startsWith('/en/')) &&
        other.length > 0 &&
        other.every((h) => h.lang === 'zh-CN' && !h.url.startsWith('/en/')) &&
        hits.findIndex((h) => h.lang) === own.length,
      () => hits.map((h) => `${h.lang || '-'} ${h.url}`).join(', '),
    );
    const zh = await search(page, '柏林');
    check(
      'on an English page, a Chinese query finds the Chinese pages after the English ones',
      zh.some((h) => h.lang === 'zh-CN' && h.url === '/chapters/berlin/'),
      () => zh.map((h) => `${h.lang || '-'} ${h.url}`).join(', '),
    );
    await open(page, '/');
  }

  // Keyboard: `/` focuses, arrows move, Escape closes, Enter opens.
  {
    await search(page, 'Berlin');
    const active = () => page.evaluate(() => document.activeElement.className || document.activeElement.tagName);
    await page.keyboard.press('ArrowDown');
    const first = await active();
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => document.activeElement.getAttribute('href'));
    const firstHref = await page.locator('a.hs-hit').first().getAttribute('href');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    const back = await active();
    check(
      'ArrowDown/ArrowUp move between results and back to the box',
      first === 'hs-hit' && second && second !== firstHref && back.includes('hs-input'),
      () => `first=${first} second=${second} back=${back}`,
    );
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    const hidden = await page.locator('.hs-panel').evaluate((p) => p.hidden);
    const focus = await active();
    check('Escape closes the results and returns to the box', hidden && focus.includes('hs-input'), () =>
      `hidden=${hidden} focus=${focus}`,
    );
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === firstHref, { timeout: 5000 }).catch(() => {});
    check('Enter opens the first result', new URL(page.url()).pathname === firstHref, () => `at ${page.url()}`);
  }
  check('no script errors on public pages', !errors.length, () => errors.join('\n      '));

  // Search follows the visitor, not the page: a member searches member
  // pages from the public home page too (issue #21), and a core member
  // everything; both on a gated page as well.
  for (const [tier, at] of [
    ['member', '/'],
    ['member', '/handbook/'],
    ['core', '/'],
  ]) {
    const { page: mp, errors: merr, requests: mreq } = await newPage({}, tier);
    await open(mp, at);
    const where = `${tier} on ${at}`;
    for (const q of GATED) {
      const hits = await search(mp, q);
      const want = expectedFor(all, q, tier);
      const { missing, extra } = diff(
        hits.map((h) => h.url),
        want,
      );
      check(
        `${where}: gated "${q}" lists ${want.join(' ')}`,
        want.length > 0 && !missing.length && !extra.length,
        () => `missing: ${missing.join(' ') || '-'}; unexpected: ${extra.join(' ') || '-'}`,
      );
    }
    for (const q of ['读书', '分享夜', '周六']) {
      const hits = await search(mp, q);
      const want = expectedFor(all, q, tier);
      const { missing, extra } = diff(
        hits.map((h) => h.url),
        want,
      );
      check(`${where}: "${q}" lists all ${want.length} pages a ${tier} may read`, !missing.length && !extra.length, () =>
        `missing: ${missing.join(' ') || '-'}; unexpected: ${extra.join(' ') || '-'}`,
      );
    }
    const refused = mreq.filter((r) => r.startsWith('refused ')).length;
    const refusedGets = mreq.filter((r) => r.startsWith('refused GET')).length;
    check(`${where}: at most one refused probe, no refused GET`, refused <= 1 && !refusedGets, () => mreq.join(', '));
    check(`${where}: no script errors`, !merr.length, () => merr.join('\n      '));
  }

  // Phones: the panel fits the screen.
  {
    const { page: pp } = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await open(pp, '/');
    // The click a tap synthesizes can land after the first typed character
    // and put the caret back at the start: wait for it, as a person would.
    const clicked = pp.evaluate(
      () =>
        new Promise((resolve) => {
          document.querySelector('#hs-input').addEventListener('click', resolve, { once: true });
          setTimeout(resolve, 2000);
        }),
    );
    await pp.locator('#hs-input').tap();
    await clicked;
    await pp.keyboard.type('读书');
    await settled(pp, '读书');
    const box = await pp.locator('.hs-panel').boundingBox();
    check(
      'phone: the results panel fits the 390px screen',
      box && box.x >= 0 && box.x + box.width <= 390 && box.height > 100,
      () => JSON.stringify(box),
    );
    if (shotsDir) {
      fs.mkdirSync(shotsDir, { recursive: true });
      await pp.screenshot({ path: path.join(shotsDir, 'search-phone.png') });
    }
  }
  if (shotsDir) {
    const { page: dp } = await newPage();
    await open(dp, '/');
    await search(dp, '分享夜');
    await dp.screenshot({ path: path.join(shotsDir, 'search-desktop.png') });
  }

  // Without JS the box is not shown (there is nothing to submit to).
  {
    const { page: np } = await newPage({ javaScriptEnabled: false });
    await np.goto(server.url + '/');
    const visible = await np.locator('.hs-form').isVisible();
    check('without JS the search form stays hidden', !visible, () => 'form visible');
  }
} finally {
  await browser.close();
  await server.close();
}

console.log(`\nsearch-recall: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
