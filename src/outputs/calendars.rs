//! iCalendar feeds: the public `calendar.ics`, one per tier (gated at that
//! tier), one per chapter, and `event.ics` beside every event.
//!
//! A feed is subscribed to, so it says what it is (name, description, how
//! often to refresh) and holds each event's whole text. An `event.ics` is
//! imported once, by "add to calendar": it holds the event, its zones and a
//! short description with the page's address, and none of the feed's
//! calendar-wide properties, which on a hub with 1,500 events would be the
//! same few hundred bytes written 1,500 times.
//!
//! A subscribed feed holds at most `[build] max_calendar_kb` of events:
//! every event still ahead at "now", then past ones, newest first, while
//! they fit ([`within_budget`]); the site keeps the whole archive.
//!
//! Which events each feed holds is asked of [`crate::tiers`]; the RFC 5545
//! text itself comes from [`crate::calendar`].

use crate::calendar::{self, IcsCalendar, IcsEvent, Organizer};
use crate::content::{KindData, Page, Site, event_status};
use crate::render::EventWhen;
use crate::tiers::{Audience, Tier};

use super::Artifact;

/// A calendar feed: its URL path, the tier that may fetch it, and its events.
struct Feed {
    path: String,
    tier: Tier,
    name: String,
    events: Vec<usize>,
    /// One event's own file (`event.ics`), imported rather than subscribed.
    single: bool,
}

/// The URL path of the feed for a gated tier.
pub fn tier_feed_path(site: &Site, tier_id: &str) -> String {
    site.lang_path(&format!("/calendar/{tier_id}.ics"))
}

/// The URL path of a section's own calendar (`calendar = true`).
pub fn section_feed_path(sec: &crate::content::Section) -> String {
    format!("{}calendar.ics", sec.path)
}

/// The URL path of an event's own `.ics`.
pub fn event_feed_path(page: &Page) -> String {
    format!("{}event.ics", page.path)
}

/// Every event page with valid times, in source order.
fn events(site: &Site) -> impl Iterator<Item = (usize, &Page)> {
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(&p.data, KindData::Event(_, Some(_))))
}

