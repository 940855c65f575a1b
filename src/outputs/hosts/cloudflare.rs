//! Cloudflare Pages: a `_worker.js` (Pages "advanced mode") that enforces
//! the tiers itself, from a verified Cloudflare Access identity.
//!
//! Pages has no roles in `_redirects`, and Access policies written by hand
//! drift from the site the day a page moves. The worker carries the rule
//! table of this very build, decodes and normalises each request path
//! before it looks, and serves the path it checked, so no spelling of a
//! URL reaches a file the check did not see (the worker's own comments say
//! how). It is tested with `wrangler pages dev`, which runs Cloudflare's
//! own `workerd`.

use serde_json::json;

use super::{INTERNAL, Plan};
use crate::diagnostics::Diagnostic;
use crate::outputs::Artifact;
use crate::outputs::access::Match;

/// The worker's code; its rule table is put in at build time.
const WORKER: &str = include_str!("worker.js");

/// The URL form of a page's file: `/join/index.html` → `/join/`, which is
/// what Pages serves without a redirect.
fn url_form(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// `_worker.js`.
pub fn files(plan: &Plan) -> Result<Vec<Artifact>, Diagnostic> {
    let base = plan.base();
    let deploy = &plan.site.config.deploy;
    let rules: Vec<_> = plan
        .rules
        .iter()
        .map(|r| {
            json!([
                format!("{base}{}", r.path).to_lowercase(),
                r.matches == Match::Folder,
                plan.site.tiers.index(r.tier)
            ])
        })
        .collect();
    let tiers: Vec<Vec<&str>> = plan
        .site
        .tiers
        .all()
        .map(|(t, _)| {
            if t.is_gated() {
                plan.groups(t)
            } else {
                Vec::new()
            }
        })
        .collect();
    let refusal: Vec<String> = plan
        .site
        .tiers
        .all()
        .map(|(t, _)| format!("{base}{}", url_form(&plan.refusal_page(t))))
        .collect();
    let internal: Vec<String> = INTERNAL
        .iter()
        .map(|p| format!("{base}{p}").to_lowercase())
        .collect();
    let config = json!({
        "base": base,
        "rules": rules,
        "tiers": tiers,
        "refusal": refusal,
        "internal": internal,
        "team": deploy.access_team.as_ref().map(|t| t.value.trim_end_matches('/')),
        "aud": deploy.access_aud.as_ref().map(|a| a.value.as_str()),
        "signIn": format!("{base}/_hearth/sign-in"),
        "notFound": format!("{base}/404.html"),
    });
    let code = WORKER
        .replacen("/*HEARTH_CANONICAL*/", super::CANONICAL_JS, 1)
        .replacen("/*HEARTH_CONFIG*/", &config.to_string(), 1);
    Ok(vec![Artifact::host_only("/_worker.js", code.into_bytes())])
}
