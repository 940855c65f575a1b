//! `hearth.toml` → a typed, validated [`Config`].
//!
//! Every problem is reported with the line it is on; an unknown key names the
//! nearest valid key, because a typo in a config key otherwise fails silently.
//! The file's text and the places of its values stay with the [`Config`], so
//! a problem found later (a theme that does not exist, a UI string the
//! theme does not know) points at its line without reading the file again.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, SourceText, codes, did_you_mean};
use crate::spanned::{self, Span, Spanned, UnknownKey};

/// The config file's name, at the site root.
pub const FILE: &str = "hearth.toml";

/// A Hearth site's content folder, and `content_dir`'s default.
pub const CONTENT_DIR: &str = "content";

/// In repository mode, the folder that holds Hearth's own `templates/`,
/// `static/` and `themes/`: the repository's folders of those names are
/// its own content, never taken for Hearth's.
pub const REPOSITORY_OWN_DIR: &str = ".hearth";

/// The site configuration, as written and validated.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// The community's name, shown in every page title.
    pub title: String,
    /// One sentence about the community, for meta tags and feeds.
    #[serde(default)]
    pub description: String,
    /// Where the site is published, e.g. `https://club.example.org` (no trailing slash once loaded).
    pub base_url: Spanned<String>,
    /// BCP 47 language of the content, e.g. `zh-CN`; picks UI strings and date formats.
    #[serde(default = "default_language")]
    pub language: Spanned<String>,
    /// IANA time zone for dates and events without their own.
    #[serde(default = "default_timezone")]
    pub timezone: Spanned<String>,
    /// A theme folder under `themes/`; the built-in theme when absent.
    #[serde(default)]
    pub theme: Option<Spanned<String>>,
    /// Where the site's Markdown is: `content` (a Hearth site's folder) or
    /// `.`, the repository itself (repository mode: README indexes,
    /// GitHub's link and anchor rules, only what pages link to published).
    #[serde(default = "default_content_dir")]
    pub content_dir: Spanned<String>,
    /// `[repository]`: what repository mode publishes, and the kinds it
    /// gives folders and files (none unless asked).
    #[serde(default)]
    pub repository: RepositoryConfig,
    /// Repository of the site's source, for "edit this page" links (and,
    /// in repository mode, for links to what the site does not publish).
    #[serde(default)]
    pub repo_url: Option<String>,
    /// Branch the edit links point at.
    #[serde(default = "default_branch")]
    pub edit_branch: String,
    /// Folder of the site inside the repository, for edit links (default: repository root).
    #[serde(default)]
    pub repo_path: Option<String>,
    /// How public listings show gated items: their title with a lock, or nothing.
    #[serde(default)]
    pub gated_listing: GatedListing,
    /// Branding used by the theme.
    #[serde(default)]
    pub brand: Brand,
    /// The tier ladder above `public`, lowest first.
    #[serde(default)]
    pub tiers: Vec<TierDef>,
    /// Member roles, in display order.
    #[serde(default)]
    pub roles: Vec<RoleDef>,
    /// Markdown rendering options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Pagination and output options.
    #[serde(default)]
    pub build: BuildConfig,
    /// Where the site is published and how that host learns a visitor's tier.
    #[serde(default)]
    pub deploy: DeployConfig,
    /// Data files whose records become pages (`[[data]]`).
    #[serde(default)]
    pub data: Vec<DataSource>,
    /// Commands that read the site as JSON and return extra pages
    /// (`[[plugins]]`).
    #[serde(default)]
    pub plugins: Vec<PluginDef>,
    /// Overrides for the theme's UI strings, by key.
    #[serde(default)]
    pub strings: BTreeMap<String, String>,
    /// The site's other languages, by BCP 47 tag (`[languages.en]`): each
    /// has its own title, description and UI strings, and its pages are
    /// the translations written beside the sources (`rules.en.md`).
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageDef>,
    /// Put the default language under its own prefix too (`/zh-cn/rules/`
    /// rather than `/rules/`), as some hosts' language routing expects.
    #[serde(default)]
    pub prefix_default_language: bool,
    /// Free table for site templates.
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The text of `hearth.toml` as it was read, which every span of the
    /// config points into: checks made after parsing place their
    /// diagnostics with it instead of reading the file again (which may
    /// have changed meanwhile under `serve`).
    #[serde(skip)]
    pub source: Arc<str>,
    /// Where each key of `[strings]` is written: the theme, not the config,
    /// knows which keys exist, and its warning about one goes on that line.
    #[serde(skip)]
    pub strings_at: BTreeMap<String, Span>,
    /// Where each `[languages.TAG]` table is written, for its diagnostics.
    #[serde(skip)]
    pub languages_at: BTreeMap<String, Span>,
    /// Whether this config was read from a `hearth.toml` (false when a
    /// repository without one is served as it is and the config was made
    /// from its README): help then says to create the file, not to edit it.
    #[serde(skip)]
    pub from_file: bool,
}

/// `[repository]`: repository mode's publishing rules.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RepositoryConfig {
    /// Paths (globs: `*` within a folder, `**` across folders, `?`) published
    /// even when no page links to them, or that the built-in rules skip
    /// (`.well-known/**`).
    #[serde(default)]
    pub include: Vec<Spanned<String>>,
    /// Paths never published, pages or files (`archive/**`, `drafts/*.md`).
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    /// Kinds by folder or file path (`events = "events"`,
    /// `"values.md" = "values"`): in repository mode nothing has a kind
    /// unless it is asked for here or in front matter.
    #[serde(default)]
    pub kinds: BTreeMap<String, Spanned<String>>,
}

