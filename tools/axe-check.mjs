// Accessibility check of every HTML page of a built Hearth site with axe-core.
//
// usage: node tools/axe-check.mjs SITE_DIR
//
// Serves SITE_DIR on 127.0.0.1, opens each *.html file in headless Chromium
// (1280x900), injects axe-core and runs its default rule set. Prints the
// violations whose impact is "serious" or "critical", page by page, and exits
// 1 if there are any (or if a page cannot be loaded). Minor and moderate
// violations are only counted in the summary line.
//
// Redirect pages (<meta http-equiv="refresh">) are checked as themselves:
// the refresh navigation is cancelled so axe sees the redirect page.
//
// Env: AXE_JOBS (pages checked in parallel, default 2), AXE_SHOW_ALL=1 (also
// print minor/moderate violations; they still do not fail), CHROMIUM_PATH.

import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { startStaticServer, listHtmlFiles, urlPathForFile } from './static-server.mjs';
import { launchChromium, confineToOrigin } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE_PATH = require.resolve('axe-core/axe.min.js');
const FAIL_IMPACTS = new Set(['serious', 'critical']);
const MAX_NODES_SHOWN = 5;

async function checkPage(context, axeSource, baseUrl, rel) {
  const urlPath = urlPathForFile(rel);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  // Let the first main-frame navigation through; cancel any later one (meta
  // refresh on alias pages, or JS redirects) with ERR_ABORTED, which leaves
  // the current document in place instead of committing an error page.
  let navigations = 0;
  await page.route('**/*', (route) => {
    const req = route.request();
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
      navigations++;
      if (navigations > 1) return route.abort('aborted');
    }
    return route.fallback();
  });
  try {
    const response = await page.goto(baseUrl + urlPath, { waitUntil: 'load' });
    const status = response ? response.status() : 0;
    if (status >= 400) return { rel, urlPath, error: `HTTP ${status}` };
    await page.addScriptTag({ content: axeSource });
    const results = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, { resultTypes: ['violations'] }),
    );
    if (page.url() !== baseUrl + urlPath) return { rel, urlPath, error: `page navigated away to ${page.url()}` };
    return { rel, urlPath, violations: results.violations };
  } catch (err) {
    return { rel, urlPath, error: err.message.split('\n')[0] };
  } finally {
    await page.close();
  }
}

async function main() {
  const [siteDir] = process.argv.slice(2);
  if (!siteDir) {
    console.error('usage: node tools/axe-check.mjs SITE_DIR');
    process.exit(2);
  }
  const files = await listHtmlFiles(siteDir);
  if (files.length === 0) {
    console.error(`axe-check: no .html files under ${siteDir}`);
    process.exit(1);
  }
  const axeSource = await fs.readFile(AXE_SOURCE_PATH, 'utf8');
  const jobs = Math.max(1, Number(process.env.AXE_JOBS) || 2);
  const showAll = process.env.AXE_SHOW_ALL === '1';
  const started = Date.now();

  const server = await startStaticServer(siteDir);
  const browser = await launchChromium();
  const results = new Array(files.length);
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true, // so the injected axe script runs whatever the page's CSP says
    });
    await confineToOrigin(context, server.url);
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        results[i] = await checkPage(context, axeSource, server.url, files[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }

  let failingPages = 0;
  let serious = 0;
  let minor = 0;
  let errors = 0;
  for (const r of results) {
    if (r.error) {
      errors++;
      console.log(`\n${r.urlPath}  (${r.rel})\n  ERROR: could not check page: ${r.error}`);
      continue;
    }
    const bad = r.violations.filter((v) => showAll || FAIL_IMPACTS.has(v.impact));
    const failing = r.violations.filter((v) => FAIL_IMPACTS.has(v.impact)).length;
    minor += r.violations.length - failing;
    serious += failing;
    if (failing) failingPages++;
    if (bad.length === 0) continue;
    console.log(`\n${r.urlPath}  (${r.rel})`);
    for (const v of bad) {
      console.log(`  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})`);
      console.log(`      ${v.helpUrl}`);
      for (const node of v.nodes.slice(0, MAX_NODES_SHOWN)) {
        const summary = (node.failureSummary || '')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && !/^Fix (any|all) of the following:$/.test(l))
          .join('; ');
        console.log(`      - ${node.target.join(' ')}${summary ? `: ${summary}` : ''}`);
      }
      if (v.nodes.length > MAX_NODES_SHOWN) console.log(`      … and ${v.nodes.length - MAX_NODES_SHOWN} more`);
    }
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `\naxe: ${files.length} pages checked in ${secs}s: ${serious} serious/critical violations on ${failingPages} pages, ` +
      `${errors} pages not checkable, ${minor} minor/moderate violations not failing`,
  );
  process.exit(serious || errors ? 1 : 0);
}

main().catch((err) => {
  console.error(`axe-check: ${err.stack || err}`);
  process.exit(1);
});
