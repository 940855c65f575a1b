//! The sidebar tree of a deep section (`sidebar` in page and section
//! contexts, `partials/sidebar.html`).
//!
//! Why bounded: the tree is written into every page of its section, so
//! its size multiplies by the section's size. Only the branch down to the
//! page shown is expanded (the rest of the tree stays one click away on
//! the section pages), and each level gives at most [`LEVEL_CAP`] items
//! and a link to the section's own page for the rest. A page of a section
//! of 40,000 pages then carries about `depth × LEVEL_CAP` links, not
//! 40,000.

use tera::Value;

use super::Prepared;
use super::context::SidebarItem;
use crate::content::{Item, Kind};
use crate::tiers::Tier;

/// Items given per level of the tree, the current one always among them.
pub const LEVEL_CAP: usize = 40;

/// A top-level section without subsections gets a sidebar only from this
/// many pages on: a short flat list is read as well from its section page.
pub const FLAT_MIN_PAGES: usize = 12;

/// One level of a section's tree as a reader sees it, with no page shown
/// and nothing expanded: the same for every page of the section, so it is
/// made once and each page replaces or adds only the item on its way down.
pub(super) struct Level {
    /// The items given, in order, each with its value.
    items: Vec<(Item, Value)>,
    /// The section has more items than are given.
    more: bool,
}

impl Prepared<'_> {
    /// The tree of the top-level section that holds `current` (a page, or
    /// a section's own page), as `reader` may see it; `None` on the home
    /// page's own pages and in small flat sections.
    pub(super) fn sidebar(&self, reader: Tier, current: Item) -> Option<Value> {
        let site = self.site;
        let (section, kind) = match current {
            Item::Page(i) => (site.pages[i].section, site.pages[i].kind),
            Item::Section(s) => (s, site.sections[s].kind),
        };
        if !matches!(kind, Kind::Page | Kind::Section) {
            return None;
        }
        let chain = site.ancestors(section);
        let top = *chain.get(1)?;
        let t = &site.sections[top];
        if t.kind != Kind::Section || (t.subsections.is_empty() && t.pages.len() < FLAT_MIN_PAGES) {
            return None;
        }
        let root = self.sidebar_item(reader, Item::Section(top), current)?;
        Some(self.expand(reader, root, &chain[1..], current))
    }

    /// One item, not expanded; `None` when the reader may not see it listed.
    fn sidebar_item(&self, reader: Tier, it: Item, current: Item) -> Option<SidebarItem<'_>> {
        let (title, url, locked) = self.shown(reader, it)?;
        Some(SidebarItem {
            title,
            url,
            current: it == current,
            locked,
            section: matches!(it, Item::Section(_)),
            open: false,
            items: Vec::new(),
            more_url: None,
        })
    }

    /// `item` (section `branch[0]`) with its items, the way down to the
    /// page shown expanded by `branch[1..]`; each level gives at most
    /// [`LEVEL_CAP`] items, the way down always among them.
    fn expand(
        &self,
        reader: Tier,
        mut item: SidebarItem<'_>,
        branch: &[usize],
        current: Item,
    ) -> Value {
        let site = self.site;
        let s = branch[0];
        let next = branch.get(1).copied();
        // The item of this level on the way to the page shown, if any.
        let way = match (next, current) {
            (Some(n), _) => Some(Item::Section(n)),
            (None, Item::Page(p)) if site.pages[p].section == s => Some(current),
            _ => None,
        };
        let level = self.level(reader, s);
        let mut items: Vec<Value> = level.items.iter().map(|(_, v)| v.clone()).collect();
        if let Some(it) = way
            && let Some(child) = self.sidebar_item(reader, it, current)
        {
            let value = match it {
                Item::Section(_) => self.expand(reader, child, &branch[1..], current),
                Item::Page(_) => Value::from_serializable(&child),
            };
            // In its place when it is among those given, else after them.
            match level.items.iter().position(|(i, _)| *i == it) {
                Some(k) => items[k] = value,
                None => items.push(value),
            }
        }
        item.open = true;
        item.more_url = level.more.then(|| site.url(&site.sections[s].path));
        let mut map = Value::from_serializable(&item)
            .into_map()
            .unwrap_or_default();
        map.insert("items".into(), Value::from(items));
        Value::from(map)
    }

    /// Section `s`'s level of the tree for `reader`, made on first use.
    fn level(&self, reader: Tier, s: usize) -> std::sync::Arc<Level> {
        let key = (s, self.site.tiers.index(reader));
        self.data.sidebar_levels.get_or_make(key, || {
            let sec = &self.site.sections[s];
            let all = sec
                .subsections
                .iter()
                .map(|&c| Item::Section(c))
                .chain(sec.pages.iter().map(|&p| Item::Page(p)));
            // No page of the site is `nobody`: every item comes out not current.
            let nobody = Item::Page(usize::MAX);
            let mut items = Vec::new();
            let mut more = false;
            for it in all {
                let Some(child) = self.sidebar_item(reader, it, nobody) else {
                    continue;
                };
                if items.len() >= LEVEL_CAP {
                    // One more item the reader may see is enough to link the
                    // section's page for the rest.
                    more = true;
                    break;
                }
                items.push((it, Value::from_serializable(&child)));
            }
            std::sync::Arc::new(Level { items, more })
        })
    }
}