fn default_language() -> Spanned<String> {
    Spanned::unplaced("en".into())
}
fn default_timezone() -> Spanned<String> {
    Spanned::unplaced("UTC".into())
}
fn default_content_dir() -> Spanned<String> {
    Spanned::unplaced(CONTENT_DIR.into())
}
fn default_branch() -> String {
    "main".into()
}

/// What a public listing shows of an item above its audience.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GatedListing {
    /// The title with a lock, never the summary.
    #[default]
    Title,
    /// Nothing at all.
    Hidden,
}

/// Brand settings: colours become CSS custom properties.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Brand {
    /// A short slogan under the site name.
    #[serde(default)]
    pub tagline: Option<String>,
    /// Logo path or URL.
    #[serde(default)]
    pub logo: Option<String>,
    /// Favicon path or URL.
    #[serde(default)]
    pub favicon: Option<String>,
    /// Main colour, `#rrggbb`.
    #[serde(default)]
    pub primary: Option<Spanned<String>>,
    /// Second colour, `#rrggbb`.
    #[serde(default)]
    pub accent: Option<Spanned<String>>,
    /// Default sharing image for pages without their own.
    #[serde(default)]
    pub image: Option<String>,
}

/// `[languages.TAG]`: what changes when the site is read in another
/// language. Anything left out is the default language's.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LanguageDef {
    /// The language's own name for itself (`English`, `العربية`), shown in
    /// the language switcher; the tag when absent.
    #[serde(default)]
    pub name: Option<String>,
    /// The community's name in this language.
    #[serde(default)]
    pub title: Option<String>,
    /// The one-sentence description in this language.
    #[serde(default)]
    pub description: Option<String>,
    /// The tagline in this language.
    #[serde(default)]
    pub tagline: Option<String>,
    /// UI strings for this language, over the built-in table (Chinese for
    /// `zh*`, English for every other tag).
    #[serde(default)]
    pub strings: BTreeMap<String, String>,
    /// Tier names and descriptions in this language, by tier id
    /// (`member = { name = "Members", description = "…" }`).
    #[serde(default)]
    pub tiers: BTreeMap<String, TierText>,
    /// Role names and descriptions in this language, by role id.
    #[serde(default)]
    pub roles: BTreeMap<String, TierText>,
}

/// A tier's or role's words in another language.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TierText {
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// One sentence about it.
    #[serde(default)]
    pub description: Option<String>,
}

/// One rung of the tier ladder.
#[derive(Debug, Clone, Deserialize)]
pub struct TierDef {
    /// Identifier used in front matter, e.g. `member`.
    pub id: Spanned<String>,
    /// Display name, e.g. `会员`.
    pub name: String,
    /// Where a visitor learns how to join this tier.
    #[serde(default)]
    pub join_url: Option<String>,
    /// One sentence about the tier.
    #[serde(default)]
    pub description: Option<String>,
    /// The identity provider's groups (Netlify Identity roles, Cloudflare
    /// Access or oauth2-proxy groups) whose members have this tier; the
    /// tier's id when empty. Hearth never keeps accounts: the host's
    /// identity service says who is in which group.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// `[[data]]`: a data file whose records become pages (docs/data.md).
#[derive(Debug, Clone, Deserialize)]
pub struct DataSource {
    /// The file, from the site folder: `.csv`, `.tsv`, `.yaml`, `.json`, `.toml`.
    pub file: Spanned<String>,
    /// Where the list of records is: `groups`, or `groups[].meetings` for a
    /// list inside each record of another (each meeting then sees its group
    /// as `parent`). A CSV file's rows, or a file that is a list, need none.
    #[serde(default)]
    pub records: Option<Spanned<String>>,
    /// What the pages are: `page`, `event`, `activity`, `member`, `chapter`.
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    /// The content folder the pages go in; `{field}` and `{parent.field}`
    /// may name a folder per record (`groups/{parent.id}`).
    pub section: Spanned<String>,
    /// A generated section's title, from the record (`{parent.name}`).
    #[serde(default)]
    pub section_title: Option<String>,
    /// The page's URL name: `{id}`, `{parent.id}-{day}`; default the
    /// record's `slug`, else `id`, else its title.
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    /// The field holding the title (default `title`, else `name`).
    #[serde(default)]
    pub title: Option<String>,
    /// The field holding the Markdown body.
    #[serde(default)]
    pub body: Option<String>,
    /// Record field → front-matter field (`"Display name" = "title"`;
    /// `""` drops a column; `"parent.tz" = "timezone"` takes the group's).
    /// Fields already named as front matter need no entry; any other goes
    /// to the page's `extra`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Front matter every record gets unless it writes its own.
    #[serde(default)]
    pub defaults: serde_json::Map<String, serde_json::Value>,
    /// Per front-matter field, text as people write it → the value Hearth
    /// reads (`"PT (Pacific Time)" = "America/Los_Angeles"`). Text a table
    /// does not list is an error at its cell.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// Each generated section publishes its own `calendar.ics` of the
    /// events in it (a working group's meetings).
    #[serde(default)]
    pub calendar: bool,
}

/// `[[plugins]]`: a command that reads the loaded site as JSON on stdin
/// and returns extra pages on stdout (docs/data.md#plugins).
#[derive(Debug, Clone, Deserialize)]
pub struct PluginDef {
    /// A name for diagnostics.
    pub name: String,
    /// The program and its arguments, run in the site folder:
    /// `["python3", "plugins/changelog.py"]`.
    pub command: Spanned<Vec<String>>,
    /// Seconds it may take before the build stops it (default 30).
    #[serde(default = "default_plugin_timeout")]
    pub timeout_secs: u64,
}

fn default_plugin_timeout() -> u64 {
    30
}

/// The hosts Hearth writes access rules for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Host {
    /// Netlify: `_redirects` with Identity roles, `_headers`.
    Netlify,
    /// Cloudflare Pages: a `_worker.js` that checks Cloudflare Access.
    Cloudflare,
    /// nginx: a snippet with `auth_request` to an oauth2-proxy.
    Nginx,
    /// Caddy: a snippet with `forward_auth` to an oauth2-proxy.
    Caddy,
    /// GitHub Pages: serves every file to everyone, like `static`; named
    /// so that a build checks its size limits (`outputs::deploy`).
    Github,
    /// A host that serves every file to everyone (a bucket, a plain server).
    Static,
}