fn feeds(site: &Site, audience: Audience) -> Vec<Feed> {
    let reader_of_public = match audience {
        Audience::Edge => Tier::PUBLIC,
        Audience::Only(a) => a,
    };
    let mut out = Vec::new();
    let visible = |reader: Tier| -> Vec<usize> {
        events(site)
            .filter(|(_, p)| {
                site.tiers.may_see(reader, p.tier) && site.tiers.is_written(audience, p.tier)
            })
            .map(|(i, _)| i)
            .collect()
    };
    out.push(Feed {
        path: site.lang_path("/calendar.ics"),
        tier: Tier::PUBLIC,
        name: site.config.title.clone(),
        events: visible(reader_of_public),
        single: false,
    });
    for (tier, info) in site.tiers.all() {
        if !tier.is_gated() || !site.tiers.is_written(audience, tier) {
            continue;
        }
        out.push(Feed {
            path: tier_feed_path(site, &info.id),
            tier,
            name: format!("{} · {}", site.config.title, info.name),
            events: visible(tier),
            single: false,
        });
    }
    // Each chapter's events, grouped once: a site with a thousand chapters
    // would otherwise scan every page once per chapter.
    let mut by_chapter: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, p) in events(site) {
        if let KindData::Event(fm, _) = &p.data
            && let Some(c) = &fm.chapter
        {
            by_chapter.entry(c.value.as_str()).or_default().push(i);
        }
    }
    for chapter in site
        .pages
        .iter()
        .filter(|p| matches!(p.data, KindData::Chapter(_)))
    {
        if !site.tiers.is_written(audience, chapter.tier) {
            continue;
        }
        let reader = site.tiers.reader(audience, chapter.tier);
        let events = by_chapter
            .get(chapter.slug.as_str())
            .map(|list| {
                list.iter()
                    .copied()
                    .filter(|&i| {
                        let tier = site.pages[i].tier;
                        site.tiers.may_see(reader, tier) && site.tiers.is_written(audience, tier)
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(Feed {
            path: format!("{}calendar.ics", chapter.path),
            tier: chapter.tier,
            name: format!("{} · {}", site.config.title, chapter.title),
            events,
            single: false,
        });
    }
    // Sections that publish their own calendar (`calendar = true`): the
    // events in them and below, for a working group's members to
    // subscribe to its meetings alone.
    for (s, sec) in site.sections.iter().enumerate() {
        if !sec.fm.calendar || !site.tiers.is_written(audience, sec.tier) {
            continue;
        }
        let reader = site.tiers.reader(audience, sec.tier);
        let events = events(site)
            .filter(|(_, p)| site.ancestors(p.section).contains(&s))
            .filter(|(_, p)| {
                site.tiers.may_see(reader, p.tier) && site.tiers.is_written(audience, p.tier)
            })
            .map(|(i, _)| i)
            .collect();
        out.push(Feed {
            path: section_feed_path(sec),
            tier: sec.tier,
            name: format!("{} · {}", site.config.title, sec.title),
            events,
            single: false,
        });
    }
    for (i, p) in events(site) {
        if site.tiers.is_written(audience, p.tier) {
            out.push(Feed {
                path: event_feed_path(p),
                tier: p.tier,
                name: p.title.clone(),
                events: vec![i],
                single: true,
            });
        }
    }
    out
}

/// Stable across builds and unique per site: the event's path at the site's host.
pub fn uid(site: &Site, page: &Page) -> String {
    let host = site.config.origin().split("://").nth(1).unwrap_or("hearth");
    // An event made from a data record names itself: its UID stays when
    // the record moves or its title changes, so subscribers see no double.
    if let KindData::Event(fm, _) = &page.data
        && let Some(uid) = &fm.uid
    {
        return format!("{}@{host}", uid.trim());
    }
    // One event in every language has one UID: a subscriber to two
    // languages' feeds sees it once. The path without the language prefix.
    let path = page
        .path
        .strip_prefix(site.lang.prefix.as_str())
        .unwrap_or(&page.path);
    let path = crate::content::paths::encode_path(path.trim_matches('/')).replace('/', "-");
    format!("{path}@{host}")
}

/// The feed event of an event page (None for other pages and events
/// without a time). Public so the micro-benchmarks time the build's own call.
pub fn ics_event(site: &Site, page: &Page) -> Option<IcsEvent> {
    let KindData::Event(fm, Some(time)) = &page.data else {
        return None;
    };
    let tz = &site.tz;
    // DTSTAMP must not depend on when the build ran: use the event's own
    // `updated` date, else its first start.
    let updated = page.fm.updated.as_ref().map(|u| u.value.timestamp(tz));
    let dtstamp = updated.unwrap_or_else(|| time.start().timestamp());
    let mut ev = IcsEvent::new(
        uid(site, page),
        dtstamp,
        (**time).clone(),
        page.title.clone(),
    );
    let mut description = page.md.plain.clone();
    if let Some(reg) = &fm.registration {
        description.push_str(&format!("\n\n{reg}"));
    }
    ev.description = (!description.trim().is_empty()).then_some(description);
    ev.url = Some(site.permalink(&page.path));
    if let Some(loc) = &fm.location {
        let parts: Vec<&str> = [
            loc.name.as_deref(),
            loc.address.as_deref(),
            loc.url.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
        ev.location = (!parts.is_empty()).then(|| parts.join(", "));
        ev.geo = loc.geo.map(|[lat, lon]| (lat, lon));
    }
    ev.status = event_status(fm).unwrap_or(calendar::EventStatus::Scheduled);
    if let Some(email) = site.config.extra.get("email").and_then(|v| v.as_str()) {
        ev.organizer = Some(Organizer {
            name: Some(site.config.title.clone()),
            contact: email.to_string(),
        });
    }
    ev.categories = page.tags.clone();
    ev.last_modified = updated;
    Some(ev)
}

/// The event of an `event.ics`: the feed's event with a short
/// description (the page's own description, else its summary, then the
/// registration link and the page's address, which some clients show
/// rather than `URL`). The page holds the rest; a feed keeps the whole text.
pub fn single_event(site: &Site, page: &Page) -> Option<IcsEvent> {
    let mut ev = ics_event(site, page)?;
    let KindData::Event(fm, _) = &page.data else {
        return Some(ev);
    };
    let brief = page
        .fm
        .description
        .as_deref()
        .unwrap_or(&page.md.summary_text)
        .trim();
    let lines: Vec<&str> = [Some(brief), fm.registration.as_deref(), ev.url.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
    ev.description = (!lines.is_empty()).then(|| lines.join("\n\n"));
    Some(ev)
}

/// Every calendar feed of the build, with the tier each is served at.
pub fn calendars(site: &Site, audience: Audience, times: &[EventWhen]) -> Vec<Artifact> {
    let written = Written::new(site, times);
    feeds(site, audience)
        .into_iter()
        .map(|feed| write_feed(site, feed, &written))
        .collect()
}

/// [`calendars`], each handed to `emit` as soon as it is written, from
/// both cores: on a 100,000-page hub the feeds are 150 MB that a list
/// would hold at once, and one thread writing them all sat on the
/// critical path of the build.
pub fn calendars_into(
    site: &Site,
    audience: Audience,
    times: &[EventWhen],
    emit: &super::Emit,
) -> Result<Vec<crate::diagnostics::Diagnostic>, crate::diagnostics::Diagnostic> {
    use rayon::prelude::*;
    let written = Written::new(site, times);
    feeds(site, audience)
        .into_par_iter()
        .try_for_each(|feed| emit(write_feed(site, feed, &written)))?;
    Ok(written.warnings(site))
}

/// Each event as a feed holds it, made and written on first use by
/// page index: an event is in the public feed, each tier's and its
/// chapter's, and its text is the same in all of them.
/// Beside them, where each event stands at "now" (in page order, as the
/// events listing sees it).
struct Written<'e> {
    events: Vec<std::sync::OnceLock<Option<(IcsEvent, String)>>>,
    times: &'e [EventWhen],
    /// Feeds whose events ahead alone passed the budget: path, events, bytes.
    over: std::sync::Mutex<Vec<(String, usize, usize)>>,
}

impl<'e> Written<'e> {
    fn new(site: &Site, times: &'e [EventWhen]) -> Written<'e> {
        Written {
            events: (0..site.pages.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            times,
            over: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// A warning for each feed written past its budget.
    fn warnings(self, site: &Site) -> Vec<crate::diagnostics::Diagnostic> {
        use crate::diagnostics::{Diagnostic, codes};
        let kb = &site.config.build.max_calendar_kb;
        let mut over = self.over.into_inner().unwrap_or_else(|e| e.into_inner());
        over.sort();
        over.into_iter()
            .map(|(path, events, bytes)| {
                let d = Diagnostic::warning(
                    crate::config::FILE,
                    codes::CALENDAR_SIZE,
                    format!(
                        "{path} holds {events} events still ahead, {} KiB of them, over [build] max_calendar_kb = {}: Google Calendar stops reading a subscription past about 1 MB",
                        bytes / 1024,
                        kb.value
                    ),
                )
                .with_help(
                    "give groups their own feeds (`calendar = true` on a section, or a chapter per city), or raise max_calendar_kb if your members' calendar apps take more",
                );
                site.config.place(d, &kb.span)
            })
            .collect()
    }

    /// Whether page `i` has an occurrence ahead (the listing's "upcoming"),
    /// and when its last occurrence began (the listing's order of the past).
    fn recency(&self, i: usize) -> Recency {
        let when = EventWhen::of(self.times, i);
        Recency {
            ahead: when.is_some_and(|w| w.next.is_some()),
            last_start: when
                .and_then(|w| w.last.as_ref())
                .map_or(jiff::Timestamp::MIN, |o| o.start.timestamp()),
        }
    }
}

/// Where an event stands at "now", for a feed past its budget.
#[derive(Debug, Clone, Copy)]
struct Recency {
    ahead: bool,
    last_start: jiff::Timestamp,
}

/// The events of a subscribed feed that fit in `budget` bytes of event
/// text (`0`: all of them), in their feed order: every event still ahead,
/// then past events from the latest back, until the next would not fit.
/// Events ahead are kept even past the budget: a feed without the next
/// meeting would be wrong in every app, one a little large only in some.
/// Also returns the number and bytes of the events ahead when they alone
/// pass the budget.
fn within_budget(
    events: &[usize],
    size: impl Fn(usize) -> usize,
    recency: impl Fn(usize) -> Recency,
    budget: usize,
) -> (Vec<usize>, Option<(usize, usize)>) {
    let total: usize = events.iter().map(|&i| size(i)).sum();
    if budget == 0 || total <= budget {
        return (events.to_vec(), None);
    }
    let mut keep = vec![false; events.len()];
    let mut used = 0;
    let mut past = Vec::new();
    for (n, &i) in events.iter().enumerate() {
        let r = recency(i);
        if r.ahead {
            keep[n] = true;
            used += size(i);
        } else {
            past.push((std::cmp::Reverse(r.last_start), n));
        }
    }
    past.sort_unstable();
    let over = (used > budget).then(|| (events.len() - past.len(), used));
    for (_, n) in past {
        used += size(events[n]);
        if used > budget {
            break;
        }
        keep[n] = true;
    }
    let kept = events
        .iter()
        .zip(keep)
        .filter_map(|(&i, k)| k.then_some(i))
        .collect();
    (kept, over)
}

/// The calendar a feed is written in (without its name and description).
fn calendar_of(site: &Site) -> IcsCalendar {
    let mut cal = IcsCalendar::new(format!(
        "-//Hearth//{}//EN",
        site.config.title.replace("//", "/")
    ));
    cal.postponed_prefix = site.strings.get("calendar_postponed").to_string();
    cal
}

/// One feed as an artifact.
fn write_feed(site: &Site, feed: Feed, written: &Written) -> Artifact {
    let mut cal = calendar_of(site);
    if feed.single {
        // Imported once: no name, description, zone hint or refresh
        // interval (those describe a subscription).
        cal.refresh = None;
        let events: Vec<IcsEvent> = feed
            .events
            .iter()
            .filter_map(|&i| single_event(site, &site.pages[i]))
            .collect();
        let text = calendar::write_calendar(&cal, &events);
        return Artifact::new(feed.path, text.into_bytes(), feed.tier);
    }
    cal.name = Some(feed.name);
    cal.description =
        (!site.config.description.is_empty()).then(|| site.config.description.clone());
    cal.timezone_hint = Some(site.config.timezone.value.clone());
    // An event's text depends on its calendar only through
    // `postponed_prefix`, the same in every feed of the site: whichever
    // feed writes it first writes it for all.
    let event = |i: usize| {
        written.events[i]
            .get_or_init(|| {
                let ev = ics_event(site, &site.pages[i])?;
                let text = calendar::event_text(&cal, &ev);
                Some((ev, text))
            })
            .as_ref()
            .map(|(e, t)| (e, t.as_str()))
    };
    let (kept, over) = within_budget(
        &feed.events,
        |i| event(i).map_or(0, |(_, t)| t.len()),
        |i| written.recency(i),
        site.config.build.max_calendar_kb.value.saturating_mul(1024),
    );
    if let Some((events, bytes)) = over {
        written
            .over
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((feed.path.clone(), events, bytes));
    }
    let events: Vec<(&IcsEvent, &str)> = kept.iter().filter_map(|&i| event(i)).collect();
    let text = calendar::write_calendar_of(&cal, &events);
    Artifact::new(feed.path, text.into_bytes(), feed.tier)
}
