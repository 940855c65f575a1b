//! Atom feeds: the site's (news and recaps), one per section that opts in
//! with `feed = true`, each per audience.
//!
//! The public feed holds only what the tiers module lets the public read;
//! each gated tier gets its own feed under `/feeds/TIER/`, gated at that tier.

use std::fmt::Write as _;

use crate::content::{Kind, Page, Site};
use crate::tiers::{Audience, Tier};

use super::Artifact;
use crate::text::escape_html as xml_escape;

/// Entries per feed: readers only look at the recent ones.
pub const FEED_LIMIT: usize = 30;

/// One feed to write: path, tier it is served at, title, its pages.
struct Feed {
    path: String,
    tier: Tier,
    title: String,
    pages: Vec<usize>,
}

/// Pages that belong in the site feed: dated news and recaps, not events
/// (they have the calendar) or profiles.
fn in_site_feed(site: &Site, p: &Page) -> bool {
    p.date.is_some()
        && matches!(p.kind, Kind::Activity | Kind::Page)
        && matches!(
            site.sections[p.section].kind,
            Kind::Activities | Kind::Section
        )
}

/// The [`FEED_LIMIT`] newest of `pages`, newest first (ties by path).
/// Each date is placed in the site's zone once, and only the newest are
/// sorted: a feed of 40,000 recaps used to sort them all, converting two
/// dates per comparison.
fn newest_first(site: &Site, pages: Vec<usize>) -> Vec<usize> {
    let mut keyed: Vec<(Option<jiff::Timestamp>, usize)> = pages
        .into_iter()
        .map(|i| (site.pages[i].date.map(|d| d.timestamp(&site.tz)), i))
        .collect();
    let order = |a: &(Option<jiff::Timestamp>, usize), b: &(Option<jiff::Timestamp>, usize)| {
        b.0.cmp(&a.0)
            .then_with(|| site.pages[a.1].path.cmp(&site.pages[b.1].path))
    };
    if keyed.len() > FEED_LIMIT {
        keyed.select_nth_unstable_by(FEED_LIMIT - 1, order);
        keyed.truncate(FEED_LIMIT);
    }
    keyed.sort_by(order);
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// The path of the site feed a tier reads (`/atom.xml` for the public).
pub fn site_feed_path(site: &Site, tier: Tier) -> String {
    if tier.is_gated() {
        site.lang_path(&format!("/feeds/{}/atom.xml", site.tiers.info(tier).id))
    } else {
        site.lang_path("/atom.xml")
    }
}

fn feeds(site: &Site, audience: Audience) -> Vec<Feed> {
    let readers: Vec<Tier> = match audience {
        // At the edge every tier gets its own site feed, the public one plain.
        Audience::Edge => site.tiers.all().map(|(t, _)| t).collect(),
        Audience::Only(a) => vec![a],
    };
    let mut out = Vec::new();
    for reader in readers {
        let visible = |p: &Page| {
            site.tiers.may_see(reader, p.tier) && site.tiers.is_written(audience, p.tier)
        };
        let path = match audience {
            Audience::Edge => site_feed_path(site, reader),
            Audience::Only(_) => site.lang_path("/atom.xml"),
        };
        let title = match (audience, reader.is_gated()) {
            (Audience::Edge, true) => {
                format!("{} · {}", site.config.title, site.tiers.info(reader).name)
            }
            _ => site.config.title.clone(),
        };
        let pages = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| in_site_feed(site, p) && visible(p))
            .map(|(i, _)| i)
            .collect();
        out.push(Feed {
            path,
            tier: if matches!(audience, Audience::Edge) {
                reader
            } else {
                Tier::PUBLIC
            },
            title,
            pages: newest_first(site, pages),
        });
        // Section feeds are read by whoever may read the section.
        for sec in site.sections.iter().filter(|s| s.fm.feed) {
            if !site.tiers.is_written(audience, sec.tier)
                || site.tiers.reader(audience, sec.tier) != reader
            {
                continue;
            }
            let pages = sec
                .pages
                .iter()
                .copied()
                .filter(|&i| visible(&site.pages[i]))
                .collect();
            out.push(Feed {
                path: format!("{}atom.xml", sec.path),
                tier: sec.tier,
                title: format!("{} · {}", site.config.title, sec.title),
                pages: newest_first(site, pages),
            });
        }
    }
    out
}

/// RFC 3339 in UTC, as Atom wants.
fn rfc3339(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn write_feed(site: &Site, feed: &Feed) -> String {
    let updated_of = |p: &Page| {
        p.fm.updated
            .as_ref()
            .map(|u| u.value.timestamp(&site.tz))
            .or_else(|| p.date.map(|d| d.timestamp(&site.tz)))
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    };
    // The feed changed when its newest entry did: deterministic, unlike "now".
    let updated = feed
        .pages
        .iter()
        .map(|&i| updated_of(&site.pages[i]))
        .max()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let self_url = site.permalink(&feed.path);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        xml_escape(&site.config.language.value),
        xml_escape(&feed.title)
    );
    if !site.config.description.is_empty() {
        let _ = writeln!(
            x,
            "  <subtitle>{}</subtitle>",
            xml_escape(&site.config.description)
        );
    }
    let _ = write!(
        x,
        "  <id>{}</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n  <generator>Hearth</generator>\n",
        xml_escape(&self_url),
        xml_escape(&self_url),
        xml_escape(&site.permalink("/")),
        rfc3339(updated),
        xml_escape(&site.config.title)
    );
    for &i in &feed.pages {
        let p = &site.pages[i];
        let link = site.permalink(&p.path);
        let published = p
            .date
            .map(|d| d.timestamp(&site.tz))
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let _ = write!(
            x,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n",
            xml_escape(&p.title),
            xml_escape(&link),
            xml_escape(&link),
            rfc3339(published),
            rfc3339(updated_of(p))
        );
        for t in &p.tags {
            let _ = writeln!(x, "    <category term=\"{}\"/>", xml_escape(t));
        }
        let summary =
            p.fm.description
                .clone()
                .unwrap_or_else(|| p.md.summary_text.clone());
        if !summary.is_empty() {
            let _ = writeln!(x, "    <summary>{}</summary>", xml_escape(&summary));
        }
        let _ = writeln!(
            x,
            "    <content type=\"html\" xml:base=\"{}\">{}</content>\n  </entry>",
            xml_escape(&link),
            xml_escape(&p.md.html)
        );
    }
    x.push_str("</feed>\n");
    x
}

/// Every Atom feed of the build, with the tier each is served at.
pub fn atom_feeds(site: &Site, audience: Audience) -> Vec<Artifact> {
    feeds(site, audience)
        .into_iter()
        .map(|f| {
            let text = write_feed(site, &f);
            Artifact::new(f.path, text.into_bytes(), f.tier)
        })
        .collect()
}