impl Host {
    /// The name as written in `hearth.toml` and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Host::Netlify => "netlify",
            Host::Cloudflare => "cloudflare",
            Host::Nginx => "nginx",
            Host::Caddy => "caddy",
            Host::Github => "github",
            Host::Static => "static",
        }
    }

    /// Every host, for help text.
    pub const ALL: [Host; 6] = [
        Host::Netlify,
        Host::Cloudflare,
        Host::Nginx,
        Host::Caddy,
        Host::Github,
        Host::Static,
    ];

    /// Parses a name from the command line.
    pub fn parse(s: &str) -> Option<Host> {
        Host::ALL.into_iter().find(|h| h.name() == s)
    }

    /// Whether the host can refuse a request by path and identity.
    pub fn enforces_tiers(self) -> bool {
        !matches!(self, Host::Static | Host::Github)
    }
}

/// `[deploy]`: the host, and what its rules need to reach the identity
/// service. Nothing here is secret: signing keys stay with the host.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DeployConfig {
    /// Which host serves the output. Unset or `static`, a build writes the
    /// public pages only, so a forgotten setting never publishes gated ones.
    #[serde(default)]
    pub host: Option<Spanned<Host>>,
    /// nginx, Caddy: the base URL of oauth2-proxy (or a service that
    /// answers its `/oauth2/auth?allowed_groups=` contract).
    #[serde(default)]
    pub auth_url: Option<Spanned<String>>,
    /// nginx, Caddy: where a visitor without a session is sent, with the
    /// page in `?rd=` (default oauth2-proxy's `/oauth2/start`).
    #[serde(default)]
    pub sign_in: Option<Spanned<String>>,
    /// Cloudflare: the Access team domain, `https://TEAM.cloudflareaccess.com`.
    #[serde(default)]
    pub access_team: Option<Spanned<String>>,
    /// Cloudflare: the audience (AUD) tag of the Access application that
    /// signs members in.
    #[serde(default)]
    pub access_aud: Option<Spanned<String>>,
}

impl DeployConfig {
    /// The host, if one is named.
    pub fn host(&self) -> Option<Host> {
        self.host.as_ref().map(|h| h.value)
    }

    /// Where nginx and Caddy send a visitor without a session.
    pub fn sign_in(&self) -> &str {
        self.sign_in
            .as_ref()
            .map_or("/oauth2/start", |s| s.value.as_str())
    }
}

/// A member role.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RoleDef {
    /// Identifier used in member front matter.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the role does.
    #[serde(default)]
    pub description: Option<String>,
}

/// Markdown options.
#[derive(Debug, Clone, Deserialize)]
pub struct MarkdownConfig {
    /// syntect theme for code in light mode.
    #[serde(default = "default_light_theme")]
    pub highlight_theme: Spanned<String>,
    /// syntect theme for code in dark mode.
    #[serde(default = "default_dark_theme")]
    pub highlight_theme_dark: Spanned<String>,
    /// Curly quotes and dashes.
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
    /// Open external links in a new tab.
    #[serde(default)]
    pub external_links_new_tab: bool,
    /// Sanitize raw HTML in Markdown (for hubs that take pull requests from
    /// people they do not know well); new hubs from `hearth init` turn it on.
    #[serde(default)]
    pub safe_html: bool,
    /// How heading ids are made: `hearth` (the default of a Hearth site)
    /// or `github` (GitHub's algorithm, the default in repository mode).
    #[serde(default)]
    pub anchors: Option<AnchorStyle>,
}

/// `[markdown] anchors`: whose rule makes heading ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorStyle {
    /// Hearth's: words joined by single dashes, `.` and `/` separate words.
    Hearth,
    /// GitHub's: punctuation removed, each space a dash, marks kept.
    Github,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_theme: default_light_theme(),
            highlight_theme_dark: default_dark_theme(),
            smart_punctuation: true,
            external_links_new_tab: false,
            safe_html: false,
            anchors: None,
        }
    }
}

fn default_light_theme() -> Spanned<String> {
    Spanned::unplaced("InspiredGitHub".into())
}
fn default_dark_theme() -> Spanned<String> {
    Spanned::unplaced("base16-ocean.dark".into())
}
fn yes() -> bool {
    true
}

