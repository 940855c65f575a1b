/* Hearth search: the search box of partials/search.html.
 *
 * Plain JS, no dependencies. It mirrors src/search.rs (tokenize, query_parts,
 * search_stack): change them together. At the edge the index is a stack of
 * bundles, one per tier, each holding only its own tier's pages:
 * /search/public/ for everyone, /search/member/ gated at member, and so on.
 * The script searches every bundle the *visitor* may fetch, whatever the
 * tier of the page it runs on: the public manifest names the gated bundles,
 * the host refuses the ones the visitor may not read, and the answer is
 * remembered for the tab's session (docs/search.md, "Bundles and tiers").
 * A single-audience build has one bundle and nothing to find out.
 * Only the manifests are fetched up front; a query fetches the shards of its
 * terms, then one pack of documents per result shown.
 */
(() => {
  'use strict';
  const root = document.querySelector('[data-hearth-search]');
  // Shards and packs are gzip members, unpacked by the browser's own
  // DecompressionStream (2020 in Chromium, 2023 in Safari and Firefox);
  // without it the form stays hidden, as without JavaScript.
  if (!root || !window.fetch || !window.DecompressionStream || !root.dataset.index) return;

  const CSS = `
.hs{position:relative;display:flex;align-items:center;min-width:0}
.hs [hidden]{display:none!important}
.hs .hs-form{display:flex;align-items:center;position:relative;margin:0}
.hs .hs-label,.hs .hs-sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
.hs .hs-ico{position:absolute;left:14px;top:50%;transform:translateY(-50%);color:var(--muted,GrayText);pointer-events:none}
.hs .hs-input{font:inherit;font-size:.95rem;width:10rem;max-width:44vw;min-height:44px;margin:0;padding:.35rem 2rem .35rem 2.3rem;border:1px solid var(--border,#ccc);border-radius:999px;background:var(--surface,Canvas);color:var(--text,CanvasText);transition:width .15s}
.hs .hs-input:focus{outline:2px solid var(--primary,Highlight);outline-offset:1px;border-color:var(--primary,Highlight);width:15rem}
.hs .hs-input::-webkit-search-cancel-button{display:none}
.hs .hs-key{position:absolute;right:.7rem;font:inherit;font-size:.75rem;line-height:1.2;padding:0 .3rem;border:1px solid var(--border,#ccc);border-radius:4px;color:var(--muted,GrayText);pointer-events:none}
.hs .hs-input:focus~.hs-key,.hs .hs-input:not(:placeholder-shown)~.hs-key{display:none}
.hs .hs-panel{position:fixed;z-index:60;box-sizing:border-box;overflow:auto;overscroll-behavior:contain;background:var(--surface,Canvas);color:var(--text,CanvasText);border:1px solid var(--border,#ccc);border-radius:var(--radius,12px);box-shadow:0 6px 28px rgb(0 0 0/.18);padding:.4rem;text-align:start}
.hs .hs-msg{margin:.35rem .6rem;font-size:.85rem;color:var(--muted,GrayText)}
.hs .hs-results{list-style:none;margin:0;padding:0}
.hs .hs-results li{margin:0;padding:0}
.hs .hs-hit{display:block;padding:.55rem .6rem;border-radius:var(--radius-sm,8px);color:inherit;text-decoration:none}
.hs .hs-hit:hover,.hs .hs-hit:focus{background:var(--tint,var(--soft,#f4f4f4))}
.hs .hs-hit:focus{outline:2px solid var(--primary,Highlight);outline-offset:-2px}
.hs .hs-title{display:block;font-weight:600;color:var(--primary,LinkText)}
.hs .hs-url{display:block;font-size:.75rem;color:var(--muted,GrayText);overflow-wrap:anywhere}
.hs .hs-excerpt{display:block;font-size:.875rem;line-height:1.55;margin-top:.15rem;overflow-wrap:anywhere}
.hs mark{background:color-mix(in srgb,var(--accent,#e0a030) 28%,transparent);color:var(--text,inherit);border-radius:2px;padding:0 .05em}
.hs .hs-more{display:block;width:100%;margin-top:.25rem;padding:.5rem;font:inherit;font-size:.875rem;border:1px dashed var(--border,#ccc);border-radius:var(--radius-sm,8px);background:none;color:var(--primary,LinkText);cursor:pointer}
.hs .hs-more:focus{outline:2px solid var(--primary,Highlight)}
@media (max-width:40rem){
.hs{flex:none;width:44px;height:44px}
.hs .hs-key{display:none}
.hs .hs-input{width:44px;max-width:none;padding:0 0 0 44px}
.hs .hs-input::placeholder{color:transparent}
.hs.hs-open .hs-form{position:fixed;left:8px;right:8px;top:var(--hs-top,8px);z-index:61}
.hs.hs-open .hs-input{width:100%;padding:.35rem .8rem .35rem 2.3rem}
.hs.hs-open .hs-input::placeholder{color:var(--muted,GrayText)}
}
@media (forced-colors:active){.hs mark{forced-color-adjust:none;background:Highlight;color:HighlightText}}
`;
  const style = document.createElement('style');
  style.textContent = CSS;
  document.head.appendChild(style);

  const form = root.querySelector('form');
  const input = root.querySelector('input');
  const panel = root.querySelector('.hs-panel');
  const list = root.querySelector('.hs-results');
  const msg = root.querySelector('.hs-msg');
  const live = root.querySelector('[role="status"]');
  const more = root.querySelector('.hs-more');
  const S = root.dataset;
  // The tier of this page: whoever reads it may read that tier's bundle.
  const pageTier =
    document.documentElement.dataset.tier ||
    (document.querySelector('meta[name="hearth-tier"]') || {}).content ||
    'public';
  // The entry manifest (a `{tier}` placeholder, from format 1 templates,
  // means the public one).
  const indexUrl = S.index.replace('{tier}', 'public');
  const entryDir = indexUrl.slice(0, indexUrl.lastIndexOf('/') + 1);
  // Bundles are sibling folders: /search/public/ → /search/member/.
  const rootDir = entryDir.replace(/[^/]+\/$/, '');
  const PAGE = 10;
  const MAX_WORD = 40;

  // ---- tokens (src/search.rs: tokenize, query_parts, normalize) ----
  const isCjk = (cp) =>
    cp === 0x3005 || cp === 0x3007 || (cp >= 0x3040 && cp <= 0x30ff) ||
    (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
  const fold = (cp) => (cp >= 0xff01 && cp <= 0xff5e ? cp - 0xfee0 : cp === 0x3000 ? 32 : cp);
  const ALNUM = /[\p{Alphabetic}\p{N}]/u;
  const SPACE = /\p{White_Space}/u;
  const isWordChar = (c) => ALNUM.test(c) && !isCjk(c.codePointAt(0));

  /* Words and CJK runs of a query: unlike page text (src/search.rs), a
     space between CJK characters separates two runs here. */
  function tokenize(text) {
    const out = [];
    let word = '';
    let run = '';
    const flushWord = () => {
      if (word && [...word].length <= MAX_WORD) out.push({ word });
      word = '';
    };
    const flushRun = () => {
      if (run) out.push({ run });
      run = '';
    };
    for (const ch of text) {
      const cp = fold(ch.codePointAt(0));
      const c = String.fromCodePoint(cp);
      if (isCjk(cp)) {
        flushWord();
        run += c;
      } else if (ALNUM.test(c)) {
        flushRun();
        word += c.toLowerCase();
      } else {
        flushWord();
        flushRun();
      }
    }
    flushWord();
    flushRun();
    return out;
  }

  function queryParts(q) {
    const toks = tokenize(q);
    return toks.map((t, i) => {
      if (t.word !== undefined) {
        const prefix = i === toks.length - 1 && [...t.word].length >= 2;
        return { terms: [t.word], prefix, phrase: null, mark: t.word, word: true, exact: !prefix };
      }
      const cs = [...t.run];
      if (cs.length === 1) return { terms: [t.run], prefix: true, phrase: null, mark: t.run };
      const terms = [];
      for (let k = 0; k + 1 < cs.length; k++) terms.push(cs[k] + cs[k + 1]);
      return { terms, prefix: false, phrase: cs.length > 2 ? t.run : null, mark: t.run };
    });
  }

  /* Folded, lowercased text without whitespace between CJK characters, and
     for each of its code units where it came from in `text`. */
  function normalize(text) {
    let s = '';
    const from = [];
    const to = [];
    let pending = -1;
    let lastCjk = false;
    let i = 0;
    for (const ch of text) {
      const cp = fold(ch.codePointAt(0));
      const c = String.fromCodePoint(cp);
      if (SPACE.test(c)) {
        if (pending < 0) pending = i;
        i += ch.length;
        continue;
      }
      const cjk = isCjk(cp);
      if (pending >= 0 && !(cjk && lastCjk)) {
        s += ' ';
        from.push(pending);
        to.push(pending + 1);
      }
      pending = -1;
      lastCjk = cjk;
      const low = c.toLowerCase();
      for (let k = 0; k < low.length; k++) {
        from.push(i);
        to.push(i + ch.length);
      }
      s += low;
      i += ch.length;
    }
    return { s, from, to };
  }

  // ---- bundle ----
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const VAL = {};
  for (let i = 0; i < 64; i++) VAL[B64[i]] = i;

  /* [doc, weight, doc, weight, …] from "(gap << 4) | weight" in 5-bit digits. */
  function decode(s) {
    const out = [];
    let doc = 0;
    let v = 0;
    let scale = 1;
    for (let i = 0; i < s.length; i++) {
      const d = VAL[s[i]];
      v += (d & 31) * scale;
      if (d & 32) {
        scale *= 32;
        continue;
      }
      doc += Math.floor(v / 16);
      out.push(doc, v % 16);
      v = 0;
      scale = 1;
    }
    return out;
  }

  const cache = new Map();
  const remember = (url, p) => {
    p.catch(() => cache.delete(url));
    cache.set(url, p);
    return p;
  };
  function getJson(url) {
    if (cache.has(url)) return cache.get(url);
    return remember(
      url,
      fetch(url, { credentials: 'same-origin', redirect: 'manual' }).then((r) => {
        if (!r.ok) throw new Error(`${r.status} ${url}`);
        return r.json();
      }),
    );
  }
  /* A shard or pack: a gzip member holding JSON. A host that sent it with
     Content-Encoding: gzip had the browser unpack it already. */
  function getData(url) {
    if (cache.has(url)) return cache.get(url);
    return remember(
      url,
      fetch(url, { credentials: 'same-origin', redirect: 'manual' }).then(async (r) => {
        if (!r.ok) throw new Error(`${r.status} ${url}`);
        const bytes = new Uint8Array(await r.arrayBuffer());
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
        const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
        return JSON.parse(await new Response(stream).text());
      }),
    );
  }

  const FORMAT = 2;
  function bundle(dir, m) {
    if (m.format !== FORMAT) throw new Error('unknown search bundle format');
    const starts = [];
    let next = 0;
    for (const n of m.packs) {
      starts.push(next);
      next += n;
    }
    return { dir, m, starts };
  }

  /* May the visitor fetch this gated bundle? A HEAD request: the host
     refuses it below the bundle's tier (401/403, or a redirect to sign in,
     which `redirect: 'manual'` stops at), and a refusal then costs headers
     only, not the join page a refused GET would bring. */
  const allowed = (dir) =>
    fetch(`${dir}index.json`, { method: 'HEAD', credentials: 'same-origin', redirect: 'manual', cache: 'no-store' })
      .then((r) => r.ok)
      .catch(() => false);

  /* What this tab learnt about the visitor: the highest gated bundle they
     could fetch (0: none), so later pages of the session probe nothing. */
  const KEY = `hearth-search:${rootDir}`;
  const recall = () => {
    try {
      const v = sessionStorage.getItem(KEY);
      return v === null ? null : Number(v);
    } catch (_) {
      return null;
    }
  };
  const learn = (n) => {
    try {
      sessionStorage.setItem(KEY, String(n));
    } catch (_) {
      /* private mode: probe again next page */
    }
  };

  /* The bundles this visitor searches, lowest first. Bottom-up: each
     bundle allowed is one the visitor needs anyway, and the first refusal
     ends the climb (a tier's readers may read every tier below it), so a
     public visitor pays one HEAD request per session and a member of the
     highest tier none. */
  const stacks = new Map();
  function loadStack(url = indexUrl) {
    let stackP = stacks.get(url);
    const entryDir = url.slice(0, url.lastIndexOf('/') + 1);
    const rootDir = entryDir.replace(/[^/]+\/$/, '');
    stackP =
      stackP ||
      (async () => {
        const entry = bundle(entryDir, await getJson(url));
        const ladder = entry.m.stack || [];
        const known = ladder.indexOf(pageTier) + 1;
        const learnt = recall();
        const out = [entry];
        let reached = 0;
        for (let i = 1; i <= ladder.length; i++) {
          const dir = `${rootDir}${encodeURIComponent(ladder[i - 1])}/`;
          const sure = i <= known || (learnt !== null && i <= learnt);
          if (!sure && learnt !== null && learnt < i) break; // refused earlier this session
          if (!sure && !(await allowed(dir))) break;
          let m;
          try {
            m = await getJson(`${dir}index.json`);
          } catch (_) {
            break; // signed out since, or refused after all
          }
          out.push(bundle(dir, m));
          reached = i;
        }
        if (ladder.length && reached !== learnt) learn(reached);
        return out;
      })();
    stacks.set(url, stackP);
    stackP.catch(() => stacks.delete(url));
    return stackP;
  }

  /* The other languages of the site (the entry manifest names them),
     searched after this page's: their results follow, labelled. One that
     cannot be fetched is left out, not an error. */
  async function rankOthers(stack, parts) {
    const combined = stack.slice();
    const ranked = [];
    for (const other of stack[0].m.languages || []) {
      let os;
      try {
        os = await loadStack(other.index);
      } catch (_) {
        continue;
      }
      const offset = combined.length;
      for (const b of os) combined.push(Object.assign({}, b, { lang: other }));
      for (const [b, d] of await rankStack(os, parts)) ranked.push([b + offset, d]);
    }
    return { combined, ranked };
  }
  const shard = (b, i) => getData(`${b.dir}s/${i}.gz?v=${b.m.version}`);
  /* One document: the pack that holds it, then its place in the pack. */
  function fragment(b, d) {
    let lo = 0;
    let hi = b.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b.starts[mid] <= d) lo = mid + 1;
      else hi = mid;
    }
    const p = lo - 1;
    return getData(`${b.dir}p/${p}.gz?v=${b.m.version}`).then((pack) => pack[d - b.starts[p]]);
  }

  /* The last shard whose first term is not after `t` (JS compares UTF-16, as the index is sorted). */
  function shardOf(m, t) {
    let lo = 0;
    let hi = m.shards.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (m.shards[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  }
  function lowerBound(entries, t) {
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entries[mid][0] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /* Documents of one bundle matching every part, as [doc, score]. */
  async function rank(b, parts) {
    const m = b.m;
    // An empty bundle (a tier with no page in this language) has no shard.
    if (!m.shards.length) return [];
    await Promise.all(parts.flatMap((p) => p.terms.map((t) => shard(b, shardOf(m, t)))));
    let acc = null;
    for (const p of parts) {
      let scores = new Map();
      if (p.prefix) {
        const pre = p.terms[0];
        const first = shardOf(m, pre);
        for (let i = first; i < m.shards.length; i++) {
          if (i > first && !m.shards[i].startsWith(pre)) break;
          const sh = await shard(b, i);
          for (let k = lowerBound(sh, pre); k < sh.length && sh[k][0].startsWith(pre); k++) {
            const d = decode(sh[k][1]);
            for (let j = 0; j < d.length; j += 2) {
              scores.set(d[j], Math.max(scores.get(d[j]) || 0, d[j + 1]));
            }
          }
        }
      } else {
        for (let n = 0; n < p.terms.length; n++) {
          const t = p.terms[n];
          const sh = await shard(b, shardOf(m, t));
          const k = lowerBound(sh, t);
          const these = new Map();
          if (k < sh.length && sh[k][0] === t) {
            const d = decode(sh[k][1]);
            for (let j = 0; j < d.length; j += 2) these.set(d[j], d[j + 1]);
          }
          if (n === 0) scores = these;
          else {
            const next = new Map();
            for (const [doc, s] of scores) if (these.has(doc)) next.set(doc, Math.min(s, these.get(doc)));
            scores = next;
          }
        }
      }
      if (acc === null) acc = scores;
      else {
        const next = new Map();
        for (const [doc, s] of acc) if (scores.has(doc)) next.set(doc, s + scores.get(doc));
        acc = next;
      }
      if (!acc.size) break;
    }
    return [...(acc || new Map())];
  }

  /* Documents of the whole stack matching every part, best first: ties
     keep the lower bundle first, then each bundle's own order (src/search.rs
     search_stack). Each is [bundle index, doc]. */
  async function rankStack(stack, parts) {
    const lists = await Promise.all(stack.map((b) => rank(b, parts)));
    const all = [];
    lists.forEach((list, i) => {
      for (const [d, score] of list) all.push([score, i, d]);
    });
    all.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
    return all.map((e) => [e[1], e[2]]);
  }

  // ---- excerpts ----
  /* Where the query's words and runs occur in `text`, as [start, end) in `text`. */
  function matches(text, parts) {
    const n = normalize(text);
    const spans = [];
    for (const p of parts) {
      const needle = p.mark;
      let at = n.s.indexOf(needle);
      while (at >= 0) {
        const end = at + needle.length;
        const startOk = !p.word || at === 0 || !isWordChar(n.s[at - 1]);
        const endOk = !p.exact || end >= n.s.length || !isWordChar(n.s[end]);
        if (startOk && endOk) spans.push([n.from[at], n.to[end - 1]]);
        at = n.s.indexOf(needle, at + 1);
      }
    }
    spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged = [];
    for (const s of spans) {
      const last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push(s);
    }
    return merged;
  }

  /* Appends text[from, to) to `el` as text nodes and <mark>s: never as HTML. */
  function highlight(el, text, spans, from = 0, to = text.length) {
    let at = from;
    for (const [a, b] of spans) {
      if (b <= from || a >= to) continue;
      const s = Math.max(a, from);
      const e = Math.min(b, to);
      if (s > at) el.append(text.slice(at, s));
      const mk = document.createElement('mark');
      mk.textContent = text.slice(s, e);
      el.append(mk);
      at = e;
    }
    if (at < to) el.append(text.slice(at, to));
  }

  function excerpt(el, f, parts) {
    for (const text of [f.x || '', f.m || '']) {
      const spans = matches(text, parts);
      if (!spans.length) continue;
      let start = Math.max(0, spans[0][0] - 36);
      let end = Math.min(text.length, start + 140);
      if (start > 0) {
        const sp = text.indexOf(' ', start);
        if (sp >= 0 && sp < spans[0][0] && sp - start < 14) start = sp + 1;
        while (start < spans[0][0] && /[\s·,，、。;；:：]/.test(text[start])) start++;
      }
      if (/[\uDC00-\uDFFF]/.test(text[start] || '')) start--;
      if (/[\uDC00-\uDFFF]/.test(text[end] || '')) end++;
      if (start > 0) el.append('…');
      highlight(el, text, spans, start, end);
      if (end < text.length) el.append('…');
      return;
    }
    const x = f.x || f.m || '';
    el.append(x.slice(0, 120) + (x.length > 120 ? '…' : ''));
  }

  function verified(f, parts) {
    const phrases = parts.filter((p) => p.phrase);
    if (!phrases.length) return true;
    const all = normalize(`${f.t} · ${f.m || ''} · ${f.x}`).s; // '·' ends a run, as in the index
    return phrases.every((p) => all.includes(p.phrase));
  }

  // ---- UI ----
  const fill = (tpl, n) => tpl.replace('{n}', String(n));
  let state = null;
  let seq = 0;
  let timer = 0;

  function place() {
    const r = input.getBoundingClientRect();
    const vw = document.documentElement.clientWidth;
    const w = Math.min(36 * 16, vw - 16);
    const left = Math.min(Math.max(8, r.left), vw - w - 8);
    const top = Math.max(8, r.bottom + 6);
    Object.assign(panel.style, {
      left: `${left}px`,
      top: `${top}px`,
      width: `${w}px`,
      maxHeight: `${Math.max(160, window.innerHeight - top - 12)}px`,
    });
  }
  function open() {
    if (!input.value.trim()) return;
    panel.hidden = false;
    place();
  }
  function close() {
    panel.hidden = true;
  }
  const say = (text) => {
    msg.textContent = text;
    live.textContent = text;
  };

  function item(f, parts, lang) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.className = 'hs-hit';
    a.href = f.u;
    if (lang) {
      a.hreflang = lang.tag;
      a.lang = lang.tag;
    }
    const t = document.createElement('span');
    t.className = 'hs-title';
    highlight(t, f.t, matches(f.t, parts));
    const u = document.createElement('span');
    u.className = 'hs-url';
    let path = f.u;
    try {
      path = decodeURI(f.u);
    } catch (_) {
      /* keep it encoded */
    }
    u.textContent = (lang ? `${lang.name} · ` : '') + (f.d ? `${f.d} · ${path}` : path);
    const x = document.createElement('span');
    x.className = 'hs-excerpt';
    excerpt(x, f, parts);
    a.append(t, u, x);
    li.append(a);
    return li;
  }

  /* Shows the next page of results, each as soon as its pack and those of
     the results above it have come (phrase queries drop candidates whose
     text does not hold the phrase, so a page may take a few rounds). */
  async function showMore(st) {
    let added = 0;
    let rounds = 0;
    while (added < PAGE && st.pos < st.ranked.length && rounds < 6) {
      const batch = st.ranked.slice(st.pos, st.pos + PAGE);
      st.pos += batch.length;
      rounds++;
      const get = ([b, d]) => fragment(st.stack[b], d).then((f) => f && Object.assign({}, f, { b }));
      let frags;
      if (st.pos === batch.length) {
        // The very first result alone first: on a slow line it is not
        // held back by the nine packs of the rest of the page.
        const head = get(batch[0]);
        await head.catch(() => {});
        frags = [head, ...batch.slice(1).map(get)];
      } else {
        frags = batch.map(get);
      }
      for (const p of frags) {
        const f = await p;
        if (st !== state) return;
        if (!f || !verified(f, st.parts)) {
          st.dropped++;
          continue;
        }
        list.append(item(f, st.parts, st.stack[f.b] && st.stack[f.b].lang));
        st.shown++;
        added++;
      }
    }
    const left = st.pos < st.ranked.length;
    more.hidden = !left;
    root.dataset.shown = String(st.shown);
    if (!st.shown) say(S.none);
    else if (st.parts.some((p) => p.phrase)) say(fill(left ? S.countMore : S.count, st.shown));
    else say(fill(S.count, st.ranked.length));
  }

  async function run() {
    const q = input.value;
    const my = ++seq;
    const parts = queryParts(q);
    if (!parts.length) {
      state = null;
      list.replaceChildren();
      say('');
      close();
      root.dataset.query = q;
      return;
    }
    const slow = setTimeout(() => my === seq && say(S.loading), 250);
    try {
      const own = await loadStack();
      const ownRanked = await rankStack(own, parts);
      const { combined: stack, ranked: others } = await rankOthers(own, parts);
      const ranked = ownRanked.concat(others);
      if (my !== seq) return;
      state = { q, stack, parts, ranked, pos: 0, shown: 0, dropped: 0 };
      list.replaceChildren();
      open();
      await showMore(state);
    } catch (e) {
      if (my !== seq) return;
      state = null;
      list.replaceChildren();
      more.hidden = true;
      open();
      say(S.error);
    } finally {
      // What the list shows now: tools/search-recall.mjs waits on it.
      if (my === seq) root.dataset.query = q;
      clearTimeout(slow);
    }
  }

  const focusables = () => [...panel.querySelectorAll('a.hs-hit, .hs-more:not([hidden])')];
  function move(from, delta) {
    const items = focusables();
    const i = items.indexOf(from) + delta;
    if (i < 0) input.focus();
    else if (i < items.length) items[i].focus();
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 90);
  });
  input.addEventListener('focus', () => {
    // Find out what the visitor may search while they start typing.
    loadStack().catch(() => {});
    // On phones the box widens over the header while it is in use.
    root.style.setProperty('--hs-top', `${Math.max(8, root.getBoundingClientRect().top)}px`);
    root.classList.add('hs-open');
    if (state && list.childElementCount) open();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (panel.hidden) open();
      const first = focusables()[0];
      if (first) first.focus();
    } else if (e.key === 'Escape') {
      if (!panel.hidden) {
        e.preventDefault();
        close();
      } else if (input.value) {
        e.preventDefault();
        input.value = '';
        run();
      }
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearTimeout(timer);
    if (!state || state.q !== input.value) await run();
    const first = list.querySelector('a.hs-hit');
    if (first) window.location.assign(first.href);
  });
  panel.addEventListener('keydown', (e) => {
    const t = e.target;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(t, e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const items = focusables();
      if (items.length) items[e.key === 'Home' ? 0 : items.length - 1].focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      input.focus(); // before close(): focusing the box reopens a closed list
      close();
    } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && e.key !== ' ') {
      input.focus(); // keep typing into the box
    }
  });
  more.addEventListener('click', async () => {
    const st = state;
    if (!st) return;
    const before = list.childElementCount;
    await showMore(st);
    const next = list.children[before];
    if (next) next.querySelector('a').focus();
  });
  const leave = () => {
    close();
    root.classList.remove('hs-open');
  };
  root.addEventListener('focusout', (e) => {
    if (e.relatedTarget && !root.contains(e.relatedTarget)) leave();
  });
  document.addEventListener('pointerdown', (e) => {
    if (!root.contains(e.target)) leave();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const t = e.target;
    if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
  const replace = () => !panel.hidden && place();
  window.addEventListener('resize', replace);
  window.addEventListener('scroll', replace, { passive: true });

  form.hidden = false;
})();
