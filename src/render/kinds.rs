//! Template data of each community kind: events, recaps, members, chapters,
//! the FAQ, and the home page's gatherings of them.
//!
//! Every cross-reference (a host, a chapter, a recap) goes through
//! [`Prepared::link`] or [`Prepared::listed`], which ask the tiers module how
//! the reader may see the target; nothing here compares tiers itself.

use serde::Serialize;
use tera::Value;

use super::Prepared;
use crate::calendar::{self, EventTime, LinkText, Occurrence};
use crate::content::{Item, Kind, KindData, Page, Site};
use crate::tiers::{Listing, Tier};

/// A cross-reference as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Target title.
    pub title: String,
    /// Its URL, `None` when not written for this audience.
    pub url: Option<String>,
    /// Shown with a lock (the reader may not open it).
    pub locked: bool,
}

/// An image with its size and thumbnail.
#[derive(Debug, Clone, Serialize)]
struct Img {
    url: String,
    width: u32,
    height: u32,
    thumb_url: String,
    thumb_width: u32,
    thumb_height: u32,
    alt: String,
    caption: Option<String>,
}

/// Pages that name a member as host, or a chapter, found in one pass over the
/// site so that member and chapter pages do not each scan every page. Every
/// list is newest first (pages without a date last, then in site order).
#[derive(Debug, Default)]
pub struct Naming {
    /// Member id → recaps and events they host.
    pub hosted: rustc_hash::FxHashMap<String, Named>,
    /// Chapter id → its members, events and recaps.
    pub in_chapter: rustc_hash::FxHashMap<String, Named>,
    /// Every recap.
    pub activities: Vec<usize>,
}

/// Pages of each kind that name one member or chapter.
#[derive(Debug, Default)]
pub struct Named {
    /// Member pages.
    pub members: Vec<usize>,
    /// Event pages.
    pub events: Vec<usize>,
    /// Recap pages.
    pub activities: Vec<usize>,
}

impl Named {
    fn push(&mut self, kind: Kind, page: usize) {
        let list = match kind {
            Kind::Member => &mut self.members,
            Kind::Event => &mut self.events,
            Kind::Activity => &mut self.activities,
            _ => return,
        };
        if list.last() != Some(&page) {
            list.push(page);
        }
    }
}

impl Naming {
    /// What [`Naming::new`] reads of a page: its date (the order), hosts
    /// and chapter; `None` for kinds it does not index.
    pub fn fields(pg: &Page) -> Option<(Option<jiff::civil::DateTime>, Vec<&str>, Option<&str>)> {
        let (hosts, chapter) = match &pg.data {
            KindData::Activity(a) => (&a.hosts[..], a.chapter.as_ref()),
            KindData::Event(e, _) => (&e.hosts[..], e.chapter.as_ref()),
            KindData::Member(m) => (&[][..], m.chapter.as_ref()),
            _ => return None,
        };
        Some((
            pg.date.map(|d| d.datetime()),
            hosts.iter().map(|h| h.value.as_str()).collect(),
            chapter.map(|c| c.value.as_str()),
        ))
    }

    /// Indexes hosts and chapters of every page; `dates` are the pages'
    /// dates by index.
    pub fn new(site: &Site, dates: &[Option<jiff::civil::DateTime>]) -> Naming {
        // One pass in page order (each page read once, where it lies in
        // memory), then each list sorted newest first by a stable sort over
        // `dates`, so pages of one date keep their order. `serve` makes
        // this after every save: at 100,000 pages, visiting the pages in
        // date order was most of its cost.
        let mut n = Naming::default();
        let add = |map: &mut rustc_hash::FxHashMap<String, Named>, id: &str, kind, p| match map
            .get_mut(id)
        {
            Some(named) => named.push(kind, p),
            None => map.entry(id.to_string()).or_default().push(kind, p),
        };
        for (p, pg) in site.pages.iter().enumerate() {
            let (hosts, chapter) = match &pg.data {
                KindData::Activity(a) => (&a.hosts[..], a.chapter.as_ref()),
                KindData::Event(e, _) => (&e.hosts[..], e.chapter.as_ref()),
                KindData::Member(m) => (&[][..], m.chapter.as_ref()),
                _ => continue,
            };
            for h in hosts {
                add(&mut n.hosted, &h.value, pg.kind, p);
            }
            if let Some(c) = chapter {
                add(&mut n.in_chapter, &c.value, pg.kind, p);
            }
            if pg.kind == Kind::Activity {
                n.activities.push(p);
            }
        }
        let newest_first =
            |list: &mut Vec<usize>| list.sort_by_key(|&p| std::cmp::Reverse(dates[p]));
        for named in n.hosted.values_mut().chain(n.in_chapter.values_mut()) {
            newest_first(&mut named.members);
            newest_first(&mut named.events);
            newest_first(&mut named.activities);
        }
        newest_first(&mut n.activities);
        n
    }
}

/// How many upcoming occurrences an event page lists.
const NEXT_OCCURRENCES: usize = 5;

/// How far ahead upcoming views look.
const HORIZON_DAYS: i64 = 400;

/// An event's place relative to "now".
#[derive(Debug, Clone)]
pub struct EventWhen {
    /// The page.
    pub page: usize,
    /// The next occurrence that has not ended, if any.
    pub next: Option<Occurrence>,
    /// The last occurrence that has ended, if any.
    pub last: Option<Occurrence>,
}

impl EventWhen {
    /// Page `page`'s entry of `times` (which are in page order, as
    /// [`crate::render::PreparedData::event_times`] makes them).
    pub fn of(times: &[EventWhen], page: usize) -> Option<&EventWhen> {
        let at = times.binary_search_by_key(&page, |w| w.page).ok()?;
        Some(&times[at])
    }
}

/// Upcoming events (soonest first) and past ones (latest first).
pub(super) type EventOrder = std::sync::Arc<(Vec<usize>, Vec<usize>)>;

impl<'s> Prepared<'s> {
    /// A link to item `target` as `reader` may see it; `None` when hidden.
    pub(super) fn link(&self, reader: Tier, target: Item) -> Option<Link> {
        let (title, url, locked) = self.shown(reader, target)?;
        Some(Link {
            title: title.to_string(),
            url,
            locked,
        })
    }