/// Build options.
#[derive(Debug, Clone, Deserialize)]
pub struct BuildConfig {
    /// Items per tag page.
    #[serde(default = "default_paginate")]
    pub tag_paginate_by: usize,
    /// A page whose HTML would be larger than this (in MB) fails the build:
    /// a runaway template loop should not fill the disk.
    #[serde(default = "default_max_page_mb")]
    pub max_page_mb: u64,
    /// The most cards one listing page holds (sections without
    /// `paginate_by`, the events list, the member directory, the recap
    /// archive); past it a listing continues on `page/2/`, so a phone never
    /// loads an archive of 4,000 recaps at once. `0` means no limit.
    #[serde(default = "default_max_listing")]
    pub max_listing: usize,
    /// The most KiB of events one subscribed calendar feed holds: Google
    /// Calendar stops reading a subscription past about 1 MB, and a hub's
    /// archive of past events reaches that long before its future ones do.
    /// Events still ahead are always kept; past ones, newest first, while
    /// they fit. `0` means no limit.
    #[serde(default = "default_max_calendar_kb")]
    pub max_calendar_kb: Spanned<usize>,
    /// A page that takes longer than this (in seconds) to render fails the
    /// build, so a hostile or broken template is named instead of hanging CI.
    #[serde(default = "default_render_budget")]
    pub render_budget_secs: u64,
}

fn default_max_listing() -> usize {
    200
}

fn default_max_calendar_kb() -> Spanned<usize> {
    Spanned::unplaced(900)
}

fn default_max_page_mb() -> u64 {
    100
}

fn default_render_budget() -> u64 {
    30
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            tag_paginate_by: default_paginate(),
            max_page_mb: default_max_page_mb(),
            max_listing: default_max_listing(),
            max_calendar_kb: default_max_calendar_kb(),
            render_budget_secs: default_render_budget(),
        }
    }
}

fn default_paginate() -> usize {
    20
}

impl Config {
    /// The URL path the site lives under (`/club` for `https://x.org/club`), without trailing slash.
    pub fn base_path(&self) -> &str {
        let url = self.base_url.value.as_str();
        // A byte scan: a substring search sets up more than it saves on a
        // string this short, and this runs for every URL a build makes.
        let after_scheme = url
            .as_bytes()
            .windows(3)
            .position(|w| w == b"://")
            .map(|i| i + 3)
            .unwrap_or(0);
        match url[after_scheme..].find('/') {
            Some(i) => &url[after_scheme + i..],
            None => "",
        }
    }

    /// The site's origin, e.g. `https://x.org`.
    pub fn origin(&self) -> &str {
        let url = self.base_url.value.as_str();
        &url[..url.len() - self.base_path().len()]
    }

    /// Every language of the site, the default first: its tag and the URL
    /// prefix its pages live under (`""` for the default, `/en` for
    /// `[languages.en]`).
    pub fn language_list(&self) -> Vec<(String, String)> {
        let mut out = vec![(
            self.language.value.clone(),
            if self.prefix_default_language {
                format!("/{}", self.language.value.to_ascii_lowercase())
            } else {
                String::new()
            },
        )];
        for tag in self.languages.keys() {
            out.push((tag.clone(), format!("/{}", tag.to_ascii_lowercase())));
        }
        out
    }

    /// The config as the pages of language `tag` see it: its title,
    /// description, tagline and UI strings over the default language's.
    /// The default language's own tag returns the config unchanged.
    pub fn for_language(&self, tag: &str) -> Config {
        let mut c = self.clone();
        let Some(def) = self.languages.get(tag) else {
            return c;
        };
        c.language = Spanned::unplaced(tag.to_string());
        if let Some(t) = &def.title {
            c.title = t.clone();
        }
        if let Some(d) = &def.description {
            c.description = d.clone();
        }
        if def.tagline.is_some() {
            c.brand.tagline = def.tagline.clone();
        }
        for t in &mut c.tiers {
            if let Some(text) = def.tiers.get(&t.id.value) {
                if let Some(n) = &text.name {
                    t.name = n.clone();
                }
                if text.description.is_some() {
                    t.description = text.description.clone();
                }
            }
        }
        for r in &mut c.roles {
            if let Some(text) = def.roles.get(r.id.as_str()) {
                if let Some(n) = &text.name {
                    r.name = n.clone();
                }
                if text.description.is_some() {
                    r.description = text.description.clone();
                }
            }
        }
        // The default language's overrides are words of that language:
        // only this language's own apply.
        c.strings = def.strings.clone();
        c.strings_at.clear();
        c
    }

    /// A language's name for the switcher: its own `name`, else the
    /// default language's name from the built-in table, else the tag.
    pub fn language_name(&self, tag: &str) -> String {
        if let Some(n) = self.languages.get(tag).and_then(|d| d.name.clone()) {
            return n;
        }
        crate::i18n::endonym(tag).unwrap_or(tag).to_string()
    }

    /// Whether the repository itself is the content (`content_dir = "."`,
    /// or a folder with neither `hearth.toml` nor `content/`).
    pub fn is_repository(&self) -> bool {
        self.content_dir.value == "."
    }

