#!/usr/bin/env python3
"""Validate a built Hearth site's Atom feeds and sitemap.

Usage: python3 tools/check_feeds.py SITE_DIR

- Every atom.xml parses with `feedparser` without the bozo flag, has a
  title, an id, an updated date and a self link; every entry has an id, an
  absolute link, an updated date and a title.
- sitemap.xml (and any sitemap-N.xml it indexes) is well-formed XML in the
  sitemaps.org namespace, with at most 50,000 absolute <loc> URLs and
  W3C-format <lastmod> dates, and lists no path of _hearth/access.json
  (no gated page in the public sitemap).
- A site in several languages: every sitemap robots.txt names (one per
  language) is checked the same way; each <xhtml:link rel="alternate">
  is absolute, names a valid language (or x-default), and the set of
  alternates of a URL is the same in every sitemap that lists one of them
  (the pairs answer each other, as search engines require).

Exits 1 on any problem.
"""

import json
import urllib.parse
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

import feedparser

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
LANG_TAG = re.compile(r"^([a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*|x-default)$")
W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z))?$")


def check_feed(path):
    problems = []
    d = feedparser.parse(path.read_bytes())
    if d.bozo:
        problems.append(f"{path}: not well-formed ({d.bozo_exception})")
    if d.version != "atom10":
        problems.append(f"{path}: not Atom 1.0 (got {d.version!r})")
    feed = d.feed
    for key in ("title", "id", "updated"):
        if not feed.get(key):
            problems.append(f"{path}: feed has no {key}")
    if not any(l.get("rel") == "self" for l in feed.get("links", [])):
        problems.append(f"{path}: no rel=self link")
    ids = set()
    for e in d.entries:
        for key in ("id", "title", "updated", "link"):
            if not e.get(key):
                problems.append(f"{path}: entry {e.get('id')!r} has no {key}")
        if not str(e.get("link", "")).startswith(("http://", "https://")):
            problems.append(f"{path}: entry link {e.get('link')!r} is not absolute")
        if e.get("id") in ids:
            problems.append(f"{path}: duplicate entry id {e.get('id')}")
        ids.add(e.get("id"))
    return problems, len(d.entries)


def check_sitemap(site, gated, root_file=None, alternates=None):
    problems, urls = [], []
    root_file = root_file or site / "sitemap.xml"
    if not root_file.exists():
        return [f"{root_file} missing"], 0
    root = ET.parse(root_file).getroot()
    files = []
    if root.tag == NS + "sitemapindex":
        for loc in root.iter(NS + "loc"):
            files.append(root_file.parent / loc.text.rsplit("/", 1)[-1])
    elif root.tag == NS + "urlset":
        files.append(root_file)
    else:
        return [f"{root_file}: root element {root.tag} is not in the sitemaps.org namespace"], 0
    for f in files:
        tree = ET.parse(f).getroot()
        if tree.tag != NS + "urlset":
            problems.append(f"{f}: not a urlset")
        entries = tree.findall(NS + "url")
        if len(entries) > 50000:
            problems.append(f"{f}: {len(entries)} URLs (limit 50,000)")
        for u in entries:
            alts = {}
            for child in u:
                if child.tag == XHTML + "link":
                    lang, href = child.get("hreflang", ""), child.get("href", "")
                    if child.get("rel") != "alternate" or not LANG_TAG.match(lang):
                        problems.append(f"{f}: bad xhtml:link {child.attrib}")
                    if not href.startswith(("http://", "https://")):
                        problems.append(f"{f}: alternate {href!r} is not absolute")
                    alts[lang] = href
                elif child.tag not in (NS + "loc", NS + "lastmod", NS + "changefreq", NS + "priority"):
                    problems.append(f"{f}: unexpected element {child.tag}")
            loc = u.findtext(NS + "loc") or ""
            if alts:
                if loc not in alts.values():
                    problems.append(f"{f}: {loc} is not among its own alternates")
                if alternates is not None:
                    for href in alts.values():
                        seen = alternates.setdefault(href, alts)
                        if seen != alts:
                            problems.append(f"{f}: {loc}: alternates {alts} differ from those of {href}: {seen}")
            if not loc.startswith(("http://", "https://")):
                problems.append(f"{f}: <loc> {loc!r} is not absolute")
            lastmod = u.findtext(NS + "lastmod")
            if lastmod is not None and not W3C_DATE.match(lastmod):
                problems.append(f"{f}: <lastmod> {lastmod!r} is not a W3C date")
            urls.append(loc)
    for loc in urls:
        path = urllib.parse.unquote("/" + loc.split("://", 1)[-1].split("/", 1)[-1])
        for g in gated:
            # docs/deploying.md: a folder rule covers everything below it; a
            # page's index.html rule covers the page's URL too.
            page = g[: -len("index.html")] if g.endswith("/index.html") else None
            if path == g or path == page or (g.endswith("/") and path.startswith(g)):
                problems.append(f"sitemap lists gated path {path}")
    return problems, len(urls)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    site = pathlib.Path(sys.argv[1])
    gated = []
    manifest = site / "_hearth" / "access.json"
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        base = data.get("base_path", "")
        gated = [base + g["path"] for g in data["gated"]]
    problems, entries = [], 0
    feeds = sorted(site.rglob("atom.xml"))
    if not feeds:
        problems.append("no atom.xml feed")
    for f in feeds:
        p, n = check_feed(f)
        problems += p
        entries += n
    # Every sitemap robots.txt names: one per language.
    sitemaps = [site / "sitemap.xml"]
    robots = site / "robots.txt"
    if robots.exists():
        for line in robots.read_text(encoding="utf-8").splitlines():
            if line.startswith("Sitemap: "):
                rel = "/" + line.split("://", 1)[-1].split("/", 1)[-1]
                f = site / rel.lstrip("/")
                if f not in sitemaps:
                    sitemaps.append(f)
    alternates, n = {}, 0
    for f in sitemaps:
        p, k = check_sitemap(site, gated, f, alternates)
        problems += p
        n += k
    for p in problems:
        print(f"PROBLEM {p}")
    if problems:
        print(f"check_feeds: {len(problems)} problem(s)")
        return 1
    print(f"check_feeds: {len(feeds)} Atom feeds ({entries} entries) and the sitemap ({n} URLs) are valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