    /// What `reader` sees of item `target` in a list: its title, its URL
    /// (when written for this build's audience) and whether it is locked;
    /// `None` when hidden. Links and the sidebar tree both ask here.
    pub(super) fn shown(
        &self,
        reader: Tier,
        target: Item,
    ) -> Option<(&'s str, Option<String>, bool)> {
        let site = self.site;
        let (title, path, tier) = match target {
            Item::Page(i) => (
                &site.pages[i].title,
                &site.pages[i].path,
                site.pages[i].tier,
            ),
            Item::Section(i) => (
                &site.sections[i].title,
                &site.sections[i].path,
                site.sections[i].tier,
            ),
        };
        let locked = match site.tiers.listing(reader, tier) {
            Listing::Full => false,
            Listing::Locked => true,
            Listing::Hidden => return None,
        };
        let url = site
            .tiers
            .is_written(self.audience, tier)
            .then(|| site.url(path));
        Some((title, url, locked))
    }

    fn member_link(&self, reader: Tier, id: &str) -> Option<Link> {
        match self.site.find(Kind::Member, id) {
            Some(i) => self.link(reader, Item::Page(i)),
            None => self.fallback_link(reader, Kind::Member, id),
        }
    }

    fn chapter_link(&self, reader: Tier, id: &str) -> Option<Link> {
        match self.site.find(Kind::Chapter, id) {
            Some(i) => self.link(reader, Item::Page(i)),
            None => self.fallback_link(reader, Kind::Chapter, id),
        }
    }

    /// The default language's page of a member or chapter this language
    /// has not translated.
    fn fallback_link(&self, reader: Tier, kind: Kind, id: &str) -> Option<Link> {
        let site = self.site;
        let (title, path, tier) = site.fallback.as_ref()?.ids.get(&(kind, id.to_string()))?;
        let locked = match site.tiers.listing(reader, *tier) {
            Listing::Full => false,
            Listing::Locked => true,
            Listing::Hidden => return None,
        };
        Some(Link {
            title: title.clone(),
            url: site
                .tiers
                .is_written(self.audience, *tier)
                .then(|| site.url(path)),
            locked,
        })
    }

    /// An image of page `page`'s bundle, with its measured size.
    fn image(&self, page: &Page, name: &str, alt: &str, caption: Option<&str>) -> Option<Img> {
        let site = self.site;
        let rel = format!("{}{name}", page.src.rel.trim_end_matches("index.md"));
        let file = site.files.get(&rel)?;
        let meta = site.images.get(&rel);
        let (width, height) = meta.map(|m| (m.width, m.height)).unwrap_or((0, 0));
        let (thumb_url, thumb_width, thumb_height) = match meta.and_then(|m| m.thumb.as_ref()) {
            Some((p, w, h)) => (site.url(p), *w, *h),
            None => (site.url(&file.path), width, height),
        };
        Some(Img {
            url: site.url(&file.path),
            width,
            height,
            thumb_url,
            thumb_width,
            thumb_height,
            alt: alt.to_string(),
            caption: caption.map(str::to_string),
        })
    }

    /// The picture a card shows: a recap's first photo, a member's avatar.
    pub(super) fn card_image(&self, pg: &Page) -> Option<Value> {
        let img = match &pg.data {
            KindData::Activity(a) => a
                .photos
                .first()
                .and_then(|p| self.image(pg, &p.file.value, p.alt.as_deref().unwrap_or(""), None)),
            KindData::Member(m) => m
                .avatar
                .as_ref()
                .and_then(|a| self.image(pg, &a.value, "", None)),
            _ => None,
        };
        img.map(|i| Value::from_serializable(&i))
    }

