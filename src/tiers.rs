//! The tier ladder and every visibility decision.
//!
//! Hearth's first promise is that gated text never reaches a public file. That
//! is only checkable if one module answers "may output X include item P for
//! audience A?": feeds, sitemap, search, calendars, listings, meta tags and
//! templates all ask here, and nothing else compares tiers.

use serde::Serialize;

use crate::config::{Config, GatedListing};

/// A rung of the ladder, as a page, a file or an audience carries it.
///
/// Deliberately not ordered outside this module: whether one tier may see
/// another is a visibility decision, and every such decision is a method
/// of [`Tiers`], so none can be made elsewhere with a bare `<`:
///
/// ```compile_fail
/// use hearth::tiers::Tier;
/// let lower = Tier::PUBLIC < Tier::default(); // no ordering outside tiers.rs
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Tier(u8);

impl Tier {
    /// Everyone, the implied bottom of the ladder.
    pub const PUBLIC: Tier = Tier(0);

    /// Whether this tier hides content from the public.
    pub fn is_gated(self) -> bool {
        self.0 > Tier::PUBLIC.0
    }
}

/// One rung, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct TierInfo {
    /// Identifier used in front matter.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Where to learn how to join.
    pub join_url: Option<String>,
    /// One sentence about it.
    pub description: Option<String>,
    /// Whether it hides content from the public.
    pub gated: bool,
    /// Identity groups that hold this tier (empty for `public`).
    #[serde(skip)]
    pub groups: Vec<String>,
}

/// How an aggregate shows an item to its audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Listing {
    /// Title, summary, everything.
    Full,
    /// Title with a lock; no summary, body, photos or tags.
    Locked,
    /// Not listed at all.
    Hidden,
}

/// Who a build (or one output of it) is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every page is written and marked; the host gates by path (`hearth build`).
    Edge,
    /// Only what this tier may see is written (`hearth build --audience TIER`).
    Only(Tier),
}

/// The ordered ladder from `hearth.toml`, `public` first.
#[derive(Debug, Clone)]
pub struct Tiers {
    rungs: Vec<TierInfo>,
    gated_listing: GatedListing,
}

/// Why a declared tier was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TierError {
    /// Not on the ladder; carries the nearest id, if any.
    Unknown(Option<String>),
    /// Lower than the section it is in (sections cascade; children may only raise).
    Lowered {
        /// The inherited tier.
        inherited: Tier,
    },
}

impl Tiers {
    /// Builds the ladder from the validated config.
    pub fn from_config(config: &Config) -> Tiers {
        let public_name = crate::i18n::Strings::for_config(config)
            .get("tier_public")
            .to_string();
        let mut rungs = vec![TierInfo {
            id: "public".into(),
            name: public_name,
            join_url: None,
            description: None,
            gated: false,
            groups: Vec::new(),
        }];
        rungs.extend(config.tiers.iter().map(|t| TierInfo {
            id: t.id.value.clone(),
            name: t.name.clone(),
            join_url: t.join_url.clone(),
            description: t.description.clone(),
            gated: true,
            groups: if t.groups.is_empty() {
                vec![t.id.value.clone()]
            } else {
                t.groups.clone()
            },
        }));
        Tiers {
            rungs,
            gated_listing: config.gated_listing,
        }
    }

    /// The tier with this id.
    pub fn lookup(&self, id: &str) -> Option<Tier> {
        self.rungs
            .iter()
            .position(|r| r.id == id)
            .map(|i| Tier(i as u8))
    }

    /// Resolves a declared tier under an inherited one (a section's).
    ///
    /// An undeclared tier inherits; a declared one may raise it but never lower it.
    pub fn resolve(&self, declared: Option<&str>, inherited: Tier) -> Result<Tier, TierError> {
        let Some(id) = declared else {
            return Ok(inherited);
        };
        let tier = self.lookup(id).ok_or_else(|| {
            TierError::Unknown(
                crate::diagnostics::did_you_mean(id, self.rungs.iter().map(|r| r.id.as_str()))
                    .map(str::to_string),
            )
        })?;
        if tier.0 < inherited.0 {
            return Err(TierError::Lowered { inherited });
        }
        Ok(tier)
    }

    /// Rung details for templates and manifests.
    pub fn info(&self, tier: Tier) -> &TierInfo {
        &self.rungs[self.index(tier)]
    }

    /// Every rung, lowest first.
    pub fn all(&self) -> impl Iterator<Item = (Tier, &TierInfo)> {
        self.rungs
            .iter()
            .enumerate()
            .map(|(i, r)| (Tier(i as u8), r))
    }

