//! What each host runs to keep gated pages gated, written from the one
//! table of [`super::access`] rules.
//!
//! Each host matches request paths its own way, so each writer emits the
//! form its host compares: nginx, Caddy and Netlify match the decoded path,
//! so rules are written in UTF-8 as the files are named; the Cloudflare
//! worker decodes and normalises the path itself before it looks. A path a
//! host cannot express safely (a quote in an nginx path, a space in a
//! Netlify rule) fails the build with [`codes::HOST_RULE`]: a rule that
//! does not hold is never written.
//!
//! Who is a member is the host's identity service's answer, never
//! Hearth's: tiers map to groups (`[[tiers]] groups`), and each host is
//! told which groups may read each path (Netlify Identity roles,
//! Cloudflare Access groups, oauth2-proxy's `allowed_groups`).

pub mod caddy;
pub mod cloudflare;
pub mod netlify;
pub mod nginx;

use serde::Serialize;

use super::Artifact;
use super::access::{self, Record, Rule};
use crate::config::Host;
use crate::content::Site;
use crate::diagnostics::{Diagnostic, codes};
use crate::tiers::{Audience, Tier};

/// What every host writer works from.
pub struct Plan<'a> {
    /// The loaded site (config, tiers).
    pub site: &'a Site,
    /// The gated-path rules, most specific first.
    pub rules: &'a [Rule],
    /// Every written file, for pages a refusal may show.
    pub record: &'a Record,
}

impl Plan<'_> {
    /// The URL path the site lives under (`/club`), or empty.
    pub fn base(&self) -> &str {
        self.site.config.base_path()
    }

    /// Identity groups that may read what `rule` covers.
    pub fn groups(&self, tier: Tier) -> Vec<&str> {
        self.site.tiers.allowed_groups(tier)
    }

    /// The public page shown (with a 401 or 403 status) to a visitor who
    /// may not read a page of `tier`: the tier's `join_url` when it is a
    /// public page of this site, else the 404 page. A site path of a file.
    pub fn refusal_page(&self, tier: Tier) -> String {
        let join = self.site.tiers.info(tier).join_url.as_deref().unwrap_or("");
        let path = join.split(['#', '?']).next().unwrap_or("");
        if path.starts_with('/') && !path.starts_with("//") {
            let file = if path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            let written = self.record.files().any(|(p, _)| p == file);
            if written && !access::tier_of(&self.site.tiers, self.rules, &file).is_gated() {
                return file;
            }
        }
        "/404.html".into()
    }

    /// A diagnostic for a path this host cannot express safely, placed on
    /// what made the path: an alias, a `slug`, or the file or folder name.
    pub fn cannot(&self, host: &str, path: &str, why: &str) -> Diagnostic {
        let message = format!("{host} cannot gate `{path}` safely: {why}");
        let help = "rename the page or file so its path has no such character, or choose another [deploy] host";
        let site = self.site;
        for p in &site.pages {
            let src = p.src.source_text();
            for a in &p.fm.aliases {
                let cleaned = crate::content::paths::clean_site_path(&a.value).unwrap_or_default();
                let under = path == cleaned
                    || (cleaned.ends_with('/') && path.starts_with(&cleaned))
                    || path == cleaned.trim_end_matches('/');
                if !cleaned.is_empty() && under {
                    return Diagnostic::error(&p.src.file, codes::HOST_RULE, message)
                        .at(&src, a.span.clone())
                        .with_help("write the alias without spaces or quotes (it is a URL path)");
                }
            }
            if path.starts_with(&p.path) || path == p.path.trim_end_matches('/') {
                let d = Diagnostic::error(&p.src.file, codes::HOST_RULE, message.clone());
                return match &p.fm.slug {
                    Some(slug) if !slug.span.is_empty() => {
                        d.at(&src, slug.span.clone()).with_help(help)
                    }
                    _ => d.with_help(help),
                };
            }
        }
        if let Some(f) = site.files.values().find(|f| f.path == path) {
            let file = f
                .src
                .strip_prefix(&site.root)
                .unwrap_or(&f.src)
                .to_string_lossy()
                .into_owned();
            return Diagnostic::error(file, codes::HOST_RULE, message).with_help(help);
        }
        Diagnostic::error(crate::config::FILE, codes::HOST_RULE, message).with_help(help)
    }
}

/// The path normalisation the generated edge code shares (the Cloudflare
/// worker, the Netlify edge function): one reading of a request path.
pub const CANONICAL_JS: &str = include_str!("canonical.js");

/// Host-only files that no visitor may fetch, whatever the host: the
/// manifest and snippets under `_hearth/`, and the rule files of hosts
/// that would otherwise serve them as static files.
pub const INTERNAL: [&str; 4] = ["/_hearth/", "/_redirects", "/_headers", "/_worker.js"];

/// One entry of `_hearth/access.json`.
#[derive(Debug, Serialize)]
struct Gated<'a> {
    path: &'a str,
    tier: &'a str,
    #[serde(rename = "match")]
    matches: access::Match,
}

