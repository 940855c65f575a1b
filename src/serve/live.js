// Hearth live reload. `hearth serve` adds this script to the HTML it serves
// (never to a built site). It listens to /__hearth/events and:
//  - when a newer build is ready, asks for its own URL again (HEAD) and
//    reloads only if the file changed (its ETag differs), so an edit
//    reloads the tabs it touches, not every open tab;
//  - shows an overlay with the diagnostics while the last build failed (the
//    server keeps serving the last good build underneath);
//  - shows a "Previewing as: TIER" badge when serving with --audience.
// Overlay and badge live in shadow roots so the site's CSS cannot touch them,
// and every diagnostic is inserted as text, never as HTML.
(() => {
  'use strict';
  const me = document.currentScript;
  let pageBuild = (me && me.getAttribute('data-build')) || '';
  const pageEtag = (me && me.getAttribute('data-etag')) || '';
  const audience = me && me.getAttribute('data-audience');

  const FONT = 'font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;';
  const MONO = 'font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;';

  function el(tag, style, text) {
    const e = document.createElement(tag);
    if (style) e.setAttribute('style', style);
    if (text != null) e.textContent = text;
    return e;
  }

  function mount(id) {
    const host = document.createElement('hearth-live');
    host.id = id;
    (document.body || document.documentElement).appendChild(host);
    return host.attachShadow({ mode: 'open' });
  }

  if (audience) {
    const root = mount('__hearth-badge');
    const b = el(
      'div',
      FONT +
        'position:fixed;left:12px;bottom:12px;z-index:2147483646;padding:4px 10px;' +
        'border-radius:999px;background:#1f2933;color:#fff;font-size:12px;' +
        'box-shadow:0 2px 8px rgba(0,0,0,.3);pointer-events:none;',
      'Previewing as: ' + audience,
    );
    b.setAttribute('role', 'status');
    root.appendChild(b);
  }

  let overlay = null;

  function hideOverlay() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function place(d) {
    let s = d.file || '(site)';
    if (d.line) s += ':' + d.line + (d.col ? ':' + d.col : '');
    return s;
  }

  function showOverlay(diags) {
    hideOverlay();
    overlay = document.createElement('hearth-live');
    overlay.id = '__hearth-overlay';
    (document.body || document.documentElement).appendChild(overlay);
    const root = overlay.attachShadow({ mode: 'open' });
    const backdrop = el(
      'div',
      FONT +
        'position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:5vh 4vw;' +
        'background:rgba(17,24,39,.82);color:#111;box-sizing:border-box;',
    );
    const panel = el(
      'div',
      'max-width:52rem;margin:0 auto;background:#fff;border-radius:8px;' +
        'border-top:6px solid #c81e1e;padding:1.2rem 1.5rem;box-shadow:0 10px 30px rgba(0,0,0,.4);',
    );
    panel.setAttribute('role', 'alertdialog');
    panel.setAttribute('aria-label', 'Build failed');
    const head = el('div', 'display:flex;align-items:baseline;gap:1rem;');
    head.appendChild(
      el(
        'h2',
        'margin:0;font-size:1.15rem;color:#c81e1e;flex:1;',
        'Build failed: ' + diags.length + ' error' + (diags.length === 1 ? '' : 's'),
      ),
    );
    const close = el(
      'button',
      'border:1px solid #999;background:#fff;border-radius:4px;padding:2px 8px;cursor:pointer;',
      'Hide',
    );
    close.type = 'button';
    close.addEventListener('click', hideOverlay);
    head.appendChild(close);
    panel.appendChild(head);
    panel.appendChild(
      el(
        'p',
        'margin:.4rem 0 1rem;color:#444;',
        'You are seeing the last good build. Fix the problems below and save; ' +
          'this page reloads by itself.',
      ),
    );
    const list = el('ol', 'margin:0;padding:0;list-style:none;');
    for (const d of diags) {
      const item = el('li', 'margin:0 0 1rem;padding:0 0 1rem;border-bottom:1px solid #eee;');
      item.className = 'diagnostic';
      item.appendChild(el('div', MONO + 'font-weight:700;color:#1e429f;', place(d)));
      item.appendChild(
        el('div', 'margin:.2rem 0;', (d.code ? 'error[' + d.code + ']: ' : 'error: ') + d.message),
      );
      if (d.source && d.line) {
        const pre = el(
          'pre',
          MONO + 'margin:.3rem 0;padding:.4rem .6rem;background:#f4f4f5;border-radius:4px;' +
            'white-space:pre-wrap;overflow-wrap:anywhere;',
        );
        pre.textContent = d.line + ' | ' + d.source;
        item.appendChild(pre);
      }
      if (d.help) item.appendChild(el('div', 'color:#046c4e;', 'help: ' + d.help));
      list.appendChild(item);
    }
    panel.appendChild(list);
    backdrop.appendChild(panel);
    root.appendChild(backdrop);
  }

  let checking = null;

  // Whether this tab's file differs in `build`: its ETag is a hash of the
  // built bytes. Any doubt (no ETag, an error) means reload.
  async function changed() {
    if (!pageEtag) return true;
    try {
      const r = await fetch(location.href, { method: 'HEAD', cache: 'no-store' });
      return r.headers.get('ETag') !== pageEtag;
    } catch {
      return true;
    }
  }

  function onStatus(s) {
    if (s.ok) {
      hideOverlay();
      if (s.build && s.build !== pageBuild && checking !== s.build) {
        checking = s.build;
        changed().then((yes) => {
          if (yes) location.reload();
          else pageBuild = s.build;
        });
      }
    } else if (s.diagnostics && s.diagnostics.length) {
      showOverlay(s.diagnostics);
    }
  }

  if (typeof EventSource !== 'function') return;
  const source = new EventSource('/__hearth/events');
  source.addEventListener('status', (e) => {
    let s;
    try {
      s = JSON.parse(e.data);
    } catch {
      return;
    }
    onStatus(s);
  });
})();
