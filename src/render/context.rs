//! The template contract: what each variable a template reads holds, as
//! one typed struct per context (the shape of Zola's `ser.rs`).
//!
//! Why typed rather than `json!` literals: the contract between Hearth and
//! a site's own templates is these fields, and a renamed or dropped field
//! should be a compile error here and a failing test in `tests/contract.rs`
//! (which holds every documented variable of docs/templates.md to what
//! these structs serialize), never a template that silently renders an
//! empty string. Values made elsewhere and shared between many pages
//! (cards, a page's event data) are kept as `tera::Value`: Tera's
//! serializer clones those by reference, so a typed wrapper costs nothing.
//!
//! Field order is the order templates see when they iterate an object;
//! `Option` fields serialize as `null`, so templates test them with `if`.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::config::{Brand, RoleDef};
use crate::content::Kind;
use crate::markdown::Heading;

/// `hearth`: site-wide values, the same in every template.
#[derive(Debug, Serialize)]
pub struct Global<'a> {
    /// Settings from `hearth.toml`.
    pub config: ConfigView<'a>,
    /// URLs and ready-made fragments for the layout.
    pub site: SiteView,
    /// Every tier, `public` first (join links under the base path).
    pub tiers: &'a [Value],
    /// UI strings in the site language, `[strings]` applied.
    pub i18n: &'a BTreeMap<String, String>,
    /// The build time, RFC 3339.
    pub now: String,
}

/// `hearth.config`: settings as written in `hearth.toml`.
#[derive(Debug, Serialize)]
pub struct ConfigView<'a> {
    /// `title`.
    pub title: &'a str,
    /// `description` (`""` when not set).
    pub description: &'a str,
    /// `base_url`, without a trailing slash.
    pub base_url: &'a str,
    /// `language`, a BCP 47 tag: the language of this page (in a site of
    /// several languages, the page's, not the default).
    pub language: &'a str,
    /// The direction of the language's script: `ltr`, or `rtl` for Arabic,
    /// Hebrew, Persian, Urdu and the like (`<html dir>`).
    pub dir: &'static str,
    /// `timezone`, an IANA name.
    pub timezone: &'a str,
    /// `[brand]` as written.
    pub brand: &'a Brand,
    /// `[[roles]]`.
    pub roles: &'a [RoleDef],
    /// `repo_url`.
    pub repo_url: Option<&'a str>,
    /// `[extra]`.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// `hearth.site`: URLs under the base path and fragments the layout uses.
#[derive(Debug, Serialize)]
pub struct SiteView {
    /// The home page: `/` or `/club/`.
    pub home_url: String,
    /// The path part of `base_url`: `""` or `/club`.
    pub base_path: String,
    /// The theme's stylesheet.
    pub css_url: String,
    /// Code highlighting styles.
    pub syntax_css_url: String,
    /// The theme's script.
    pub js_url: String,
    /// The public Atom feed.
    pub feed_url: String,
    /// The search manifest (`{tier}` in it at the edge).
    pub search_index_url: String,
    /// The public calendar feed.
    pub calendar_url: String,
    /// `brand.logo` as a URL.
    pub logo_url: Option<String>,
    /// `brand.favicon` as a URL, else the favicon made from the brand.
    pub favicon_url: Option<String>,
    /// `/tags/`, when the build has tag pages.
    pub tags_url: Option<String>,
    /// CSS custom properties from the brand colours.
    pub brand_css: String,
    /// The default sharing image, absolute.
    pub image: Option<String>,
    /// schema.org `Organization` as JSON, safe inside `<script>`.
    pub org_jsonld: String,
    /// The site's language as OpenGraph writes a locale: `zh_CN`.
    pub og_locale: String,
}

/// One entry of `languages`: a language of the site and where this page
/// is in it, for the language switcher and `hreflang` links.
#[derive(Debug, Serialize)]
pub struct LanguageLink {
    /// BCP 47 tag.
    pub tag: String,
    /// The language's name for itself.
    pub name: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// This page in that language, else that language's home.
    pub url: String,
    /// The same, absolute.
    pub permalink: String,
    /// Whether it is this page's language.
    pub current: bool,
    /// Whether the page is written in that language (else `url` is the
    /// language's home).
    pub translated: bool,
    /// Whether that version is public and indexable (`hreflang` names only these).
    pub indexable: bool,
}

/// One step of a section's breadcrumbs.
#[derive(Debug, Serialize)]
pub struct Crumb<'a> {
    /// The section's title.
    pub title: &'a str,
    /// Its URL.
    pub url: String,
}

/// `section` in a page's context: where the page is.
#[derive(Debug, Serialize)]
pub struct SectionSummary<'a> {
    /// Title.
    pub title: &'a str,
    /// URL of its first listing page.
    pub url: String,
    /// What it holds.
    pub kind: Kind,
    /// From the home page down to it, itself included.
    pub ancestors: Vec<Crumb<'a>>,
}

