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

use super::Prepared;
use super::context::SidebarItem;
use crate::content::{Item, Kind};
use crate::tiers::{Listing, Tier};

/// Items given per level of the tree, the current one always among them.
pub const LEVEL_CAP: usize = 40;

/// A top-level section without subsections gets a sidebar only from this
/// many pages on: a short flat list is read as well from its section page.
pub const FLAT_MIN_PAGES: usize = 12;

impl Prepared<'_> {
    /// The tree of the top-level section that holds `current` (a page, or
    /// a section's own page), as `reader` may see it; `None` on the home
    /// page's own pages and in small flat sections.
    pub(super) fn sidebar(&self, reader: Tier, current: Item) -> Option<SidebarItem<'_>> {
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
        let mut root = self.sidebar_item(reader, Item::Section(top), current)?;
        self.expand(reader, &mut root, &chain[1..], current);
        Some(root)
    }

    /// One item, not expanded; `None` when the reader may not see it listed.
    fn sidebar_item(&self, reader: Tier, it: Item, current: Item) -> Option<SidebarItem<'_>> {
        let site = self.site;
        let (title, path, tier) = match it {
            Item::Page(i) => (
                &site.pages[i].title,
                &site.pages[i].path,
                site.pages[i].tier,
            ),
            Item::Section(s) => (
                &site.sections[s].title,
                &site.sections[s].path,
                site.sections[s].tier,
            ),
        };
        let locked = match site.tiers.listing(reader, tier) {
            Listing::Full => false,
            Listing::Locked => true,
            Listing::Hidden => return None,
        };
        Some(SidebarItem {
            title,
            url: site
                .tiers
                .is_written(self.audience, tier)
                .then(|| site.url(path)),
            current: it == current,
            locked,
            section: matches!(it, Item::Section(_)),
            open: false,
            items: Vec::new(),
            more_url: None,
        })
    }

    /// Gives `item` (the section `branch[0]`) its items, expanding the one
    /// that `branch` goes on to.
    fn expand<'p>(
        &'p self,
        reader: Tier,
        item: &mut SidebarItem<'p>,
        branch: &[usize],
        current: Item,
    ) {
        let site = self.site;
        let s = branch[0];
        let sec = &site.sections[s];
        let next = branch.get(1).copied();
        // The item of this level on the way to the page shown, if any.
        let way = match (next, current) {
            (Some(n), _) => Some(Item::Section(n)),
            (None, Item::Page(p)) if site.pages[p].section == s => Some(current),
            _ => None,
        };
        let all = sec
            .subsections
            .iter()
            .map(|&c| Item::Section(c))
            .chain(sec.pages.iter().map(|&p| Item::Page(p)));
        let mut items = Vec::new();
        let mut more = false;
        let mut way_shown = false;
        for it in all {
            if items.len() >= LEVEL_CAP {
                // Past the cap nothing more is made: one more item the
                // reader may see is enough to link the section's page.
                if self.sidebar_item(reader, it, current).is_some() {
                    more = true;
                    break;
                }
                continue;
            }
            let Some(mut child) = self.sidebar_item(reader, it, current) else {
                continue;
            };
            if Some(it) == way {
                way_shown = true;
                if let Item::Section(_) = it {
                    self.expand(reader, &mut child, &branch[1..], current);
                }
            }
            items.push(child);
        }
        // The way down is given even when it lies past the cap.
        if !way_shown
            && let Some(it) = way
            && let Some(mut child) = self.sidebar_item(reader, it, current)
        {
            if let Item::Section(_) = it {
                self.expand(reader, &mut child, &branch[1..], current);
            }
            items.push(child);
        }
        item.open = true;
        item.items = items;
        item.more_url = more.then(|| site.url(&sec.path));
    }
}
