// End-to-end check of `hearth serve` live reload in a real browser.
//
// usage: node tools/serve-e2e.mjs path/to/hearth-binary
//
// Copies tests/fixtures/serve-site to a temp folder, starts `hearth serve`
// on it (free port, --audience member), opens /about/ in headless Chromium
// and, without ever reloading the tab by hand:
//   1. edits the Markdown file        -> the tab shows the new text;
//   2. breaks its front matter        -> the error overlay appears, names the
//                                        file and line, last good text stays;
//   3. fixes it                       -> the overlay disappears, text is current.
// Also checks the "Previewing as: member" badge and that Ctrl-C exits with 0.
// Prints one line per step and exits 0 if all pass, 1 otherwise.
// SERVE_E2E_SHOTS=DIR saves a screenshot of each step there.

import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, confineToOrigin } from './browser.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(HERE, '..', 'tests', 'fixtures', 'serve-site');
const STEP_TIMEOUT = 15000;

function log(msg) {
  console.log(`serve-e2e: ${msg}`);
}

/** Starts `hearth serve` and resolves with its URL once it is listening. */
function startServer(binary, site) {
  const child = spawn(binary, ['serve', site, '--port', '0', '--audience', 'member'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`hearth serve did not start within 30 s:\n${output}`)),
      30000,
    );
    const onData = (chunk) => {
      output += chunk;
      const m = /(http:\/\/\S+?)\/? \(/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (c) => {
      output += c;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hearth serve exited with ${code}:\n${output}`));
    });
  });
  return { child, ready, output: () => output };
}

/** Waits for `fn` (run in the page) to return a truthy value; returns ms taken. */
async function waitInPage(page, what, fn, arg) {
  const start = Date.now();
  try {
    await page.waitForFunction(fn, arg, { timeout: STEP_TIMEOUT, polling: 20 });
  } catch (e) {
    throw new Error(`timed out after ${STEP_TIMEOUT} ms waiting for ${what}`);
  }
  return Date.now() - start;
}

const bodyHas = (needle) => document.body && document.body.innerText.includes(needle);
const overlayText = () => {
  const host = document.getElementById('__hearth-overlay');
  return host && host.shadowRoot ? host.shadowRoot.textContent : null;
};

async function main() {
  const binary = process.argv[2];
  if (!binary) {
    console.error('usage: node tools/serve-e2e.mjs path/to/hearth-binary');
    process.exit(2);
  }
  const shots = process.env.SERVE_E2E_SHOTS;
  if (shots) await fs.mkdir(shots, { recursive: true });

  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-serve-e2e-'));
  const site = path.join(tmp, 'site');
  await fs.cp(FIXTURE, site, { recursive: true });
  const about = path.join(site, 'content', 'about.md');

  const server = startServer(path.resolve(binary), site);
  const kill = () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  };
  process.on('exit', kill);
  let browser;
  let failed = false;
  try {
    const url = await server.ready;
    log(`server at ${url}`);
    // Wait for the first build, so the page is the site and not "Building…".
    for (let i = 0; ; i++) {
      const s = await fetch(`${url}/__hearth/status`).then((r) => r.json());
      if (s.ok) break;
      if (i > 300) throw new Error(`first build did not succeed: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    await confineToOrigin(context, url);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const shot = async (name) => {
      if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`) });
    };

    await page.goto(`${url}/about/`);
    await waitInPage(page, 'the original text', bodyHas, 'ORIGINAL-ABOUT-TEXT');
    const badge = await page.evaluate(() => {
      const h = document.getElementById('__hearth-badge');
      return h && h.shadowRoot ? h.shadowRoot.textContent : null;
    });
    if (badge !== 'Previewing as: member') throw new Error(`badge shows ${JSON.stringify(badge)}`);
    log('ok: page loaded with the "Previewing as: member" badge');
    await shot('1-loaded');

    // 1. Edit the Markdown file.
    await fs.writeFile(about, '+++\ntitle = "About"\n+++\nE2E-EDITED-TEXT appears by itself.\n');
    let ms = await waitInPage(page, 'the edited text', bodyHas, 'E2E-EDITED-TEXT');
    log(`ok: edit shown without a manual reload (${ms} ms from save)`);
    await shot('2-edited');

    // 2. Break the front matter (unclosed string on line 2).
    await fs.writeFile(about, '+++\ntitle = "About\n+++\nE2E-BROKEN-TEXT\n');
    ms = await waitInPage(
      page,
      'the error overlay naming content/about.md:2',
      () => {
        const host = document.getElementById('__hearth-overlay');
        const t = host && host.shadowRoot ? host.shadowRoot.textContent : '';
        return t.includes('content/about.md:2');
      },
      null,
    );
    const text = await page.evaluate(overlayText);
    if (!/help:/.test(text)) throw new Error(`overlay has no help line: ${text}`);
    const visible = await page.locator('#__hearth-overlay [role=alertdialog]').isVisible();
    if (!visible) throw new Error('overlay is in the DOM but not visible');
    if (!(await page.evaluate(bodyHas, 'E2E-EDITED-TEXT'))) {
      throw new Error('the last good page is no longer shown under the overlay');
    }
    log(`ok: overlay appeared after ${ms} ms: ${text.replace(/\s+/g, ' ').slice(0, 140)}…`);
    await shot('3-overlay');

    // 3. Fix it.
    await fs.writeFile(about, '+++\ntitle = "About"\n+++\nE2E-FIXED-TEXT is current.\n');
    ms = await waitInPage(
      page,
      'the overlay to go and the fixed text to show',
      () =>
        !document.getElementById('__hearth-overlay') &&
        document.body.innerText.includes('E2E-FIXED-TEXT'),
      null,
    );
    log(`ok: overlay gone and page current after ${ms} ms`);
    await shot('4-fixed');

    if (pageErrors.length) throw new Error(`script errors in the page: ${pageErrors.join('; ')}`);

    // Ctrl-C ends the server cleanly.
    const exited = new Promise((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGINT');
    const code = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve('timeout'), 10000)),
    ]);
    if (code !== 0) throw new Error(`hearth serve exited with ${code} on Ctrl-C`);
    log('ok: Ctrl-C stopped the server with exit code 0');
  } catch (e) {
    failed = true;
    console.error(`serve-e2e: FAIL: ${e.message}`);
    console.error('--- hearth serve output ---');
    console.error(server.output());
  } finally {
    if (browser) await browser.close().catch(() => {});
    kill();
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
  }
  if (failed) process.exit(1);
  log('PASS');
}

main().catch((e) => {
  console.error(`serve-e2e: FAIL: ${e.stack || e}`);
  process.exit(1);
});
