//! What sections and pages share in reading front matter: a typed struct
//! from the parsed node, unknown fields named with the nearest known one,
//! and the tier a file declares checked against the one it inherits.
//!
//! Every problem is a diagnostic on the line that causes it, and reading
//! goes on with a default, so one file shows all of its mistakes at once.

use crate::config;
use crate::diagnostics::{Diagnostic, SourceText, codes, did_you_mean};
use crate::spanned::{self, Node, Spanned};
use crate::tiers::{Tier, TierError, Tiers};

/// Deserializes a typed struct from front matter, turning problems into diagnostics.
pub(super) fn typed<'a, T: serde::Deserialize<'a> + Default>(
    node: Option<&'a Node>,
    file: &str,
    src: &SourceText<'_>,
    diags: &mut Vec<Diagnostic>,
) -> T {
    let Some(node) = node else {
        return T::default();
    };
    let (result, unknown) = spanned::from_node::<T>(node, false);
    for u in unknown {
        diags.push(config::unknown_key_diagnostic(
            file,
            src,
            &u,
            codes::FM_UNKNOWN_FIELD,
            false,
        ));
    }
    match result {
        Ok(v) => v,
        Err(e) => {
            let span = e.span.clone().unwrap_or(node.span.clone());
            let (code, help) = if e.message.starts_with("invalid date") {
                (
                    codes::FM_DATE,
                    "write dates as YYYY-MM-DD, optionally with a time: 2026-11-02T20:00",
                )
            } else if e.message.starts_with("missing field") {
                (
                    codes::FM_MISSING,
                    "add the field; docs/front-matter.md lists the fields of each kind",
                )
            } else {
                (
                    codes::FM_INVALID,
                    "docs/front-matter.md shows the expected form of every field",
                )
            };
            let message = if e.path.is_empty() {
                e.message.clone()
            } else {
                format!("`{}`: {}", e.path, e.message)
            };
            diags.push(
                Diagnostic::error(file, code, message)
                    .at(src, span)
                    .with_help(help),
            );
            T::default()
        }
    }
}

/// `a` or `an` before a kind's name, so messages read as sentences.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Warns about every top-level field none of `allowed` knows, with the
/// nearest known one: an unknown field is ignored, so a typo in a field
/// name would otherwise change nothing, silently. A warning, not an error,
/// so a site keeps building while someone fixes it.
///
/// `untitled` is the name a page without a title is shown by: a misspelt
/// `title` on such a page says so in its message, since the typo is why
/// the page has none. Returns whether some field was taken for `title`
/// (the page's own "no title" warning is then this one).
pub(super) fn check_top_keys(
    node: Option<&Node>,
    allowed: &[&'static [&'static str]],
    file: &str,
    src: &SourceText<'_>,
    kind: &str,
    untitled: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let Some(node) = node else { return false };
    let all: Vec<&str> = allowed.iter().flat_map(|a| a.iter().copied()).collect();
    let mut meant_title = false;
    for (k, _) in node.entries() {
        if !all.contains(&k.name.as_str()) {
            let near = did_you_mean(&k.name, all.iter().copied());
            let help = match near {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("fields of a {kind}: {}", all.join(", ")),
            };
            let mut message = format!("unknown field `{}` for {} {kind}", k.name, article(kind));
            if let (Some("title"), Some(shown)) = (near, untitled) {
                meant_title = true;
                message.push_str(&format!(", which has no title: it is shown as `{shown}`"));
            }
            diags.push(
                Diagnostic::warning(file, codes::FM_UNKNOWN_FIELD, message)
                    .at(src, k.span.clone())
                    .with_help(help),
            );
        }
    }
    meant_title
}

/// The tier of a page or section: the declared one when it is on the
/// ladder and not below the inherited one, else the inherited one, with an
/// error on the declaration. Falling back to the inherited (higher or equal)
/// tier means a mistake can only hide a page, never expose it.
pub(super) fn resolve_tier(
    tiers: &Tiers,
    declared: Option<&Spanned<String>>,
    inherited: Tier,
    file: &str,
    src: &SourceText<'_>,
    parent_file: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Tier {
    match tiers.resolve(declared.map(|d| d.value.as_str()), inherited) {
        Ok(t) => t,
        Err(TierError::Unknown(near)) => {
            let d = declared.expect("unknown implies declared");
            let help = match near {
                Some(n) => format!("did you mean \"{n}\"?"),
                None => format!(
                    "tiers in hearth.toml: {}",
                    tiers.ids().collect::<Vec<_>>().join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(
                    file,
                    codes::UNKNOWN_TIER,
                    format!("unknown tier `{}`", d.value),
                )
                .at(src, d.span.clone())
                .with_help(help),
            );
            inherited
        }
        Err(TierError::Lowered { inherited }) => {
            let d = declared.expect("lowered implies declared");
            let from = parent_file.unwrap_or("its section");
            diags.push(
                Diagnostic::error(
                    file,
                    codes::TIER_LOWERED,
                    format!(
                        "tier `{}` is lower than `{}`, which {} sets for everything in it",
                        d.value,
                        tiers.info(inherited).id,
                        from
                    ),
                )
                .at(src, d.span.clone())
                .with_help(format!("a page can only raise its section's tier: remove this line, or change the tier in {from}")),
            );
            inherited
        }
    }
}