    /// The site-relative path of a content file, as diagnostics name it:
    /// `content/rules.md` in a Hearth site, `sig-apps/README.md` in a
    /// repository.
    pub fn source_file(&self, rel: &str) -> String {
        if self.is_repository() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.content_dir.value)
        }
    }

    /// The folder (site-relative) holding the content.
    pub fn content_root(&self, site: &Path) -> std::path::PathBuf {
        if self.is_repository() {
            site.to_path_buf()
        } else {
            site.join(&self.content_dir.value)
        }
    }

    /// The folder holding the site's own `templates/`, `static/` and
    /// `themes/`: the site folder, or `.hearth/` in repository mode.
    pub fn own_root(&self, site: &Path) -> std::path::PathBuf {
        if self.is_repository() {
            site.join(REPOSITORY_OWN_DIR)
        } else {
            site.to_path_buf()
        }
    }

    /// Whether heading ids follow GitHub's algorithm.
    pub fn github_anchors(&self) -> bool {
        match self.markdown.anchors {
            Some(style) => style == AnchorStyle::Github,
            None => self.is_repository(),
        }
    }

    /// Whether UI strings and dates should be Chinese.
    pub fn is_chinese(&self) -> bool {
        self.language.value.to_ascii_lowercase().starts_with("zh")
    }

    /// `d` placed at `span` of `hearth.toml`, or left at the file when the
    /// value was not written there (a default has an empty span).
    pub fn place(&self, d: Diagnostic, span: &Span) -> Diagnostic {
        if span.is_empty() {
            d
        } else {
            d.at(&SourceText::new(&self.source), span.clone())
        }
    }

    /// Replaces the base URL (from `--base-url`), normalised like the config's.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let url = normalize_base_url(url)?;
        self.base_url = Spanned::unplaced(url);
        Ok(())
    }
}

fn normalize_base_url(url: &str) -> Result<String, String> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| format!("`{url}` is not an http(s) URL"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err(format!("`{url}` has no host name"));
    }
    if rest.contains(['?', '#']) {
        return Err(format!("`{url}` must not have a query or fragment"));
    }
    Ok(trimmed.to_string())
}

/// Reads and validates `SITE/hearth.toml`.
pub fn load(site: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = site.join(FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            return Err(vec![
                Diagnostic::error(FILE, codes::CONFIG_MISSING, format!("cannot read {FILE}: {e}"))
                    .with_help(format!(
                        "run Hearth in a site folder (one with {FILE}), or create one with `hearth init DIR`"
                    )),
            ]);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Err(vec![
                Diagnostic::error(
                    FILE,
                    codes::INVALID_UTF8,
                    format!(
                        "{FILE} is not UTF-8 text (bad byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                )
                .with_help("save the file as UTF-8"),
            ]);
        }
    };
    parse(&text)
}

/// Parses config text; public so tests and `check` can feed text directly.
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let src = SourceText::new(text);
    let node = spanned::parse_toml(text).map_err(|errs| {
        errs.into_iter()
            .map(|e| {
                Diagnostic::error(
                    FILE,
                    codes::CONFIG_SYNTAX,
                    format!("invalid TOML: {}", e.message),
                )
                .at(&src, e.span)
                .with_help("check quotes, `=` signs and [table] headers on this line")
            })
            .collect::<Vec<_>>()
    })?;
    let (result, unknown) = spanned::from_node::<Config>(&node, true);
    let mut diags: Vec<Diagnostic> = unknown
        .iter()
        .map(|u| unknown_key_diagnostic(FILE, &src, u, codes::CONFIG_UNKNOWN_KEY, true))
        .collect();
    let mut config = match result {
        Ok(v) => v,
        Err(e) => {
            let span = e.span.clone().unwrap_or(0..0);
            let what = if e.path.is_empty() {
                e.message.clone()
            } else {
                format!("`{}`: {}", e.path, e.message)
            };
            let help = if e.message.starts_with("missing field") {
                "add the field; see docs/configuration.md for every key".to_string()
            } else {
                "see docs/configuration.md for the expected form".to_string()
            };
            diags.push(
                Diagnostic::error(FILE, codes::CONFIG_INVALID, what)
                    .at(&src, span)
                    .with_help(help),
            );
            return Err(diags);
        }
    };
    config.source = Arc::from(text);
    config.from_file = true;
    if let Some(strings) = node.get("strings") {
        config.strings_at = strings
            .entries()
            .iter()
            .map(|(k, _)| (k.name.clone(), k.span.clone()))
            .collect();
    }
    if let Some(langs) = node.get("languages") {
        config.languages_at = langs
            .entries()
            .iter()
            .map(|(k, _)| (k.name.clone(), k.span.clone()))
            .collect();
    }
    validate(&mut config, &src, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        Err(diags)
    } else {
        Ok(config)
    }
}

/// Turns an unknown key into a diagnostic with "did you mean".
pub fn unknown_key_diagnostic(
    file: &str,
    src: &SourceText<'_>,
    u: &UnknownKey,
    code: &'static str,
    error: bool,
) -> Diagnostic {
    let place = if u.table.is_empty() {
        String::new()
    } else {
        format!(" in `{}`", u.table)
    };
    let message = format!("unknown key `{}`{place}", u.name);
    let d = if error {
        Diagnostic::error(file, code, message)
    } else {
        Diagnostic::warning(file, code, message)
    };
    let help = match did_you_mean(&u.name, u.expected.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("valid keys here: {}", u.expected.join(", ")),
    };
    d.at(src, u.span.clone()).with_help(help)
}

