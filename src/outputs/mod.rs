//! Site-wide artifacts: sitemap, robots.txt, code stylesheet, access manifest.
//!
//! Each public artifact asks [`crate::tiers`] what it may include; none of
//! them compares tiers itself.

pub mod calendars;
pub mod feeds;

use std::fmt::Write as _;

use serde::Serialize;

use crate::content::Site;
use crate::diagnostics::{Diagnostic, codes, did_you_mean};
use crate::tiers::{Audience, Tier};

/// A generated file: its output path (site path, leading slash) and bytes.
pub type Artifact = (String, Vec<u8>);

/// Sitemap files hold at most this many URLs (the sitemaps.org limit).
pub const SITEMAP_LIMIT: usize = 50_000;

/// `sitemap.xml` (split with an index past the limit): indexable pages only.
pub fn sitemap(site: &Site, audience: Audience) -> Vec<Artifact> {
    let mut urls: Vec<(String, Option<String>)> = Vec::new();
    for s in &site.sections {
        if site.tiers.is_written(audience, s.tier) && site.tiers.is_indexable(s.tier) {
            urls.push((site.permalink(&s.path), None));
        }
    }
    for p in &site.pages {
        if site.tiers.is_written(audience, p.tier) && site.tiers.is_indexable(p.tier) {
            let lastmod =
                p.fm.updated
                    .as_ref()
                    .map(|u| u.value.date.to_string())
                    .or_else(|| p.date.map(|d| d.date.to_string()));
            urls.push((site.permalink(&p.path), lastmod));
        }
    }
    urls.sort();
    let chunk = |list: &[(String, Option<String>)]| {
        let mut x = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (loc, lastmod) in list {
            let _ = write!(x, "  <url>\n    <loc>{}</loc>\n", xml_escape(loc));
            if let Some(m) = lastmod {
                let _ = writeln!(x, "    <lastmod>{m}</lastmod>");
            }
            x.push_str("  </url>\n");
        }
        x.push_str("</urlset>\n");
        x.into_bytes()
    };
    if urls.len() <= SITEMAP_LIMIT {
        return vec![("/sitemap.xml".into(), chunk(&urls))];
    }
    let mut out = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, part) in urls.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("/sitemap-{}.xml", n + 1);
        let _ = writeln!(
            index,
            "  <sitemap>\n    <loc>{}</loc>\n  </sitemap>",
            xml_escape(&site.permalink(&name))
        );
        out.push((name, chunk(part)));
    }
    index.push_str("</sitemapindex>\n");
    out.push(("/sitemap.xml".into(), index.into_bytes()));
    out
}

/// `robots.txt`: points at the sitemap and keeps crawlers out of Hearth's internals.
pub fn robots(site: &Site) -> Artifact {
    let body = format!(
        "User-agent: *\nDisallow: {}/_hearth/\nAllow: /\n\nSitemap: {}\n",
        site.config.base_path(),
        site.permalink("/sitemap.xml")
    );
    ("/robots.txt".into(), body.into_bytes())
}

/// `syntax.css` for highlighted code, or a diagnostic naming the bad theme.
pub fn syntax_css(site: &Site) -> Result<Artifact, Diagnostic> {
    let md = &site.config.markdown;
    crate::markdown::highlight_css(&md.highlight_theme.value, &md.highlight_theme_dark.value)
        .map(|css| ("/syntax.css".to_string(), css.into_bytes()))
        .map_err(|(bad, names)| {
            let spanned = if bad == md.highlight_theme.value {
                &md.highlight_theme
            } else {
                &md.highlight_theme_dark
            };
            let src = crate::diagnostics::SourceText::new(&site.config.source);
            let help = match did_you_mean(&bad, names.iter().map(String::as_str)) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None => format!("available themes: {}", names.join(", ")),
            };
            let d = Diagnostic::error(
                crate::config::FILE,
                codes::CONFIG_INVALID,
                format!("unknown highlight theme `{bad}`"),
            )
            .with_help(help);
            if spanned.span.is_empty() {
                d
            } else {
                d.at(&src, spanned.span.clone())
            }
        })
}

/// One gated path in the access manifest.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct GatedPath {
    /// URL path (not encoded), e.g. `/handbook/` or `/handbook/photo.jpg`.
    pub path: String,
    /// Lowest tier that may fetch it.
    pub tier: String,
}