    /// Where every event stands relative to now, computed once per build.
    pub(super) fn event_times(site: &Site, now: jiff::Timestamp) -> Vec<EventWhen> {
        let horizon = now
            .checked_add(jiff::SignedDuration::from_hours(24 * HORIZON_DAYS))
            .unwrap_or(now);
        site.pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match &p.data {
                KindData::Event(_, Some(t)) => Some((i, t)),
                _ => None,
            })
            .map(|(i, t)| {
                // A one-off event far ahead is still upcoming, whatever the horizon.
                let next = t
                    .occurrences(now, horizon, 1)
                    .into_iter()
                    .next()
                    .or_else(|| {
                        let first = t.first_occurrence();
                        (first.end.timestamp() > now).then_some(first)
                    });
                let start = t.start().timestamp();
                let last = if start < now {
                    t.occurrences(start, now, calendar::MAX_COUNT as usize)
                        .into_iter()
                        .rfind(|o| o.end.timestamp() <= now)
                } else {
                    None
                };
                EventWhen {
                    page: i,
                    next,
                    last,
                }
            })
            .collect()
    }

    fn when_of(&self, page: usize) -> Option<&EventWhen> {
        EventWhen::of(self.events(), page)
    }

    /// "2026年12月12日 周六 20:00–22:00" / "Sat 12 Dec 2026, 20:00–22:00".
    fn occurrence_display(&self, o: &Occurrence, t: &EventTime) -> String {
        let strings = &self.strings;
        let day = |d: jiff::civil::Date| strings.date_with_weekday(d);
        if o.all_day {
            let (first, last) = (o.first_day(), o.last_day());
            return if first == last {
                day(first)
            } else {
                format!("{} – {}", day(first), day(last))
            };
        }
        let (s, e) = (&o.start, &o.end);
        let hm = |z: &jiff::ZonedDateTime| format!("{:02}:{:02}", z.hour(), z.minute());
        let sep = strings.get("date_time_separator");
        let mut text = if !t.has_explicit_end() {
            // No end was written: show the start only, never an invented end.
            format!("{}{sep}{}", day(s.date()), hm(s))
        } else if s.date() == e.date() {
            format!("{}{sep}{}–{}", day(s.date()), hm(s), hm(e))
        } else {
            format!("{} {} – {} {}", day(s.date()), hm(s), day(e.date()), hm(e))
        };
        if t.tz_name() != self.site.config.timezone.value {
            text.push_str(&format!(" ({})", t.tz_name()));
        }
        text
    }

    /// `page.event`, computed once per page and reader: events appear on
    /// their page, the events index, the home page, chapter and member pages.
    pub(super) fn event_value(&self, i: usize, reader: Tier) -> Option<Value> {
        if !matches!(self.site.pages[i].data, KindData::Event(..)) {
            return None;
        }
        self.event_cache
            .get_or_make((i, reader), || self.event_value_uncached(i, reader))
    }

    fn event_value_uncached(&self, i: usize, reader: Tier) -> Option<Value> {
        let site = self.site;
        let pg = &site.pages[i];
        let KindData::Event(fm, time) = &pg.data else {
            return None;
        };
        let mut v = serde_json::Map::new();
        let status = match crate::content::event_status(fm) {
            Some(calendar::EventStatus::Cancelled) => "cancelled",
            Some(calendar::EventStatus::Postponed) => "postponed",
            _ => "scheduled",
        };
        v.insert("status".into(), status.into());
        v.insert(
            "registration".into(),
            safe_url(fm.registration.as_deref()).into(),
        );
        // An empty `[location]` (as `hearth new event` writes it) is no
        // location; a place with an address but no name is named by it.
        let written = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let location = fm.location.as_ref().filter(|l| {
            written(&l.name).is_some() || written(&l.address).is_some() || written(&l.url).is_some()
        }).map(|l| {
            let map_url = match (l.geo, &l.address) {
                (Some([lat, lon]), _) => Some(format!(
                    "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
                )),
                (None, Some(a)) => Some(format!(
                    "https://www.openstreetmap.org/search?query={}",
                    percent_encoding::utf8_percent_encode(a, percent_encoding::NON_ALPHANUMERIC)
                )),
                _ => None,
            };
            let name = written(&l.name).or_else(|| written(&l.address));
            serde_json::json!({"name": name, "address": written(&l.address), "url": safe_url(l.url.as_deref()), "map_url": map_url})
        });
        v.insert("location".into(), location.into());
        let chapter = fm
            .chapter
            .as_ref()
            .and_then(|c| self.chapter_link(reader, &c.value));
        v.insert(
            "chapter".into(),
            serde_json::to_value(chapter).unwrap_or_default(),
        );
        let hosts: Vec<Link> = fm
            .hosts
            .iter()
            .filter_map(|h| self.member_link(reader, &h.value))
            .collect();
        v.insert(
            "hosts".into(),
            serde_json::to_value(hosts).unwrap_or_default(),
        );
        let recap = self
            .recaps
            .get(&i)
            .copied()
            .and_then(|a| self.link(reader, Item::Page(a)));
        v.insert(
            "recap".into(),
            serde_json::to_value(recap).unwrap_or_default(),
        );
        v.insert(
            "uid".into(),
            crate::outputs::calendars::uid(site, pg).into(),
        );
        v.insert("now_iso".into(), self.now.to_string().into());
        let ics = site.url(&crate::outputs::calendars::event_feed_path(pg));
        v.insert("ics_url".into(), ics.into());
        let feed = if pg.tier.is_gated() {
            crate::outputs::calendars::tier_feed_path(site, &site.tiers.info(pg.tier).id)
        } else {
            site.lang_path("/calendar.ics")
        };
        let feed_url = site.permalink(&feed);
        v.insert("subscribe_url".into(), feed_url.clone().into());
        v.insert(
            "webcal_url".into(),
            feed_url
                .replacen("https://", "webcal://", 1)
                .replacen("http://", "webcal://", 1)
                .into(),
        );
        if let Some(t) = time {
            let when = self.when_of(i);
            let shown = when
                .and_then(|w| w.next.clone())
                .or_else(|| when.and_then(|w| w.last.clone()))
                .unwrap_or_else(|| t.first_occurrence());
            v.insert("all_day".into(), t.all_day().into());
            v.insert("timezone".into(), t.tz_name().into());
            v.insert(
                "timezone_name".into(),
                calendar::zone_name(t.tz_name(), &site.config.language.value).into(),
            );
            v.insert(
                "start_display".into(),
                self.occurrence_display(&shown, t).into(),
            );
            v.insert("start_iso".into(), iso(&shown.start, shown.all_day).into());
            v.insert("end_iso".into(), iso(&shown.end, shown.all_day).into());
            v.insert(
                "past".into(),
                when.is_some_and(|w| w.next.is_none() && w.last.is_some())
                    .into(),
            );
            let lang = &site.config.language.value;
            v.insert("ritual".into(), t.describe_for(lang, &site.tz).into());
            let next: Vec<serde_json::Value> = if t.rule().is_some() {
                let horizon = self
                    .now
                    .checked_add(jiff::SignedDuration::from_hours(24 * HORIZON_DAYS))
                    .unwrap_or(self.now);
                t.occurrences(self.now, horizon, NEXT_OCCURRENCES)
                    .iter()
                    .map(|o| {
                        serde_json::json!({
                            "start_display": self.occurrence_display(o, t),
                            "start_iso": iso(&o.start, o.all_day),
                            "end_iso": iso(&o.end, o.all_day),
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            v.insert("next".into(), next.into());
            let text = LinkText {
                summary: &pg.title,
                details: &site.permalink(&pg.path),
                location: &fm
                    .location
                    .as_ref()
                    .map(|l| {
                        [l.name.as_deref(), l.address.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
            };
            // What each service can express of a series is the calendar
            // module's call (calendar/links.rs).
            v.insert(
                "google_url".into(),
                calendar::google_calendar_link(&text, t, &shown).into(),
            );
            v.insert(
                "outlook_url".into(),
                calendar::outlook_link(&text, &shown).into(),
            );
            v.insert("jsonld".into(), self.event_jsonld(pg, fm, &shown).into());
        }
        Some(Value::from_serializable(&v))
    }

    /// schema.org Event as a JSON string, safe inside `<script>`.
    fn event_jsonld(
        &self,
        pg: &Page,
        fm: &crate::content::frontmatter::EventFm,
        o: &Occurrence,
    ) -> String {
        let site = self.site;
        let status = match crate::content::event_status(fm) {
            Some(calendar::EventStatus::Cancelled) => "https://schema.org/EventCancelled",
            Some(calendar::EventStatus::Postponed) => "https://schema.org/EventPostponed",
            _ => "https://schema.org/EventScheduled",
        };
        let loc = fm.location.as_ref();
        let online = loc.and_then(|l| l.url.clone());
        let place = loc.filter(|l| l.name.is_some() || l.address.is_some()).map(|l| {
            let mut p = serde_json::json!({"@type": "Place", "name": l.name, "address": l.address});
            if let Some([lat, lon]) = l.geo {
                p["geo"] = serde_json::json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon});
            }
            p
        });
        let mode = match (&online, &place) {
            (Some(_), Some(_)) => "https://schema.org/MixedEventAttendanceMode",
            (Some(_), None) => "https://schema.org/OnlineEventAttendanceMode",
            _ => "https://schema.org/OfflineEventAttendanceMode",
        };
        let mut locations = Vec::new();
        if let Some(p) = place {
            locations.push(p);
        }
        if let Some(u) = online {
            locations.push(serde_json::json!({"@type": "VirtualLocation", "url": u}));
        }
        let v = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "inLanguage": site.config.language.value,
            "name": pg.title,
            "description": pg.fm.description.clone().unwrap_or_else(|| pg.md.summary_text.clone()),
            "url": site.permalink(&pg.path),
            "startDate": iso(&o.start, o.all_day),
            "endDate": iso(&o.end, o.all_day),
            "eventStatus": status,
            "eventAttendanceMode": mode,
            "location": if locations.len() == 1 { locations[0].clone() } else { serde_json::Value::Array(locations) },
            "organizer": {"@type": "Organization", "name": site.config.title, "url": site.permalink("/")},
        });
        v.to_string().replace("</", "<\\/")
    }

    /// `page.activity`: the event it came from, chapter, hosts, photos.
    pub(super) fn activity_value(&self, i: usize, reader: Tier) -> Option<Value> {
        let site = self.site;
        let pg = &site.pages[i];
        let KindData::Activity(a) = &pg.data else {
            return None;
        };
        let event = a
            .event
            .as_ref()
            .and_then(|e| site.resolve_ref(&pg.src, &e.value))
            .and_then(|it| self.link(reader, it));
        let chapter = a
            .chapter
            .as_ref()
            .and_then(|c| self.chapter_link(reader, &c.value));
        let hosts: Vec<Link> = a
            .hosts
            .iter()
            .filter_map(|h| self.member_link(reader, &h.value))
            .collect();
        let photos: Vec<Img> = a
            .photos
            .iter()
            .filter_map(|p| {
                self.image(
                    pg,
                    &p.file.value,
                    p.alt.as_deref().unwrap_or(""),
                    p.caption.as_deref(),
                )
            })
            .collect();
        Some(Value::from_serializable(&serde_json::json!({
            "event": event, "chapter": chapter, "hosts": hosts, "photos": photos,
        })))
    }

    fn cards(&self, reader: Tier, pages: &[usize]) -> Vec<Value> {
        pages
            .iter()
            .filter_map(|&p| self.listed(reader, p))
            .collect()
    }

    /// `page.member`: roles, chapter, avatar, links, showcase, what they host.
    pub(super) fn member_value(&self, i: usize, reader: Tier) -> Option<Value> {
        let site = self.site;
        let pg = &site.pages[i];
        let KindData::Member(m) = &pg.data else {
            return None;
        };
        let id = pg.slug.as_str();
        let roles = self.roles_of(m);
        let chapter = m
            .chapter
            .as_ref()
            .and_then(|c| self.chapter_link(reader, &c.value));
        let avatar = m
            .avatar
            .as_ref()
            .and_then(|a| self.image(pg, &a.value, &pg.title, None));
        let links: Vec<serde_json::Value> = m
            .links
            .iter()
            .filter_map(|(label, url)| {
                safe_url(Some(url)).map(|url| serde_json::json!({"label": label, "url": url}))
            })
            .collect();
        let showcase: Vec<serde_json::Value> = m
            .showcase
            .iter()
            .map(|w| {
                let image = w.image.as_ref().and_then(|img| self.image(pg, &img.value, &w.title, None));
                serde_json::json!({"title": w.title, "url": safe_url(w.url.as_deref()), "description": w.description, "image": image})
            })
            .collect();
        let hosted = self.naming.hosted.get(id);
        let activities = self.cards(reader, hosted.map_or(&[][..], |h| &h.activities));
        let hosting = hosted.map_or(&[][..], |h| &h.events);
        let mut events_order = self.upcoming(hosting);
        events_order.extend(self.past(hosting));
        let events = self.event_cards(reader, &events_order);
        let mut map = Value::from_serializable(&serde_json::json!({
            "id": id,
            "roles": roles,
            "chapter": chapter,
            "joined": m.joined.as_ref().map(|j| j.value.date.to_string()),
            "joined_display": m.joined.as_ref().map(|j| self.strings.date(j.value.date)),
            "avatar": avatar,
            "links": links,
            "showcase": showcase,
        }))
        .into_map()
        .unwrap_or_default();
        map.insert("activities".into(), Value::from(activities));
        map.insert("events".into(), Value::from(events));
        Some(Value::from(map))
    }

    fn roles_of(&self, m: &crate::content::frontmatter::MemberFm) -> Vec<serde_json::Value> {
        // In the order the config lists them, so "organizer" always comes first.
        self.site
            .config
            .roles
            .iter()
            .filter(|r| m.roles.iter().any(|x| x.value == r.id))
            .map(|r| serde_json::json!({"id": r.id, "name": r.name}))
            .collect()
    }

    /// `page.chapter`: organizers, members, upcoming events, recent recaps.
    pub(super) fn chapter_value(&self, i: usize, reader: Tier) -> Option<Value> {
        let site = self.site;
        let pg = &site.pages[i];
        let KindData::Chapter(c) = &pg.data else {
            return None;
        };
        let id = pg.slug.as_str();
        let organizers: Vec<Link> = c
            .organizers
            .iter()
            .filter_map(|o| self.member_link(reader, &o.value))
            .collect();
        let named = self.naming.in_chapter.get(id);
        let mut members = named.map_or_else(Vec::new, |n| n.members.clone());
        members.sort_by_cached_key(|&p| {
            let t = &site.pages[p].title;
            (crate::text::collation_key(t), t.clone())
        });
        let events = self.upcoming(named.map_or(&[][..], |n| &n.events));
        let activities = named.map_or(&[][..], |n| &n.activities);
        let mut map = Value::from_serializable(&serde_json::json!({
            "id": id,
            "city": c.city,
            "meets": c.meets,
            "timezone": c.timezone.as_ref().map(|t| t.value.clone()),
            "timezone_name": c.timezone.as_ref().map(|t| calendar::zone_name(&t.value, &site.config.language.value)),
            "organizers": organizers,
            "calendar_url": site.url(&format!("{}calendar.ics", pg.path)),
        }))
        .into_map()
        .unwrap_or_default();
        map.insert(
            "members".into(),
            Value::from(self.member_cards(reader, &members)),
        );
        map.insert(
            "events".into(),
            Value::from(self.event_cards(reader, &events)),
        );
        map.insert(
            "activities".into(),
            Value::from(self.cards(reader, &activities[..activities.len().min(6)])),
        );
        Some(Value::from(map))
    }

    /// The first photo of a recap, as an absolute URL for sharing cards.
    pub(super) fn first_photo_url(&self, pg: &Page) -> Option<String> {
        let KindData::Activity(a) = &pg.data else {
            return None;
        };
        let photo = a.photos.first()?;
        let rel = format!(
            "{}{}",
            pg.src.rel.trim_end_matches("index.md"),
            photo.file.value
        );
        self.site
            .files
            .get(&rel)
            .map(|f| self.site.permalink(&f.path))
    }

    /// Which recap (activity page) tells of each event, found once per build.
    pub(super) fn recap_map(site: &Site) -> rustc_hash::FxHashMap<usize, usize> {
        let mut map = rustc_hash::FxHashMap::default();
        for (a, p) in site.pages.iter().enumerate() {
            if let KindData::Activity(act) = &p.data
                && let Some(e) = &act.event
                && let Some(Item::Page(ev)) = site.resolve_ref(&p.src, &e.value)
            {
                map.entry(ev).or_insert(a);
            }
        }
        map
    }

    /// An events section's upcoming and past events for `reader` (from
    /// `listed`, its listed pages), made once for all its listing pages.
    fn event_order(&self, s: usize, reader: Tier, listed: &[usize]) -> EventOrder {
        let key = (s, self.site.tiers.index(reader));
        self.data.event_orders.get_or_make(key, || {
            let events: Vec<usize> = listed
                .iter()
                .copied()
                .filter(|&p| self.site.pages[p].kind == Kind::Event)
                .collect();
            std::sync::Arc::new((self.upcoming(&events), self.past(&events)))
        })
    }

    /// Event pages among `pages` that still have an occurrence ahead, soonest first.
    pub(super) fn upcoming(&self, pages: &[usize]) -> Vec<usize> {
        let mut up: Vec<(jiff::Timestamp, usize)> = pages
            .iter()
            .filter_map(|&p| {
                self.when_of(p)
                    .and_then(|w| w.next.as_ref())
                    .map(|o| (o.start.timestamp(), p))
            })
            .collect();
        up.sort();
        up.into_iter().map(|(_, p)| p).collect()
    }

    /// Event pages among `pages` whose occurrences are all over, latest first.
    pub(super) fn past(&self, pages: &[usize]) -> Vec<usize> {
        let mut past: Vec<(jiff::Timestamp, usize)> = pages
            .iter()
            .filter_map(|&p| {
                let w = self.when_of(p)?;
                if w.next.is_some() {
                    return None;
                }
                w.last.as_ref().map(|o| (o.start.timestamp(), p))
            })
            .collect();
        past.sort_by(|a, b| b.cmp(a));
        past.into_iter().map(|(_, p)| p).collect()
    }

    /// The chapter page of member page `p` when `reader` may see it listed
    /// (a hidden chapter's title stays off the directory like its card).
    fn member_chapter(&self, reader: Tier, p: usize) -> Option<usize> {
        let site = self.site;
        let KindData::Member(m) = &site.pages[p].data else {
            return None;
        };
        let c = site.find(Kind::Chapter, &m.chapter.as_ref()?.value)?;
        (site.tiers.listing(reader, site.pages[c].tier) != Listing::Hidden).then_some(c)
    }

    /// `{id, title}` of chapter page `c`, as a member card and the
    /// directory's filter name it.
    fn chapter_ref(&self, c: usize) -> serde_json::Value {
        let pg = &self.site.pages[c];
        serde_json::json!({"id": pg.slug, "title": pg.title})
    }

    /// Cards of members with their roles and chapter, for directories.
    fn member_cards(&self, reader: Tier, pages: &[usize]) -> Vec<Value> {
        let site = self.site;
        pages
            .iter()
            .filter_map(|&p| {
                let card = self.listed(reader, p)?;
                let mut map = card.into_map().unwrap_or_default();
                let locked =
                    self.site.tiers.listing(reader, self.site.pages[p].tier) == Listing::Locked;
                let (roles, chapter) = match (&site.pages[p].data, locked) {
                    (KindData::Member(m), false) => (
                        self.roles_of(m),
                        self.member_chapter(reader, p).map(|c| self.chapter_ref(c)),
                    ),
                    _ => (Vec::new(), None),
                };
                map.insert("roles".into(), Value::from_serializable(&roles));
                map.insert("chapter".into(), Value::from_serializable(&chapter));
                Some(Value::from(map))
            })
            .collect()
    }

    /// Extra data of a section by kind: member directory, archive by year,
    /// upcoming and past events, the home page's gatherings.
    /// The kind's own lists of section `s`, for the listing page that
    /// shows `range` of the section's listed pages: a long directory,
    /// archive or events list continues on the next listing page
    /// (`[build] max_listing`) instead of growing one page without end.
    pub(super) fn section_extras(
        &self,
        s: usize,
        reader: Tier,
        listed: &[usize],
        range: std::ops::Range<usize>,
        map: &mut tera::Map,
    ) {
        let site = self.site;
        let sec = &site.sections[s];
        let first_page = range.start == 0;
        let shown = &listed[range.start.min(listed.len())..range.end.min(listed.len())];
        match sec.kind {
            Kind::Members => {
                // The team is shown on the first page only.
                let members: Vec<usize> = if first_page {
                    sec.pages
                        .iter()
                        .copied()
                        .filter(|&p| site.pages[p].kind == Kind::Member)
                        .collect()
                } else {
                    Vec::new()
                };
                let on_page: Vec<usize> = shown
                    .iter()
                    .copied()
                    .filter(|&p| site.pages[p].kind == Kind::Member)
                    .collect();
                map.insert(
                    "members".into(),
                    Value::from(self.member_cards(reader, &on_page)),
                );
                let roles: Vec<_> = site
                    .config
                    .roles
                    .iter()
                    .map(|r| serde_json::json!({"id": r.id, "name": r.name}))
                    .collect();
                map.insert("roles".into(), Value::from_serializable(&roles));
                // The chapters of the members on this page, in the site's
                // order: each one the filter offers finds someone here, and
                // a directory of 28,000 members in 1,000 chapters does not
                // repeat all 1,000 on each of its 140 pages.
                let mut here: Vec<usize> = on_page
                    .iter()
                    .filter(|&&p| site.tiers.listing(reader, site.pages[p].tier) == Listing::Full)
                    .filter_map(|&p| self.member_chapter(reader, p))
                    .collect();
                here.sort_unstable();
                here.dedup();
                let chapters: Vec<_> = here.into_iter().map(|c| self.chapter_ref(c)).collect();
                let chapters = Value::from_serializable(&chapters);
                map.insert("chapters".into(), chapters);
                // Each role's holders the reader may read; together about
                // one listing page of cards (`max_listing` shared by the
                // roles, at least one each), the rest counted in `more`: a
                // role most of 28,000 members hold would make the first
                // page the whole directory again.
                let held: Vec<(&crate::config::RoleDef, Vec<usize>)> = site
                    .config
                    .roles
                    .iter()
                    .filter(|_| first_page)
                    .map(|r| {
                        let holders: Vec<usize> = members
                            .iter()
                            .copied()
                            .filter(|&p| matches!(&site.pages[p].data, KindData::Member(m) if m.roles.iter().any(|x| x.value == r.id)))
                            .filter(|&p| site.tiers.listing(reader, site.pages[p].tier) == Listing::Full)
                            .collect();
                        (r, holders)
                    })
                    .filter(|(_, holders)| !holders.is_empty())
                    .collect();
                let cap = match site.config.build.max_listing {
                    0 => usize::MAX,
                    n => (n / held.len().max(1)).max(1),
                };
                let team: Vec<Value> = held
                    .iter()
                    .map(|(r, holders)| {
                        let shown = &holders[..holders.len().min(cap)];
                        let mut m = tera::Map::new();
                        m.insert(
                            "role".into(),
                            Value::from_serializable(
                                &serde_json::json!({"id": r.id, "name": r.name}),
                            ),
                        );
                        m.insert(
                            "members".into(),
                            Value::from(self.member_cards(reader, shown)),
                        );
                        m.insert("more".into(), Value::from(holders.len() - shown.len()));
                        Value::from(m)
                    })
                    .collect();
                let total =
                    self.data
                        .directory_sizes
                        .get_or_make((s, site.tiers.index(reader)), || {
                            listed
                                .iter()
                                .filter(|&&p| site.pages[p].kind == Kind::Member)
                                .count()
                        });
                map.insert("member_total".into(), Value::from(total));
                map.insert("team".into(), Value::from(team));
            }
            Kind::Activities => {
                let mut years: Vec<(i16, Vec<usize>)> = Vec::new();
                for &p in shown {
                    let y = site.pages[p].date.map(|d| d.date.year()).unwrap_or(0);
                    match years.iter_mut().find(|(yy, _)| *yy == y) {
                        Some((_, v)) => v.push(p),
                        None => years.push((y, vec![p])),
                    }
                }
                years.sort_by_key(|y| std::cmp::Reverse(y.0));
                let years: Vec<Value> = years
                    .into_iter()
                    .map(|(y, pages)| {
                        let mut m = tera::Map::new();
                        m.insert("year".into(), Value::from(i64::from(y)));
                        m.insert("count".into(), Value::from(pages.len()));
                        m.insert(
                            "count_label".into(),
                            Value::from(
                                self.strings
                                    .fill("items", &[("n", &pages.len().to_string())]),
                            ),
                        );
                        m.insert("pages".into(), Value::from(self.cards(reader, &pages)));
                        Value::from(m)
                    })
                    .collect();
                map.insert("years".into(), Value::from(years));
            }
            Kind::Events => {
                // Upcoming (soonest first), then past (latest first): one
                // sequence that the listing pages cut where `range` says,
                // made once for all of them.
                let order = self.event_order(s, reader, listed);
                let (upcoming, past) = (&order.0, &order.1);
                let cut = |list: &[usize], offset: usize| -> Vec<usize> {
                    let (a, b) = (
                        range.start.saturating_sub(offset),
                        range.end.saturating_sub(offset),
                    );
                    list[a.min(list.len())..b.min(list.len())].to_vec()
                };
                let (upcoming, past) = (cut(upcoming, 0), cut(past, upcoming.len()));
                map.insert(
                    "upcoming".into(),
                    Value::from(self.event_cards(reader, &upcoming)),
                );
                map.insert("past".into(), Value::from(self.event_cards(reader, &past)));
                map.insert(
                    "calendar_url".into(),
                    Value::from(site.permalink(&site.lang_path("/calendar.ics"))),
                );
                let months: Vec<serde_json::Value> = self
                    .months(s, reader)
                    .into_iter()
                    .map(|(y, m)| {
                        serde_json::json!({
                            "label": self.month_label(y, m),
                            "url": site.url(&format!("{}{}", sec.path, month_path(y, m))),
                        })
                    })
                    .collect();
                map.insert("months".into(), Value::from_serializable(&months));
                map.insert(
                    "webcal_url".into(),
                    Value::from(
                        site.permalink(&site.lang_path("/calendar.ics"))
                            .replacen("https://", "webcal://", 1)
                            .replacen("http://", "webcal://", 1),
                    ),
                );
            }
            Kind::Home => self.home_extras(reader, map),
            _ => {}
        }
    }

    /// Cards of events with their `event` data (times, status) attached.
    fn event_cards(&self, reader: Tier, pages: &[usize]) -> Vec<Value> {
        pages
            .iter()
            .filter_map(|&p| {
                let card = self.listed(reader, p)?;
                let mut map = card.into_map().unwrap_or_default();
                let locked =
                    self.site.tiers.listing(reader, self.site.pages[p].tier) == Listing::Locked;
                let event = if locked {
                    Value::none()
                } else {
                    self.event_value(p, reader).unwrap_or_else(Value::none)
                };
                map.insert("event".into(), event);
                Some(Value::from(map))
            })
            .collect()
    }

    fn home_extras(&self, reader: Tier, map: &mut tera::Map) {
        let site = self.site;
        let mission = site.pages.iter().position(|p| p.kind == Kind::Mission).and_then(|i| {
            let link = self.link(reader, Item::Page(i))?;
            (!link.locked).then(|| serde_json::json!({"title": link.title, "url": link.url, "summary": site.pages[i].md.summary_text}))
        });
        map.insert("mission".into(), Value::from_serializable(&mission));
        // The hero's one sentence: written for it (the home page's
        // `description`, else the site's), never the intro's first
        // paragraph, which the page shows right below it.
        let home = &site.sections[0];
        let lede = home
            .fm
            .description
            .as_deref()
            .or(Some(site.config.description.as_str()).filter(|d| !d.is_empty()))
            .filter(|l| !opens_body(l, &home.md.summary_text));
        map.insert("lede".into(), Value::from(lede));
        let events: Vec<usize> = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == Kind::Event)
            .map(|(i, _)| i)
            .collect();
        let upcoming: Vec<usize> = self
            .upcoming(&events)
            .into_iter()
            .filter(|&p| site.tiers.listing(reader, site.pages[p].tier) == Listing::Full)
            .take(4)
            .collect();
        map.insert(
            "upcoming".into(),
            Value::from(self.event_cards(reader, &upcoming)),
        );
        let rituals: Vec<serde_json::Value> = self
            .upcoming(&events)
            .into_iter()
            .filter(|&p| site.tiers.listing(reader, site.pages[p].tier) == Listing::Full)
            .filter_map(|p| {
                let KindData::Event(_, Some(t)) = &site.pages[p].data else {
                    return None;
                };
                t.rule()?;
                Some(serde_json::json!({
                    "title": site.pages[p].title,
                    "url": site.url(&site.pages[p].path),
                    "ritual": t.describe_for(&site.config.language.value, &site.tz),
                }))
            })
            .collect();
        map.insert("rituals".into(), Value::from_serializable(&rituals));
        let activities: Vec<usize> = self
            .naming
            .activities
            .iter()
            .copied()
            .filter(|&p| site.tiers.listing(reader, site.pages[p].tier) == Listing::Full)
            .take(3)
            .collect();
        map.insert(
            "latest_activities".into(),
            Value::from(self.cards(reader, &activities)),
        );
        let mut showcases: Vec<serde_json::Value> = Vec::new();
        for (i, p) in site.pages.iter().enumerate() {
            let KindData::Member(m) = &p.data else {
                continue;
            };
            if site.tiers.listing(reader, p.tier) != Listing::Full {
                continue;
            }
            if let Some(w) = m.showcase.first() {
                let image = w
                    .image
                    .as_ref()
                    .and_then(|img| self.image(p, &img.value, &w.title, None));
                showcases.push(serde_json::json!({
                    "member": self.link(reader, Item::Page(i)),
                    "title": w.title, "url": safe_url(w.url.as_deref()), "description": w.description, "image": image,
                }));
            }
        }
        showcases.truncate(4);
        map.insert("showcases".into(), Value::from_serializable(&showcases));
        let join: Vec<serde_json::Value> = site
            .tiers
            .all()
            .filter(|(t, _)| t.is_gated())
            .map(|(_, info)| {
                serde_json::json!({
                    "name": info.name,
                    "description": info.description,
                    "join_url": info.join_url.as_deref().map(|u| super::asset_url(site, u)),
                })
            })
            .collect();
        map.insert("join".into(), Value::from_serializable(&join));
        // "View all" links to the sections the home page samples.
        let section_url = |kind: Kind| {
            site.sections
                .iter()
                .find(|s| s.kind == kind && site.tiers.listing(reader, s.tier) == Listing::Full)
                .map(|s| site.url(&s.path))
        };
        map.insert(
            "events_url".into(),
            Value::from_serializable(&section_url(Kind::Events)),
        );
        map.insert(
            "activities_url".into(),
            Value::from_serializable(&section_url(Kind::Activities)),
        );
        map.insert(
            "members_url".into(),
            Value::from_serializable(&section_url(Kind::Members)),
        );
    }
}

/// A URL from front matter that is safe in an `href`: web, mail and phone
/// links and paths on the site; anything else (`javascript:`, `data:`) is
/// dropped here as well as reported at load.
pub fn safe_url(url: Option<&str>) -> Option<String> {
    let u = url?.trim();
    crate::content::is_safe_url(u).then(|| u.to_string())
}

/// ISO 8601 for `<time datetime>`: a date for all-day, else with offset.
fn iso(z: &jiff::ZonedDateTime, all_day: bool) -> String {
    if all_day {
        z.date().to_string()
    } else {
        let off = z.offset().seconds();
        let sign = if off < 0 { '-' } else { '+' };
        let off = off.abs();
        format!(
            "{}T{:02}:{:02}:00{sign}{:02}:{:02}",
            z.date(),
            z.hour(),
            z.minute(),
            off / 3600,
            off % 3600 / 60
        )
    }
}

/// Months a calendar shows before "now" and after it.
const MONTHS_BACK: i32 = 12;
const MONTHS_AHEAD: i32 = 12;

/// `2026/11/`: the path of a month page under its events section.
pub fn month_path(y: i16, m: i8) -> String {
    format!("{y}/{m:02}/")
}

impl<'s> Prepared<'s> {
    /// Event pages of section `s` the reader may see in full.
    fn section_events(&self, s: usize, reader: Tier) -> Vec<usize> {
        let site = self.site;
        site.sections[s]
            .pages
            .iter()
            .copied()
            .filter(|&p| site.pages[p].kind == Kind::Event)
            .filter(|&p| site.tiers.listing(reader, site.pages[p].tier) == Listing::Full)
            .collect()
    }

    fn month_bounds(&self, y: i16, m: i8) -> Option<(jiff::Timestamp, jiff::Timestamp)> {
        let first = jiff::civil::Date::new(y, m, 1).ok()?;
        let next = first.checked_add(jiff::Span::new().months(1)).ok()?;
        let ts = |d: jiff::civil::Date| {
            self.site
                .tz
                .to_ambiguous_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .compatible()
                .ok()
        };
        Some((ts(first)?, ts(next)?))
    }

    /// Months (within a year before and after now) in which section `s` has events.
    pub(super) fn months(&self, s: usize, reader: Tier) -> Vec<(i16, i8)> {
        // Every listing page of the section and each month page ask: at
        // 100,000 pages that was 75 pages × 18 months × 15,000 events.
        let key = (s, self.site.tiers.index(reader));
        self.data
            .month_lists
            .get_or_make(key, || self.months_uncached(s, reader))
    }

    fn months_uncached(&self, s: usize, reader: Tier) -> Vec<(i16, i8)> {
        let site = self.site;
        let events = self.section_events(s, reader);
        let today = self.now.to_zoned_datetime(site.tz.clone()).date();
        let months: Vec<(i16, i8, jiff::Timestamp, jiff::Timestamp)> = (-MONTHS_BACK
            ..=MONTHS_AHEAD)
            .filter_map(|k| {
                let d = today
                    .first_of_month()
                    .checked_add(jiff::Span::new().months(k))
                    .ok()?;
                let (from, until) = self.month_bounds(d.year(), d.month())?;
                Some((d.year(), d.month(), from, until))
            })
            .collect();
        let (Some(first), Some(last)) = (months.first(), months.last()) else {
            return Vec::new();
        };
        // Each event is read once, for all the months (at 100,000 pages,
        // 25 passes over 15,000 events read each from memory 25 times), and
        // one that has nothing in the whole window is left after one look.
        let mut has = vec![false; months.len()];
        for &p in &events {
            let KindData::Event(_, Some(t)) = &site.pages[p].data else {
                continue;
            };
            if t.occurrences(first.2, last.3, 1).is_empty() {
                continue;
            }
            for (k, &(_, _, from, until)) in months.iter().enumerate() {
                if !has[k] && !t.occurrences(from, until, 1).is_empty() {
                    has[k] = true;
                }
            }
            if has.iter().all(|&h| h) {
                break;
            }
        }
        months
            .iter()
            .zip(has)
            .filter(|(_, h)| *h)
            .map(|(&(y, m, _, _), _)| (y, m))
            .collect()
    }

    fn month_label(&self, y: i16, m: i8) -> String {
        self.strings.month_label(y, m)
    }

    /// `month`: a Monday-first grid of weeks with each day's events.
    pub(super) fn month_value(&self, s: usize, y: i16, m: i8, reader: Tier) -> Value {
        let site = self.site;
        let sec = &site.sections[s];
        let Some((from, until)) = self.month_bounds(y, m) else {
            return Value::none();
        };
        let mut by_day: std::collections::BTreeMap<
            jiff::civil::Date,
            Vec<(jiff::Timestamp, serde_json::Value)>,
        > = Default::default();
        for p in self.section_events(s, reader) {
            let KindData::Event(fm, Some(t)) = &site.pages[p].data else {
                continue;
            };
            let status = match crate::content::event_status(fm) {
                Some(calendar::EventStatus::Cancelled) => "cancelled",
                Some(calendar::EventStatus::Postponed) => "postponed",
                _ => "scheduled",
            };
            for o in t.occurrences(from, until, 62) {
                // An occurrence appears on each day of this month it covers, in the site's zone.
                let start = o.start.timestamp().to_zoned_datetime(site.tz.clone());
                let mut day = if o.all_day {
                    o.first_day()
                } else {
                    start.date()
                };
                // Timed events sit on their start day (an evening that ends
                // after midnight is not a two-day event); all-day ones span.
                let last = if o.all_day { o.last_day() } else { day };
                let time = if o.all_day {
                    String::new()
                } else {
                    format!("{:02}:{:02}", start.hour(), start.minute())
                };
                while day <= last {
                    if day.year() == y && day.month() == m {
                        by_day.entry(day).or_default().push((
                            o.start.timestamp(),
                            serde_json::json!({
                                "title": site.pages[p].title,
                                "url": site.url(&site.pages[p].path),
                                "time": time,
                                "status": status,
                            }),
                        ));
                    }
                    match day.tomorrow() {
                        Ok(d) => day = d,
                        Err(_) => break,
                    }
                }
            }
        }
        let first = jiff::civil::Date::new(y, m, 1).unwrap_or_default();
        let lead = first.weekday().to_monday_zero_offset() as i32;
        let today = self.now.to_zoned_datetime(site.tz.clone()).date();
        let mut weeks: Vec<Vec<serde_json::Value>> = Vec::new();
        let mut day = first
            .checked_sub(jiff::Span::new().days(lead))
            .unwrap_or(first);
        loop {
            let mut week = Vec::new();
            for _ in 0..7 {
                let mut events = by_day.remove(&day).unwrap_or_default();
                events.sort_by_key(|e| e.0);
                week.push(serde_json::json!({
                    "day": day.day(),
                    "date": day.to_string(),
                    "in_month": day.month() == m,
                    "today": day == today,
                    "events": events.into_iter().map(|(_, e)| e).collect::<Vec<_>>(),
                }));
                day = day.tomorrow().unwrap_or(day);
            }
            weeks.push(week);
            if day.month() != m || day.year() != y {
                break;
            }
        }
        let months = self.months(s, reader);
        let pos = months.iter().position(|&x| x == (y, m));
        let link = |k: Option<&(i16, i8)>| {
            k.map(|&(yy, mm)| serde_json::json!({"label": self.month_label(yy, mm), "url": site.url(&format!("{}{}", sec.path, month_path(yy, mm)))}))
        };
        let weekdays = self.strings.weekday_letters();
        Value::from_serializable(&serde_json::json!({
            "label": self.month_label(y, m),
            "year": y,
            "month": m,
            "weekdays": weekdays,
            "weeks": weeks,
            "prev": link(pos.and_then(|i| i.checked_sub(1)).and_then(|i| months.get(i))),
            "next": link(pos.and_then(|i| months.get(i + 1))),
            "events_url": site.url(&sec.path),
            "timezone": site.config.timezone.value,
            "timezone_name": calendar::zone_name(&site.config.timezone.value, &site.config.language.value),
        }))
    }
}

/// Whether the home page's body opens with `lede` (its first paragraph is
/// the lede, or the lede is that paragraph cut short, as a repository's
/// description made from its README is): the hero then would say the same
/// sentence twice, one above the other.
fn opens_body(lede: &str, first_paragraph: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (lede, first) = (squash(lede), squash(first_paragraph));
    !lede.is_empty()
        && (first == lede
            || (lede.chars().count() >= crate::content::DESCRIPTION_CHARS
                && first.starts_with(&lede)))
}