fn validate(config: &mut Config, src: &SourceText<'_>, diags: &mut Vec<Diagnostic>) {
    let mut err = |span: &spanned::Span, msg: String, help: &str| {
        diags.push(
            Diagnostic::error(FILE, codes::CONFIG_INVALID, msg)
                .at(src, span.clone())
                .with_help(help.to_string()),
        );
    };
    match normalize_base_url(&config.base_url.value) {
        Ok(u) => config.base_url.value = u,
        Err(m) => err(
            &config.base_url.span,
            format!("`base_url`: {m}"),
            "write the address the site is published at, e.g. \"https://club.example.org\"",
        ),
    }
    if !valid_language_tag(&config.language.value) {
        err(
            &config.language.span,
            format!(
                "`language`: `{}` is not a BCP 47 language tag",
                config.language.value
            ),
            "use a tag such as \"zh-CN\", \"zh-TW\" or \"en\"",
        );
    }
    for (tag, _) in config.languages.iter() {
        let at = config.languages_at.get(tag).cloned().unwrap_or_default();
        if !valid_language_tag(tag) {
            err(
                &at,
                format!("`[languages.{tag}]`: `{tag}` is not a BCP 47 language tag"),
                "name the table by the language's tag, e.g. [languages.en] or [languages.ar]",
            );
        } else if tag.eq_ignore_ascii_case(&config.language.value) {
            err(
                &at,
                format!("`[languages.{tag}]` is the site's default language"),
                "list only the other languages under [languages]; the default is `language`",
            );
        }
    }
    // One rule for zone names here and in front matter (crate::zones), so
    // the same word gets the same suggestion wherever it is written.
    match crate::zones::parse(&config.timezone.value) {
        // The database's own spelling (`asia/shanghai`, ` UTC ` are read
        // case-insensitively and trimmed): everything downstream looks the
        // name up again and shows it.
        Ok(tz) => {
            if let Some(name) = tz.iana_name() {
                config.timezone.value = name.to_string();
            }
        }
        Err(e) => err(
            &config.timezone.span,
            format!("`timezone`: {}", e.message),
            &e.help,
        ),
    }
    for color in [&config.brand.primary, &config.brand.accent]
        .into_iter()
        .flatten()
    {
        if parse_hex_color(&color.value).is_none() {
            err(
                &color.span,
                format!("`{}` is not a colour", color.value),
                "write a hex colour such as \"#9c3d22\"",
            );
        }
    }
    let mut seen: Vec<&str> = vec!["public"];
    for tier in &config.tiers {
        let id = tier.id.value.as_str();
        if !is_identifier(id) {
            err(
                &tier.id.span,
                format!("tier id `{id}` must be lowercase letters, digits, `-` or `_`"),
                "use an id such as \"member\" or \"core\"",
            );
        } else if seen.contains(&id) {
            let msg = if id == "public" {
                "`public` is the implied lowest tier and cannot be declared".to_string()
            } else {
                format!("tier `{id}` is declared twice")
            };
            err(
                &tier.id.span,
                msg,
                "give every tier a distinct id, lowest first",
            );
        }
        seen.push(id);
    }
    let dir = &config.content_dir;
    if dir.value != CONTENT_DIR && dir.value != "." {
        err(
            &dir.span,
            format!(
                "`content_dir`: `{}` is not a content folder Hearth reads",
                dir.value
            ),
            "write \"content\" (a Hearth site) or \".\" (the repository itself is the content: docs/repositories.md)",
        );
    }
    for (path, kind) in &config.repository.kinds {
        if path.is_empty() || path.starts_with('/') || path.contains('\\') {
            err(
                &kind.span,
                format!("`repository.kinds`: `{path}` is not a path in the repository"),
                "write a folder or a file relative to the repository root, e.g. events = \"events\"",
            );
        }
    }
    validate_deploy(config, src, diags);
}

/// `[deploy]`: a host that gates by identity needs to know where the
/// identity service is; a URL that is not one fails here, not on the server.
fn validate_deploy(config: &Config, src: &SourceText<'_>, diags: &mut Vec<Diagnostic>) {
    let deploy = &config.deploy;
    let Some(host) = &deploy.host else { return };
    let mut need = |key: &str, example: &str| {
        diags.push(
            Diagnostic::error(
                FILE,
                codes::CONFIG_INVALID,
                format!(
                    "`deploy.host = \"{}\"` needs `deploy.{key}` to gate the site's tiers",
                    host.value.name()
                ),
            )
            .at(src, host.span.clone())
            .with_help(format!(
                "add `{key} = {example}` under [deploy] (docs/deploying.md)"
            )),
        );
    };
    if config.tiers.is_empty() {
        return;
    }
    match host.value {
        Host::Nginx | Host::Caddy if deploy.auth_url.is_none() => {
            need("auth_url", "\"http://127.0.0.1:4180\"  # your oauth2-proxy")
        }
        Host::Cloudflare if deploy.access_team.is_none() => {
            need("access_team", "\"https://TEAM.cloudflareaccess.com\"")
        }
        Host::Cloudflare if deploy.access_aud.is_none() => need(
            "access_aud",
            "\"…\"  # the Access application's Audience (AUD) tag",
        ),
        _ => {}
    }
    for url in [&deploy.auth_url, &deploy.access_team]
        .into_iter()
        .flatten()
    {
        let ok = normalize_base_url(&url.value)
            .is_ok_and(|u| !u.contains(['"', '\'', ' ', ';', '{', '}']));
        if !ok {
            diags.push(
                Diagnostic::error(
                    FILE,
                    codes::CONFIG_INVALID,
                    format!("`{}` is not an http(s) address", url.value),
                )
                .at(src, url.span.clone())
                .with_help("write it as \"http://HOST:PORT\" or \"https://HOST\", without a query"),
            );
        }
    }
    if let Some(s) = &deploy.sign_in
        && (!s.value.starts_with('/')
            || s.value.contains(['"', '\'', ' ', ';', '{', '}', '?', '#']))
    {
        diags.push(
            Diagnostic::error(
                FILE,
                codes::CONFIG_INVALID,
                format!("`sign_in` `{}` is not a path on this host", s.value),
            )
            .at(src, s.span.clone())
            .with_help("write a path such as \"/oauth2/start\"; the page is added as `?rd=`"),
        );
    }
    for tier in &config.tiers {
        for g in &tier.groups {
            if g.is_empty()
                || g.contains([',', '"', '\'', '\\', ';', '{', '}'])
                || g.chars().any(char::is_control)
            {
                diags.push(
                    Diagnostic::error(
                        FILE,
                        codes::CONFIG_INVALID,
                        format!(
                            "tier `{}`: group `{g}` cannot be passed to the host safely",
                            tier.id.value
                        ),
                    )
                    .at(src, tier.id.span.clone())
                    .with_help("group names may not be empty or contain , \" ' \\ ; { }"),
                );
            }
        }
    }
}