/// Every gated output path with its tier, for edge tooling and host rules.
pub fn gated_paths(site: &Site, audience: Audience) -> Vec<GatedPath> {
    let mut out = Vec::new();
    let mut add = |path: String, tier: Tier| {
        if tier.is_gated() && site.tiers.is_written(audience, tier) {
            out.push(GatedPath {
                path,
                tier: site.tiers.info(tier).id.clone(),
            });
        }
    };
    for s in &site.sections {
        add(s.path.clone(), s.tier);
    }
    for f in site.files.values() {
        add(f.path.clone(), f.tier);
    }
    for (path, (_, tier)) in &site.thumbs {
        add(path.clone(), *tier);
    }
    for (path, tier) in calendars::gated_feed_paths(site, audience) {
        add(path, tier);
    }
    for (path, tier) in feeds::gated_feed_paths(site, audience) {
        add(path, tier);
    }
    for (path, tier) in crate::search::gated_search_paths(site, audience) {
        add(path, tier);
    }
    for p in &site.pages {
        add(p.path.clone(), p.tier);
        for a in &p.aliases {
            add(a.clone(), p.tier);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `_hearth/access.json`: the manifest of gated paths.
pub fn access_manifest(site: &Site, audience: Audience) -> Artifact {
    let tiers: Vec<_> = site.tiers.all().map(|(_, t)| t).collect();
    let v = serde_json::json!({
        "generator": "hearth",
        "base_path": site.config.base_path(),
        "tiers": tiers,
        "gated": gated_paths(site, audience),
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    ("/_hearth/access.json".into(), s.into_bytes())
}

/// Escapes text for XML.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Gated paths grouped into rules: one per path, most specific first, with
/// every tier id that may read it (the tier and those above it).
fn rules(site: &Site, audience: Audience) -> Vec<(String, String, Vec<String>)> {
    let mut rules: Vec<(String, String, Vec<String>)> = gated_paths(site, audience)
        .into_iter()
        .map(|g| {
            let tier = site.tiers.lookup(&g.tier).unwrap_or(Tier::PUBLIC);
            let allowed = site
                .tiers
                .all()
                .filter(|(t, _)| site.tiers.may_see(*t, tier))
                .map(|(_, info)| info.id.clone())
                .collect();
            (
                format!(
                    "{}{}",
                    site.config.base_path(),
                    crate::content::paths::encode_path(&g.path)
                ),
                g.tier,
                allowed,
            )
        })
        .collect();
    // Longest (most specific) first: hosts that take the first match must see
    // a core page under a member section before the section's own rule.
    rules.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    rules
}

/// The path patterns that cover one gated path: a page folder and everything
/// in it, or a single file.
fn patterns(path: &str) -> Vec<String> {
    if path.ends_with('/') {
        vec![path.to_string(), format!("{path}*")]
    } else {
        vec![path.to_string()]
    }
}

/// Host rules generated from the access manifest: Netlify `_redirects` and
/// `_headers`, and nginx and Caddy snippets under `_hearth/`.
///
/// The manifest and the snippets themselves are denied to the public by the
/// same rules, so what the host enforces is visible only to the operator.
pub fn host_rules(site: &Site, audience: Audience) -> Vec<Artifact> {
    let base = site.config.base_path();
    let rules = rules(site, audience);
    let login = format!("{base}/404.html");
    let internal = format!("{base}/_hearth/*");

    let mut redirects = String::from(
        "# Generated by Hearth from _hearth/access.json: gated paths for Netlify role-based access.\n\
         # Each gated path is served to the listed roles (200!) and answered 401 otherwise.\n",
    );
    redirects.push_str(&format!("{internal}  {login}  404!\n"));
    for (path, tier, allowed) in &rules {
        for pat in patterns(path) {
            redirects.push_str(&format!("{pat}  200!  Role={}\n", allowed.join(",")));
            let fallback = site
                .tiers
                .info(site.tiers.lookup(tier).unwrap_or(Tier::PUBLIC))
                .join_url
                .as_deref()
                .map(|u| {
                    if u.starts_with('/') {
                        format!("{base}{u}")
                    } else {
                        u.to_string()
                    }
                })
                .unwrap_or_else(|| login.clone());
            redirects.push_str(&format!("{pat}  {fallback}  401!\n"));
        }
    }

    let mut headers = String::from(
        "# Generated by Hearth: calendar feeds are text/calendar; gated paths are never indexed.\n",
    );
    headers.push_str(&format!(
        "{base}/*.ics\n  Content-Type: text/calendar; charset=utf-8\n"
    ));
    headers.push_str(&format!("{internal}\n  X-Robots-Tag: noindex\n"));
    for (path, _, _) in &rules {
        for pat in patterns(path) {
            headers.push_str(&format!(
                "{pat}\n  X-Robots-Tag: noindex\n  Cache-Control: private, no-store\n"
            ));
        }
    }

    let mut nginx = String::from(
        "# Generated by Hearth. Include inside your `server { }` block.\n\
         # Requires an auth service answering 2xx (allowed) or 401/403 at the\n\
         # location /_hearth_auth below; it receives the required tier in X-Hearth-Tier.\n",
    );
    nginx.push_str("set $hearth_tier \"\";\n");
    nginx.push_str(&format!("location ^~ {base}/_hearth/ {{ return 404; }}\n"));
    nginx.push_str("location = /_hearth_auth {\n    internal;\n    proxy_pass http://127.0.0.1:9191/auth;  # your auth service\n    proxy_pass_request_body off;\n    proxy_set_header Content-Length \"\";\n    proxy_set_header X-Original-URI $request_uri;\n    proxy_set_header X-Hearth-Tier $hearth_tier;\n}\n");
    for (path, tier, _) in &rules {
        let kind = if path.ends_with('/') { "^~" } else { "=" };
        nginx.push_str(&format!(
            "location {kind} {path} {{\n    set $hearth_tier {tier};\n    auth_request /_hearth_auth;\n    add_header X-Robots-Tag noindex always;\n    try_files $uri $uri/index.html =404;\n}}\n"
        ));
    }

    let mut caddy = String::from(
        "# Generated by Hearth. Import inside your site block; set HEARTH_AUTH to your\n\
         # forward-auth service, which receives the required tier as ?tier=.\n",
    );
    caddy.push_str(&format!("respond {base}/_hearth/* 404\n"));
    for (path, tier, _) in &rules {
        let matcher = if path.ends_with('/') {
            format!("{path}*")
        } else {
            path.clone()
        };
        caddy.push_str(&format!(
            "route {matcher} {{\n    forward_auth {{$HEARTH_AUTH}} {{\n        uri /auth?tier={tier}\n    }}\n    header X-Robots-Tag noindex\n}}\n"
        ));
    }

    vec![
        ("/_redirects".into(), redirects.into_bytes()),
        ("/_headers".into(), headers.into_bytes()),
        ("/_hearth/nginx.conf".into(), nginx.into_bytes()),
        ("/_hearth/Caddyfile".into(), caddy.into_bytes()),
    ]
}