    /// Where `tier` is in [`Tiers::all`]: the index of its entry in a table
    /// made with one entry per tier (the navigation each tier reads, the
    /// tier values templates get). A position, not a rank to compare:
    /// visibility is asked with [`Tiers::may_see`] and its kin.
    pub fn index(&self, tier: Tier) -> usize {
        usize::from(tier.0).min(self.rungs.len() - 1)
    }

    /// The ids, lowest first, for "did you mean" help.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rungs.iter().map(|r| r.id.as_str())
    }

    /// May `audience` read an item of tier `item` in full?
    pub fn may_see(&self, audience: Tier, item: Tier) -> bool {
        item.0 <= audience.0
    }

    /// How a listing, feed or other aggregate for `audience` shows an item of tier `item`.
    pub fn listing(&self, audience: Tier, item: Tier) -> Listing {
        if self.may_see(audience, item) {
            Listing::Full
        } else {
            match self.gated_listing {
                GatedListing::Title => Listing::Locked,
                GatedListing::Hidden => Listing::Hidden,
            }
        }
    }

    /// Whether a page of tier `item` is written at all in a build for `audience`.
    pub fn is_written(&self, audience: Audience, item: Tier) -> bool {
        match audience {
            Audience::Edge => true,
            Audience::Only(a) => self.may_see(a, item),
        }
    }

    /// Who reads a page of tier `page`, and so what its listings may show: at
    /// the edge only that tier reaches the page; in a single-audience build
    /// every page is read by that audience alone.
    pub fn reader(&self, audience: Audience, page: Tier) -> Tier {
        match audience {
            Audience::Edge => page,
            Audience::Only(a) => a,
        }
    }

    /// The identity groups that may read an item of tier `item`: the
    /// groups of that tier and of every tier above it, so a core member
    /// needs only the core group to read member pages too.
    pub fn allowed_groups(&self, item: Tier) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (t, info) in self.all() {
            if self.may_see(t, item) && t.is_gated() {
                for g in &info.groups {
                    if !out.contains(&g.as_str()) {
                        out.push(g);
                    }
                }
            }
        }
        out
    }

    /// Who a published build is for. A host that refuses requests by
    /// identity gets every page, marked (the edge); a static host, or none
    /// named, gets the public pages only, so a forgotten setting never
    /// publishes the handbook. A site without tiers has nothing to gate and
    /// builds the same either way.
    pub fn publish_audience(&self, host: Option<crate::config::Host>) -> Audience {
        match host {
            _ if !self.has_gated() => Audience::Edge,
            Some(h) if h.enforces_tiers() => Audience::Edge,
            _ => Audience::Only(Tier::PUBLIC),
        }
    }

    /// Whether any tier hides content (a site without `[[tiers]]` has no
    /// gated pages and needs no host rules).
    pub fn has_gated(&self) -> bool {
        self.rungs.len() > 1
    }

    /// The lower of two tiers: the tier a folder is served at is the lowest
    /// of the files in it, so a prefix rule never hides a file from a
    /// reader who may see it.
    pub fn lower(&self, a: Tier, b: Tier) -> Tier {
        if self.may_see(a, b) { b } else { a }
    }

    /// The higher of two tiers: a path covered by several rules is served
    /// at the strictest of them.
    pub fn higher(&self, a: Tier, b: Tier) -> Tier {
        if self.may_see(a, b) { a } else { b }
    }

    /// Whether a sitemap, robots-indexable meta or search engine may see this page.
    pub fn is_indexable(&self, item: Tier) -> bool {
        !item.is_gated()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ladder() -> Tiers {
        let c = crate::config::parse(
            "title='t'\nbase_url='https://a.org'\n[[tiers]]\nid='member'\nname='M'\n[[tiers]]\nid='core'\nname='C'\n",
        )
        .unwrap();
        Tiers::from_config(&c)
    }

    #[test]
    fn children_may_raise_but_not_lower() {
        let t = ladder();
        let member = t.lookup("member").unwrap();
        let core = t.lookup("core").unwrap();
        assert_eq!(t.resolve(None, member), Ok(member));
        assert_eq!(t.resolve(Some("core"), member), Ok(core));
        assert_eq!(
            t.resolve(Some("public"), member),
            Err(TierError::Lowered { inherited: member })
        );
        assert_eq!(
            t.resolve(Some("membre"), Tier::PUBLIC),
            Err(TierError::Unknown(Some("member".into())))
        );
    }

    #[test]
    fn public_listings_lock_gated_items() {
        let t = ladder();
        let core = t.lookup("core").unwrap();
        assert_eq!(t.listing(Tier::PUBLIC, core), Listing::Locked);
        assert_eq!(t.listing(core, core), Listing::Full);
        assert!(!t.is_written(Audience::Only(Tier::PUBLIC), core));
        assert!(t.is_written(Audience::Edge, core));
    }
}
