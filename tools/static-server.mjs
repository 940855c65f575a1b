// Tiny static file server for a built Hearth site, bound to 127.0.0.1.
//
// Used by screenshots.mjs and axe-check.mjs; can also be run by hand to
// preview a site:   node tools/static-server.mjs SITE_DIR [PORT]
//
// Behaviour (close to what a real static host does):
//   * GET and HEAD only; anything else gets 405.
//   * A directory path without a trailing slash is redirected (301) to the
//     path with a slash, so relative links resolve as they would in production.
//   * A directory path with a trailing slash serves its index.html.
//   * Unknown paths get 404 (with the site's /404.html as body if it exists).
//   * Paths are percent-decoded and confined to SITE_DIR.
//   * Every response is sent with Cache-Control: no-store.
//   * `gate: true` plays a host that gates tiers, for the search scripts'
//     tests: the rules of the build's _hearth/access.json are applied to a
//     visitor whose tier is the `hearth-visitor` cookie (none: public); a
//     path above it is answered 401 with the 404 page, as Netlify answers.
//     A stand-in for the host's identity service, never a real one.
//   * `gzip: true` compresses text types (HTML, CSS, JS, JSON, XML, ICS)
//     for a client that accepts it, as Netlify, Cloudflare and GitHub Pages
//     do; files the site ships compressed are sent as they are.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath) {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Start serving `rootDir` on 127.0.0.1.
 * @param {string} rootDir
 * @param {{port?: number, log?: boolean, gate?: boolean, gzip?: boolean}} [options] port 0
 *   (default) picks a free port; `gate` and `gzip`: see the top of this file.
 * @returns {Promise<{url: string, port: number, root: string, notFound: Set<string>, close: () => Promise<void>}>}
 *   `url` has no trailing slash, e.g. "http://127.0.0.1:41234".
 *   `notFound` collects every request path that got a 404 (handy for
 *   reporting broken asset links).
 */
export async function startStaticServer(rootDir, { port = 0, log = false, gate = false, gzip = false } = {}) {
  const root = await fsp.realpath(path.resolve(rootDir));
  const rootStat = await fsp.stat(root);
  if (!rootStat.isDirectory()) throw new Error(`not a directory: ${rootDir}`);
  const notFound = new Set();
  const rules = gate ? await accessRules(root) : null;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `500 ${err.message}\n`, req);
      else res.destroy(err);
    });
  });

  function send(res, status, type, body, req, extraHeaders = {}) {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': buf.length,
      'Cache-Control': 'no-store',
      ...extraHeaders,
    });
    res.end(req.method === 'HEAD' ? undefined : buf);
    if (log) console.error(`[static] ${status} ${req.method} ${req.url}`);
  }

  async function sendFile(res, req, filePath, status = 200) {
    const stat = await fsp.stat(filePath);
    const type = contentTypeFor(filePath);
    if (gzip && /gzip/.test(req.headers['accept-encoding'] || '') && /^(text\/|application\/(json|xml|manifest|atom|rss))/.test(type)) {
      const body = zlib.gzipSync(await fsp.readFile(filePath));
      res.writeHead(status, {
        'Content-Type': type,
        'Content-Encoding': 'gzip',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        Vary: 'Accept-Encoding',
      });
      if (log) console.error(`[static] ${status} ${req.method} ${req.url}`);
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': stat.size,
      'Cache-Control': 'no-store',
    });
    if (log) console.error(`[static] ${status} ${req.method} ${req.url}`);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise((resolve, reject) => {
      const stream = fs.createReadStream(filePath);
      stream.on('error', reject);
      res.on('finish', resolve);
      res.on('close', resolve);
      stream.pipe(res);
    });
  }

  async function notFoundResponse(res, req, pathname) {
    notFound.add(pathname);
    const custom = path.join(root, '404.html');
    if (await isFile(custom)) return sendFile(res, req, custom, 404);
    return send(res, 404, 'text/plain; charset=utf-8', `404 not found: ${pathname}\n`, req);
  }

  async function handle(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'text/plain; charset=utf-8', '405 method not allowed\n', req, { Allow: 'GET, HEAD' });
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', '400 bad percent-encoding\n', req);
    }
    if (pathname.includes('\0')) return send(res, 400, 'text/plain; charset=utf-8', '400 bad path\n', req);

    const target = path.resolve(root, '.' + path.posix.normalize('/' + pathname));
    if (target !== root && !target.startsWith(root + path.sep)) {
      return send(res, 403, 'text/plain; charset=utf-8', '403 outside site root\n', req);
    }
    if (rules) {
      const need = tierOf(rules, path.posix.normalize('/' + pathname));
      const visitor = visitorOf(req, rules.ladder);
      if (pathname.startsWith('/_hearth/') || need > visitor) {
        const custom = path.join(root, '404.html');
        if (await isFile(custom)) return sendFile(res, req, custom, 401);
        return send(res, 401, 'text/plain; charset=utf-8', '401\n', req);
      }
    }

    let stat;
    try {
      stat = await fsp.stat(target);
    } catch {
      return notFoundResponse(res, req, url.pathname);
    }
    if (stat.isDirectory()) {
      if (!url.pathname.endsWith('/')) {
        return send(res, 301, 'text/plain; charset=utf-8', 'moved\n', req, {
          Location: url.pathname + '/' + url.search,
        });
      }
      const index = path.join(target, 'index.html');
      if (await isFile(index)) return sendFile(res, req, index);
      return notFoundResponse(res, req, url.pathname);
    }
    if (stat.isFile()) return sendFile(res, req, target);
    return notFoundResponse(res, req, url.pathname);
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Keep-alive sockets would otherwise hold close() open.
  server.keepAliveTimeout = 1000;
  const actualPort = server.address().port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    root,
    notFound,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** The ladder and gated rules of a build, from its _hearth/access.json. */