/// `_hearth/access.json`, then the named host's own files: everything a
/// host needs to gate the build, from the record of what was written.
pub fn files(site: &Site, record: &Record) -> Result<Vec<Artifact>, Diagnostic> {
    if site.audience != Audience::Edge || !site.tiers.has_gated() {
        return Ok(Vec::new());
    }
    let rules = access::rules(&site.tiers, record).map_err(|why| {
        Diagnostic::error(
            crate::config::FILE,
            codes::HOST_RULE,
            format!("the access rules do not match what was written: {why}"),
        )
        .with_help("this is a bug in Hearth; please report it with the site that shows it")
    })?;
    let plan = Plan {
        site,
        rules: &rules,
        record,
    };
    let mut out = vec![manifest(&plan)];
    match site.config.deploy.host() {
        Some(Host::Netlify) => out.extend(netlify::files(&plan)?),
        Some(Host::Cloudflare) => out.extend(cloudflare::files(&plan)?),
        Some(Host::Nginx) => out.extend(nginx::files(&plan)?),
        Some(Host::Caddy) => out.extend(caddy::files(&plan)?),
        Some(Host::Static | Host::Github) | None => {}
    }
    Ok(out)
}

/// `_hearth/access.json`: the tier ladder and every gated rule, for edge
/// tooling of a host Hearth has no writer for.
fn manifest(plan: &Plan) -> Artifact {
    let site = plan.site;
    let tiers: Vec<_> = site
        .tiers
        .all()
        .map(|(t, info)| {
            serde_json::json!({
                "id": info.id,
                "name": info.name,
                "join_url": info.join_url,
                "description": info.description,
                "gated": info.gated,
                "groups": plan.groups(t),
            })
        })
        .collect();
    let gated: Vec<Gated> = plan
        .rules
        .iter()
        .map(|r| Gated {
            path: &r.path,
            tier: &site.tiers.info(r.tier).id,
            matches: r.matches,
        })
        .collect();
    let v = serde_json::json!({
        "generator": "hearth",
        "base_path": site.config.base_path(),
        "host": site.config.deploy.host().map(Host::name),
        "tiers": tiers,
        "gated": gated,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    Artifact::host_only("/_hearth/access.json", s.into_bytes())
}

/// The rule file(s) the named host must apply, for the build's summary.
pub fn rules_files(host: Host) -> &'static str {
    match host {
        Host::Netlify => {
            "_redirects and _headers, and the edge function in _hearth/netlify/edge-functions (netlify.toml: edge_functions)"
        }
        Host::Cloudflare => "_worker.js (Cloudflare Pages runs it in advanced mode)",
        Host::Nginx => "_hearth/nginx.conf (include it in the server block)",
        Host::Caddy => "_hearth/Caddyfile (import it in the site block)",
        Host::Static | Host::Github => "none",
    }
}

/// The gated pages and sections of the site, whatever this build wrote.
fn gated_items(site: &Site) -> usize {
    site.pages.iter().filter(|p| p.tier.is_gated()).count()
        + site.sections.iter().filter(|s| s.tier.is_gated()).count()
}

/// `1 gated page`, `2 gated pages`.
fn pages(n: usize) -> String {
    format!("{n} gated page{}", if n == 1 { "" } else { "s" })
}

/// One line for people after a build: how many gated pages were written
/// and what the host must apply, or how many were left out and why.
pub fn summary(site: &Site) -> Option<String> {
    let n = gated_items(site);
    if n == 0 {
        return None;
    }
    match (site.audience, site.config.deploy.host()) {
        (Audience::Edge, Some(h)) if h.enforces_tiers() => Some(format!(
            "{} written for {}; the host must apply {}",
            pages(n),
            h.name(),
            rules_files(h)
        )),
        (Audience::Edge, _) => Some(format!(
            "{} written; no [deploy] host is named, so only _hearth/access.json lists them",
            pages(n)
        )),
        (Audience::Only(t), host) if !t.is_gated() => Some(format!(
            "public pages only: {} left out{}",
            pages(n),
            match host {
                Some(Host::Static) => " (deploy.host = \"static\")",
                Some(Host::Github) => " (deploy.host = \"github\")",
                Some(_) => " (--audience public)",
                None => " (no [deploy] host that can enforce tiers is named)",
            }
        )),
        _ => None,
    }
}

/// The warning for a site with gated pages that no named host can enforce:
/// they are not published, which is safe but may not be what the
/// organizer meant.
pub fn unenforced(site: &Site) -> Option<Diagnostic> {
    let n = gated_items(site);
    let host = site.config.deploy.host.as_ref();
    if n == 0 || host.is_some_and(|h| h.value.enforces_tiers()) {
        return None;
    }
    let names: Vec<&str> = Host::ALL
        .iter()
        .filter(|h| h.enforces_tiers())
        .map(|h| h.name())
        .collect();
    let (message, help) = match host {
        Some(h) => (
            format!(
                "{} not published: deploy.host = \"{}\" serves every file to everyone, so a build writes the public pages only",
                pages(n),
                h.value.name()
            ),
            "to publish them, name a host that can gate them; to publish a members' copy elsewhere, build it with `--audience TIER`".to_string(),
        ),
        None => (
            format!(
                "{} not published: no [deploy] host that can enforce tiers is named",
                pages(n)
            ),
            format!(
                "add `[deploy]` with `host = \"{}\"` (docs/deploying.md), or `host = \"static\"` to publish the public pages only",
                names.join("\" | \"")
            ),
        ),
    };
    let d =
        Diagnostic::warning(crate::config::FILE, codes::TIERS_UNENFORCED, message).with_help(help);
    Some(match host {
        Some(h) => site.config.place(d, &h.span),
        None => d,
    })
}