/// `section` in a listing's context: the summary and what it lists. The
/// kind's own extras (events' `upcoming`, members' `team`, …) are added
/// beside these by `kinds::section_extras`.
#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    /// Title.
    pub title: &'a str,
    /// URL of its first listing page.
    pub url: String,
    /// What it holds.
    pub kind: Kind,
    /// From the home page down to it, itself included.
    pub ancestors: Vec<Crumb<'a>>,
    /// `description`, else the intro's summary text cut to 160 characters.
    pub description: String,
    /// The intro's HTML.
    pub content: &'a str,
    /// The intro's headings.
    pub toc: &'a [Heading],
    /// Absolute URL.
    pub permalink: String,
    /// Child sections the reader may see.
    pub subsections: Vec<super::Link>,
    /// `[extra]`.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Previous/next listing page, when paginated.
    pub paginator: Option<Paginator>,
    /// Listed pages over all listing pages.
    pub page_count: usize,
    /// This listing page's cards.
    pub pages: Vec<Value>,
    /// Home page only: the newest dated pages the reader may read in full.
    pub recent: Vec<Value>,
    /// The section's own calendar feed, when it publishes one
    /// (`calendar = true`): absolute `https://` URL.
    pub own_calendar_url: Option<String>,
}

/// `paginator`: where a listing page stands among its siblings.
#[derive(Debug, Serialize)]
pub struct Paginator {
    /// This page's number, from 1.
    pub current: usize,
    /// How many listing pages there are.
    pub total: usize,
    /// The page before, if any.
    pub prev_url: Option<String>,
    /// The page after, if any.
    pub next_url: Option<String>,
    /// A window of page numbers: first, last, and two either side.
    pub pages: Vec<PagerLink>,
    /// `page_of` filled in: `第 2 页，共 5 页`.
    pub label: String,
}

/// One numbered link of a paginator.
#[derive(Debug, Serialize)]
pub struct PagerLink {
    /// The page number.
    pub n: usize,
    /// Its URL.
    pub url: String,
    /// Whether it is the page shown.
    pub current: bool,
}

/// `page`: one page and what the theme shows about it.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// Title.
    pub title: &'a str,
    /// `description`, else the summary text cut to 160 characters.
    pub description: String,
    /// The body's HTML.
    pub content: &'a str,
    /// The summary's HTML.
    pub summary: &'a str,
    /// Every heading, in order.
    pub toc: &'a [Heading],
    /// Root-relative URL, base path included.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Path below the base URL, not encoded.
    pub path: &'a str,
    /// What it is (`page`, `event`, …).
    pub kind: &'static str,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The date in the site language.
    pub date_display: Option<String>,
    /// `updated`, `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// `updated` in the site language.
    pub updated_display: Option<String>,
    /// Tags as written, linked when they have a page.
    pub tags: Vec<super::TagLink>,
    /// Words ÷ 300, rounded up, at least 1.
    pub reading_minutes: usize,
    /// `minutes_read` filled in.
    pub reading_time: String,
    /// Word count (each CJK character one word).
    pub words: usize,
    /// Where to edit the source, when `repo_url` is set.
    pub edit_url: Option<String>,
    /// `[extra]`.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Whether a code block was highlighted.
    pub has_code: bool,
    /// The sharing image, absolute.
    pub image: Option<String>,
    /// The newer page of a dated sequence, as a card.
    pub newer: Value,
    /// The older page of a dated sequence, as a card.
    pub older: Value,
    /// Event data, on event pages (`kinds::Prepared::event_value`).
    pub event: Value,
    /// Recap data, on activity pages.
    pub activity: Value,
    /// Profile data, on member pages.
    pub member: Value,
    /// Chapter data, on chapter pages.
    pub chapter: Value,
    /// FAQ pages only: the questions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub faq: Option<&'a [crate::markdown::FaqItem]>,
    /// FAQ pages only: FAQPage JSON-LD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub faq_jsonld: Option<String>,
}

/// `sidebar` on plain pages and sections inside a deep or long top-level
/// section: that section as a tree, as MkDocs and Docusaurus readers
/// expect. Only the branch down to the current page is expanded and each
/// level is capped ([`super::sidebar`]), so a section of thousands of
/// pages does not put thousands of links on each of them.
#[derive(Debug, Serialize)]
pub struct SidebarItem<'a> {
    /// Title.
    pub title: &'a str,
    /// URL; `None` when not written for this build's audience.
    pub url: Option<String>,
    /// This item is the page shown.
    pub current: bool,
    /// Shown with a lock: the reader may not open it.
    pub locked: bool,
    /// A section (it may have items of its own).
    pub section: bool,
    /// On the way down to the page shown: its items are given.
    pub open: bool,
    /// Subsections first, then pages, as the section lists them; empty
    /// unless `open`.
    pub items: Vec<SidebarItem<'a>>,
    /// The section's own page, when it has more items than are given.
    pub more_url: Option<String>,
}