async function accessRules(root) {
  const file = path.join(root, '_hearth', 'access.json');
  if (!(await isFile(file))) return { ladder: ['public'], gated: [] };
  const v = JSON.parse(await fsp.readFile(file, 'utf8'));
  const ladder = v.tiers.map((t) => t.id);
  const gated = v.gated.map((g) => ({ path: g.path, folder: g.match === 'folder', tier: ladder.indexOf(g.tier) }));
  return { ladder, gated };
}

/** The strictest tier (an index into the ladder) of the rules that cover a decoded, normalised path. */
function tierOf(rules, p) {
  let need = 0;
  for (const g of rules.gated) {
    let hit;
    if (g.folder) hit = p.startsWith(g.path) || p === g.path.slice(0, -1);
    else if (g.path.endsWith('/index.html')) {
      const dir = g.path.slice(0, -'index.html'.length);
      hit = p === g.path || p === dir || p === dir.slice(0, -1);
    } else hit = p === g.path;
    if (hit && g.tier > need) need = g.tier;
  }
  return need;
}

/** The visitor's tier (an index into the ladder) from the test cookie `hearth-visitor`. */
function visitorOf(req, ladder) {
  for (const part of (req.headers.cookie || '').split(';')) {
    const [k, v] = part.split('=').map((x) => x && x.trim());
    if (k === 'hearth-visitor') return Math.max(0, ladder.indexOf(v));
  }
  return 0;
}

async function isFile(p) {
  try {
    return (await fsp.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** List every *.html file under `dir`, as sorted paths relative to it (POSIX separators). */
export async function listHtmlFiles(dir) {
  const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
  const files = [];
  for (const e of entries) {
    if (!e.isFile() || !e.name.toLowerCase().endsWith('.html')) continue;
    const parent = e.parentPath ?? e.path; // parentPath: node >= 20.12
    files.push(path.relative(dir, path.join(parent, e.name)).split(path.sep).join('/'));
  }
  return files.sort();
}

/** URL path for a site-relative HTML file: "a/b/index.html" -> "/a/b/", "x.html" -> "/x.html". */
export function urlPathForFile(rel) {
  const parts = rel.split('/');
  if (parts[parts.length - 1] === 'index.html') parts[parts.length - 1] = '';
  return '/' + parts.map(encodeURIComponent).join('/');
}

// CLI: node tools/static-server.mjs SITE_DIR [PORT]
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [dir, portArg] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node tools/static-server.mjs SITE_DIR [PORT]');
    process.exit(2);
  }
  const srv = await startStaticServer(dir, { port: Number(portArg ?? 0), log: true });
  console.log(`serving ${srv.root} at ${srv.url}/ (Ctrl-C to stop)`);
  const stop = () => srv.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
