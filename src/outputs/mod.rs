//! Site-wide artifacts: sitemap, robots.txt, code stylesheet, access manifest.
//!
//! Each public artifact asks [`crate::tiers`] what it may include; none of
//! them compares tiers itself.

pub mod access;
pub mod calendars;
pub mod deploy;
pub mod feeds;
pub mod hosts;

use std::fmt::Write as _;

use crate::content::Site;
use crate::diagnostics::{Diagnostic, codes, did_you_mean};
use crate::tiers::{Audience, Tier};

/// A generated file and the lowest tier that may fetch it.
///
/// Every output carries its tier from where it is made to the sink, so the
/// access manifest and every host's rules are written from what was
/// actually written ([`access::Record`]), never worked out again.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// Site path with a leading slash (`/events/x/index.html`).
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Who may fetch it.
    pub tier: Tier,
}

impl Artifact {
    /// A file of `tier`.
    pub fn new(path: impl Into<String>, bytes: Vec<u8>, tier: Tier) -> Artifact {
        Artifact {
            path: path.into(),
            bytes,
            tier,
        }
    }

    /// A file everyone may fetch.
    pub fn public(path: impl Into<String>, bytes: Vec<u8>) -> Artifact {
        Artifact::new(path, bytes, Tier::PUBLIC)
    }

    /// A file for the host, never served (Netlify and Cloudflare do not
    /// serve `_redirects`, `_headers`, `_worker.js`; the nginx and Caddy
    /// rules refuse `/_hearth/`). It is written after the access record is
    /// closed, so it takes no part in the rules.
    pub fn host_only(path: impl Into<String>, bytes: Vec<u8>) -> Artifact {
        Artifact::new(path, bytes, Tier::PUBLIC)
    }
}

/// Receives each generated file as soon as it is made, from several
/// threads: a build's sink, or a map in `serve`.
pub type Emit<'a> = dyn Fn(Artifact) -> Result<(), Diagnostic> + Sync + 'a;

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
            let _ = write!(
                x,
                "  <url>\n    <loc>{}</loc>\n",
                crate::text::escape_html(loc)
            );
            if let Some(m) = lastmod {
                let _ = writeln!(x, "    <lastmod>{m}</lastmod>");
            }
            x.push_str("  </url>\n");
        }
        x.push_str("</urlset>\n");
        x.into_bytes()
    };
    if urls.len() <= SITEMAP_LIMIT {
        return vec![Artifact::public("/sitemap.xml", chunk(&urls))];
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
            crate::text::escape_html(&site.permalink(&name))
        );
        out.push(Artifact::public(name, chunk(part)));
    }
    index.push_str("</sitemapindex>\n");
    out.push(Artifact::public("/sitemap.xml", index.into_bytes()));
    out
}

/// Favicons made from the brand: when the site names none, an SVG with the
/// title's first letter on the primary colour (what browsers show in
/// tabs); always `favicon.ico`, for the browsers and tools that ask for it
/// by name whatever the page says, so no request for it 404s. A site's own
/// `static/favicon.*` wins over these.
pub fn favicons(site: &Site) -> Vec<Artifact> {
    let primary = site
        .config
        .brand
        .primary
        .as_ref()
        .and_then(|c| crate::config::parse_hex_color(&c.value))
        .unwrap_or((0x9c, 0x3d, 0x22));
    let initial: String = site
        .config
        .title
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    let (r, g, b) = primary;
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\"><rect width=\"64\" height=\"64\" rx=\"14\" fill=\"#{r:02x}{g:02x}{b:02x}\"/><text x=\"32\" y=\"44\" font-size=\"36\" font-weight=\"700\" text-anchor=\"middle\" fill=\"#fff\" font-family=\"system-ui, sans-serif\">{}</text></svg>\n",
        crate::text::escape_html(&initial)
    );
    let mut out = Vec::new();
    if site.config.brand.favicon.is_none() {
        out.push(Artifact::public("/favicon.svg", svg.into_bytes()));
    }
    if let Some(ico) = favicon_ico(primary) {
        out.push(Artifact::public("/favicon.ico", ico));
    }
    out
}

/// A 32×32 rounded square in the brand colour with a lighter dot, as ICO:
/// no font is at hand to draw a letter, and a tab needs only a colour
/// that is the site's.
fn favicon_ico((r, g, b): (u8, u8, u8)) -> Option<Vec<u8>> {
    let size = 32u32;
    let mut img = image::RgbaImage::new(size, size);
    let light = |c: u8| c.saturating_add(((255 - u16::from(c)) * 3 / 5) as u8);
    for (x, y, px) in img.enumerate_pixels_mut() {
        let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
        // Rounded corners of radius 7.
        let (cx, cy) = (fx.clamp(7.0, 25.0), fy.clamp(7.0, 25.0));
        let inside = (fx - cx).powi(2) + (fy - cy).powi(2) <= 49.0;
        let dot = (fx - 16.0).powi(2) + (fy - 16.0).powi(2) <= 36.0;
        *px = match (inside, dot) {
            (false, _) => image::Rgba([0, 0, 0, 0]),
            (true, true) => image::Rgba([light(r), light(g), light(b), 255]),
            (true, false) => image::Rgba([r, g, b, 255]),
        };
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, image::ImageFormat::Ico).ok()?;
    Some(bytes.into_inner())
}

/// `robots.txt`: points at the sitemap and keeps crawlers out of Hearth's internals.
pub fn robots(site: &Site) -> Artifact {
    let body = format!(
        "User-agent: *\nDisallow: {}/_hearth/\nAllow: /\n\nSitemap: {}\n",
        site.config.base_path(),
        site.permalink("/sitemap.xml")
    );
    Artifact::public("/robots.txt", body.into_bytes())
}

/// `syntax.css` for highlighted code, or a diagnostic naming the bad theme.
pub fn syntax_css(site: &Site) -> Result<Artifact, Diagnostic> {
    let md = &site.config.markdown;
    crate::markdown::highlight_css(&md.highlight_theme.value, &md.highlight_theme_dark.value)
        .map(|css| Artifact::public("/syntax.css", css.into_bytes()))
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