/// Whether `s` is a plausible BCP 47 tag (language, optional script/region).
fn valid_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let lang = parts.next().unwrap_or("");
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Ids of tiers, roles and members: lowercase ASCII letters, digits and `-`.
pub fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// WCAG 2 contrast ratio between two colours (1 to 21).
pub fn contrast_ratio(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    fn channel(c: u8) -> f64 {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Warnings for brand colours that fail WCAG AA (4.5:1) as text on the
/// theme's light background: links and headings use them.
pub fn brand_contrast_warnings(config: &Config) -> Vec<Diagnostic> {
    let background = (0xff, 0xfd, 0xf9);
    let mut out = Vec::new();
    for (name, color) in [
        ("primary", &config.brand.primary),
        ("accent", &config.brand.accent),
    ] {
        let Some(c) = color else { continue };
        let Some(rgb) = parse_hex_color(&c.value) else {
            continue;
        };
        let ratio = contrast_ratio(rgb, background);
        if ratio < 4.5 {
            let d = Diagnostic::warning(
                FILE,
                codes::BRAND_CONTRAST,
                format!("brand.{name} `{}` has a contrast of {ratio:.2}:1 on the page background; WCAG AA needs 4.5:1 for text", c.value),
            )
            .with_help(format!("use a darker shade, e.g. {}", darken_to_aa(rgb, background)));
            out.push(config.place(d, &c.span));
        }
    }
    out
}

/// The nearest darker shade of `rgb` that reaches 4.5:1 on `background`.
fn darken_to_aa(rgb: (u8, u8, u8), background: (u8, u8, u8)) -> String {
    let mut k = 1.0f64;
    loop {
        let c = (
            (f64::from(rgb.0) * k) as u8,
            (f64::from(rgb.1) * k) as u8,
            (f64::from(rgb.2) * k) as u8,
        );
        if contrast_ratio(c, background) >= 4.5 || k <= 0.0 {
            return format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        }
        k -= 0.02;
    }
}

/// Parses `#rgb` or `#rrggbb` into RGB.
pub fn parse_hex_color(s: &str) -> Option<(u8, u8, u8)> {
    let hex = s.strip_prefix('#')?;
    let val = |h: &str| u8::from_str_radix(h, 16).ok();
    match hex.len() {
        3 => {
            let d: Vec<u8> = hex
                .chars()
                .map(|c| c.to_digit(16).map(|v| v as u8 * 17))
                .collect::<Option<_>>()?;
            Some((d[0], d[1], d[2]))
        }
        6 => Some((val(&hex[0..2])?, val(&hex[2..4])?, val(&hex[4..6])?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_contrast_brand_colours_warn_with_a_darker_suggestion() {
        let text = "title = \"x\"\nbase_url = \"https://a.org\"\n[brand]\nprimary = \"#f5a623\"\naccent = \"#9c3d22\"\n";
        let c = parse(text).unwrap();
        let w = brand_contrast_warnings(&c);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 4);
        let help = w[0].help.clone().unwrap();
        let suggested = parse_hex_color(help.rsplit(' ').next().unwrap()).unwrap();
        assert!(contrast_ratio(suggested, (0xff, 0xfd, 0xf9)) >= 4.5);
        assert!((contrast_ratio((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn unknown_key_names_line_and_nearest_key() {
        let text = "title = \"x\"\nbase_ur = \"https://a.org\"\nbase_url = \"https://a.org/\"\n";
        let errs = parse(text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].col), (2, 1));
        assert_eq!(errs[0].code, codes::CONFIG_UNKNOWN_KEY);
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `base_url`?"));
    }

    #[test]
    fn nested_unknown_keys_are_found_too() {
        let text = "title = \"x\"\nbase_url = \"https://a.org\"\n[brand]\nprimery = \"#000\"\n";
        let errs = parse(text).unwrap_err();
        assert_eq!(errs[0].line, 4);
        assert_eq!(errs[0].message, "unknown key `primery` in `brand`");
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `primary`?"));
    }

    #[test]
    fn the_config_keeps_its_text_for_later_diagnostics() {
        let text = "title = \"x\"\nbase_url = \"https://a.org\"\n[markdown]\nhighlight_theme = \"Solarizd\"\n";
        let c = parse(text).unwrap();
        assert_eq!(&*c.source, text);
        let d = c.place(
            Diagnostic::error(FILE, codes::CONFIG_INVALID, "unknown theme"),
            &c.markdown.highlight_theme.span,
        );
        assert_eq!((d.line, d.col), (4, 19));
        let unplaced = c.place(
            Diagnostic::error(FILE, codes::CONFIG_INVALID, "x"),
            &c.timezone.span,
        );
        assert_eq!(unplaced.line, 0, "a default was not written anywhere");
    }

    #[test]
    fn base_url_is_normalised_and_split() {
        let c = parse("title = \"x\"\nbase_url = \"https://a.org/club/\"\n").unwrap();
        assert_eq!(c.base_url.value, "https://a.org/club");
        assert_eq!(c.base_path(), "/club");
        assert_eq!(c.origin(), "https://a.org");
    }

    #[test]
    fn bad_values_point_at_the_value() {
        let text = "title = \"x\"\nbase_url = \"https://a.org\"\ntimezone = \"Asia/Shangai\"\n[[tiers]]\nid = \"public\"\nname = \"x\"\n";
        let errs = parse(text).unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].line, 3);
        assert!(
            errs[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("did you mean `Asia/Shanghai`?"),
            "{errs:?}"
        );
        assert_eq!(errs[1].line, 5);
    }

    #[test]
    fn zone_names_get_the_same_suggestions_as_in_front_matter() {
        // Asia/Beijing is closest in letters to Asia/Beirut; it means Shanghai.
        let errs =
            parse("title = \"x\"\nbase_url = \"https://a.org\"\ntimezone = \"Asia/Beijing\"\n")
                .unwrap_err();
        assert_eq!(
            errs[0].message,
            "`timezone`: unknown time zone `Asia/Beijing`"
        );
        let help = errs[0].help.as_deref().unwrap();
        assert_eq!(
            help,
            crate::zones::parse("Asia/Beijing").unwrap_err().help,
            "one suggester"
        );
        assert!(help.starts_with("did you mean `Asia/Shanghai`?"), "{help}");
        let errs = parse("title = \"x\"\nbase_url = \"https://a.org\"\ntimezone = \"UTC+8\"\n")
            .unwrap_err();
        assert_eq!(
            errs[0].message,
            "`timezone`: `UTC+8` is a UTC offset, not a time zone"
        );
        assert!(
            parse("title = \"x\"\nbase_url = \"https://a.org\"\ntimezone = \"Etc/GMT-8\"\n")
                .is_ok()
        );
        let c =
            parse("title = \"x\"\nbase_url = \"https://a.org\"\ntimezone = \" asia/shanghai \"\n")
                .unwrap();
        assert_eq!(c.timezone.value, "Asia/Shanghai", "the database's spelling");
    }

    #[test]
    fn a_host_that_gates_needs_its_identity_service() {
        let base = "title = \"x\"\nbase_url = \"https://a.org\"\n[[tiers]]\nid = \"member\"\nname = \"M\"\n";
        let errs = parse(&format!("{base}[deploy]\nhost = \"nginx\"\n")).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, 7);
        assert!(
            errs[0].message.contains("needs `deploy.auth_url`"),
            "{}",
            errs[0].message
        );
        let errs = parse(&format!(
            "{base}[deploy]\nhost = \"cloudflare\"\naccess_team = \"https://t.cloudflareaccess.com\"\n"
        ))
        .unwrap_err();
        assert!(errs[0].message.contains("`deploy.access_aud`"), "{errs:?}");
        let errs = parse(&format!("{base}[deploy]\nhost = \"netlfy\"\n")).unwrap_err();
        assert_eq!(errs[0].line, 7);
        assert!(errs[0].message.contains("netlify"), "{}", errs[0].message);
        let errs = parse(&format!(
            "{base}[deploy]\nhost = \"caddy\"\nauth_url = \"127.0.0.1:4180\"\nsign_in = \"oauth2/start\"\n"
        ))
        .unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!((errs[0].line, errs[1].line), (8, 9));
        let ok = parse(&format!(
            "{base}groups = [\"readers\"]\n[deploy]\nhost = \"nginx\"\nauth_url = \"http://127.0.0.1:4180\"\n"
        ))
        .unwrap();
        assert_eq!(ok.deploy.host(), Some(Host::Nginx));
        assert_eq!(ok.tiers[0].groups, ["readers"]);
        assert_eq!(ok.deploy.sign_in(), "/oauth2/start");
        // Without tiers there is nothing to gate, so nothing is required.
        assert!(
            parse("title = \"x\"\nbase_url = \"https://a.org\"\n[deploy]\nhost = \"nginx\"\n")
                .is_ok()
        );
    }

    #[test]
    fn wrong_type_names_the_field() {
        let errs = parse("title = \"x\"\nbase_url = \"https://a.org\"\n[markdown]\nsmart_punctuation = \"yes\"\n").unwrap_err();
        assert_eq!(errs[0].line, 4);
        assert!(
            errs[0].message.starts_with("`markdown.smart_punctuation`"),
            "{}",
            errs[0].message
        );
    }
}
