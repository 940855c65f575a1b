// Hearth default theme: small enhancements. Every page works without this file.
(function () {
  'use strict';

  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function fill(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  // A deep link to an answer or rule inside <details> opens it.
  function openTarget() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (!id) return;
    var el = document.getElementById(id);
    var details = el && el.closest('details');
    if (details) details.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();

  // The sidebar tree is a column on wide screens: style.css shows it with
  // ::details-content; a browser without that gets it opened here.
  var sidebar = document.querySelector('.with-sidebar > details.sidebar');
  if (sidebar && !sidebar.open && window.matchMedia('(min-width: 60rem)').matches &&
      !(window.CSS && CSS.supports && CSS.supports('selector(::details-content)'))) {
    sidebar.open = true;
  }

  // Navigation that does not fit on the header's row folds into "More",
  // from the end (the reading order puts what a newcomer needs first).
  // Without this script the row wraps instead.
  document.documentElement.classList.add('js');
  function foldNav() {
    var nav = document.querySelector('.site-nav');
    var list = nav && nav.querySelector(':scope > .nav-list');
    var more = nav && nav.querySelector('.nav-more');
    if (!list || !more) return;
    var moreList = more.querySelector('ul');
    while (moreList.firstElementChild) list.appendChild(moreList.firstElementChild);
    more.hidden = true;
    more.open = false;
    if (getComputedStyle(nav).display === 'none') return;
    function overflows() { return list.scrollWidth > list.clientWidth + 1; }
    if (!overflows()) return;
    more.hidden = false;
    while (overflows() && list.children.length > 1) {
      moreList.insertBefore(list.lastElementChild, moreList.firstElementChild);
    }
  }
  // Again whenever the room changes: a resize, fonts arriving, the search
  // box appearing beside the menu.
  var foldTimer = 0;
  function refold() { clearTimeout(foldTimer); foldTimer = setTimeout(foldNav, 50); }
  window.addEventListener('resize', refold);
  foldNav();
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(foldNav);
  var siteNav = document.querySelector('.site-nav');
  if (siteNav && window.ResizeObserver) {
    var lastWidth = 0;
    new ResizeObserver(function (entries) {
      var w = Math.round(entries[0].contentRect.width);
      if (w !== lastWidth) { lastWidth = w; refold(); }
    }).observe(siteNav);
  }
  $$('details.nav-more').forEach(function (m) {
    m.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && m.open) { m.open = false; m.querySelector('summary').focus(); }
    });
    document.addEventListener('click', function (e) { if (m.open && !m.contains(e.target)) m.open = false; });
  });

  // The phone menu closes with Escape and when a link in it is followed.
  $$('details.nav-menu').forEach(function (menu) {
    menu.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && menu.open) { menu.open = false; menu.querySelector('summary').focus(); }
    });
    $$('a', menu).forEach(function (a) { a.addEventListener('click', function () { menu.open = false; }); });
  });

  // Copying a link: the Clipboard API where allowed, else a hidden textarea.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var ta = document.createElement('textarea');
      ta.value = text; ta.setAttribute('readonly', ''); ta.style.position = 'fixed'; ta.style.opacity = '0';
      document.body.appendChild(ta); ta.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      if (ok) resolve(); else reject(new Error('copy failed'));
    });
  }

  // Rules: each rule gets a copy-link button, so a moderator can paste "see rule 3".
  var ICON_COPY = '<svg class="ico ico-copy" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false"><rect x="8.5" y="8.5" width="11" height="11" rx="2"/><path d="M15.5 8.5V6a1.5 1.5 0 0 0-1.5-1.5H6A1.5 1.5 0 0 0 4.5 6v8A1.5 1.5 0 0 0 6 15.5h2.5"/></svg>';
  var ICON_DONE = '<svg class="ico ico-done" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false"><path d="M5 12.5l4.5 4.5L19 7.5"/></svg>';
  $$('[data-rulebook]').forEach(function (book) {
    var status = document.querySelector('[data-copy-status]');
    var timer;
    function copied(el, n) {
      el.classList.add('copied');
      if (status) { status.textContent = fill(book.getAttribute('data-copied-label'), { n: n }); }
      clearTimeout(timer);
      timer = setTimeout(function () {
        $$('.copied', book).forEach(function (c) { c.classList.remove('copied'); });
        if (status) status.textContent = '';
      }, 2000);
    }
    $$('a.rule-number', book).forEach(function (a) {
      var n = a.textContent.trim();
      var url = location.origin + location.pathname + a.getAttribute('href');
      var btn = document.createElement('button');
      btn.type = 'button';
      btn.className = 'rule-copy';
      btn.setAttribute('aria-label', fill(book.getAttribute('data-copy-label'), { n: n }));
      btn.title = btn.getAttribute('aria-label');
      btn.innerHTML = ICON_COPY + ICON_DONE;
      btn.addEventListener('click', function () {
        copyText(url).then(function () { copied(btn, n); }, function () {});
      });
      a.insertAdjacentElement('afterend', btn);
      // Clicking the number itself still jumps to the rule and copies its link.
      a.addEventListener('click', function () {
        copyText(url).then(function () { copied(btn, n); }, function () {});
      });
    });
  });

  // Print buttons (rules, FAQ) only make sense with script.
  $$('[data-print]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () { window.print(); });
  });

  // FAQ: open every answer for printing, restore afterwards.
  var printOpened = [];
  window.addEventListener('beforeprint', function () {
    printOpened = $$('details.faq-item:not([open])');
    printOpened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    printOpened.forEach(function (d) { d.open = false; });
    printOpened = [];
  });

  // FAQ filter: hides questions that do not match; without script everything shows.
  $$('[data-faq]').forEach(function (list) {
    var items = $$('.faq-item', list);
    var tools = document.querySelector('[data-faq-tools]');
    var input = document.getElementById('faq-filter');
    var count = document.getElementById('faq-count');
    var empty = document.querySelector('[data-faq-empty]');
    if (!items.length || !tools || !input) return;
    tools.hidden = false;
    var texts = items.map(function (d) { return d.textContent.toLowerCase(); });
    var wasOpen = items.map(function (d) { return d.open; });
    function apply() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (d, i) {
        var match = terms.every(function (t) { return texts[i].indexOf(t) !== -1; });
        d.hidden = !match;
        if (match) shown++;
        // Open matches so the reader sees why they matched; restore when cleared.
        d.open = terms.length ? match : wasOpen[i];
      });
      if (empty) empty.hidden = shown !== 0;
      if (count) {
        count.textContent = terms.length ? fill(count.getAttribute('data-count-label'), { shown: shown, total: items.length }) : '';
      }
    }
    var pending;
    input.addEventListener('input', function () {
      if (!input.value) wasOpen = wasOpen.map(function () { return false; });
      clearTimeout(pending); pending = setTimeout(apply, 120);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { input.value = ''; apply(); }
    });
    if (input.value) apply();
  });

  // Members directory: filter by role and chapter.
  $$('[data-directory]').forEach(function (list) {
    var tools = document.querySelector('[data-directory-tools]');
    if (!tools) return;
    var selects = $$('select[data-filter]', tools);
    // Locked cards count too (the heading's count does): they match no filter.
    var cards = $$('li.card', list);
    var count = tools.querySelector('[data-directory-count]');
    var empty = document.querySelector('[data-directory-empty]');
    tools.hidden = false;
    function apply() {
      var shown = 0, active = false;
      cards.forEach(function (li) {
        var ok = selects.every(function (s) {
          if (!s.value) return true;
          active = true;
          var have = (li.getAttribute('data-' + s.getAttribute('data-filter')) || '').split(/\s+/);
          return have.indexOf(s.value) !== -1;
        });
        li.hidden = !ok;
        if (ok) shown++;
      });
      if (empty) empty.hidden = shown !== 0;
      if (count) count.textContent = active ? fill(count.getAttribute('data-count-label'), { shown: shown, total: cards.length }) : '';
    }
    selects.forEach(function (s) { s.addEventListener('change', apply); });
    apply();
  });

  // Events: an upcoming event that has ended since the build moves to "past".
  $$('[data-upcoming]').forEach(function (up) {
    var past = document.querySelector('[data-past]');
    var pastSection = document.querySelector('[data-past-section]');
    var now = Date.now();
    var moved = $$('li[data-end]', up).filter(function (li) {
      var end = Date.parse(li.getAttribute('data-end'));
      return !isNaN(end) && end < now;
    });
    if (!moved.length || !past) return;
    // Most recent first, like the past list.
    moved.reverse().forEach(function (li) { past.insertBefore(li, past.firstChild); });
    if (pastSection) pastSection.hidden = false;
    if (!up.children.length) {
      var empty = document.querySelector('[data-upcoming-empty]');
      if (empty) empty.hidden = false;
    }
  });

  // Event times: when the reader's time zone differs from the event's, add
  // the time in theirs ("your time: 14:00"), computed from the ISO offset.
  document.querySelectorAll('time[data-local]').forEach(function (t) {
    var iso = t.getAttribute('datetime') || '';
    var m = /T\d\d:\d\d(?::\d\d)?([+-])(\d\d):(\d\d)$/.exec(iso);
    if (!m) return;
    var when = new Date(iso);
    if (isNaN(when)) return;
    var eventOffset = (m[1] === '-' ? -1 : 1) * (parseInt(m[2], 10) * 60 + parseInt(m[3], 10));
    if (-when.getTimezoneOffset() === eventOffset) return;
    var lang = document.documentElement.lang || undefined;
    var text;
    try {
      text = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(when);
    } catch (e) {
      text = when.toLocaleString();
    }
    var span = document.createElement('span');
    span.className = 'local-time';
    span.textContent = ' (' + t.getAttribute('data-local') + ': ' + text + ')';
    t.after(span);
  });
})();
