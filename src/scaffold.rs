//! `hearth init` and `hearth new`: files with the right front matter, in the
//! right place, never overwriting anything.
//!
//! What they write is content, in the site's language: a placeholder body
//! ends up in listings and the home page's cards, so an English sentence in
//! a Chinese hub is what a newcomer sees first. Dates are relative to
//! "today" (from `--now`, `SOURCE_DATE_EPOCH` or the clock, the same rule as
//! `hearth build`), so a fresh hub's first event is upcoming.

use std::path::{Path, PathBuf};

use crate::content::frontmatter;
use crate::spanned::NodeKind;
use crate::text::slugify;

/// What `hearth new` can create: the kinds whose front matter people get
/// wrong most when they start from an empty file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// An event in the events section.
    Event,
    /// An activity recap (a page bundle, so photos sit beside it).
    Activity,
    /// A member profile.
    Member,
    /// A plain page at the top of content/.
    Page,
}

/// The language of the text a scaffold writes: Chinese for any `zh` tag,
/// English otherwise (the starter text exists in these two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Zh,
    En,
}

impl Lang {
    fn of(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The text for this language.
    fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A scaffolding failure, in words for a person.
#[derive(Debug)]
pub struct ScaffoldError(pub String);

impl std::fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn io(path: &Path, e: std::io::Error) -> ScaffoldError {
    ScaffoldError(format!("cannot write {}: {e}", path.display()))
}

/// Writes `contents` to `path` only if nothing is there (never overwrites).
fn create_new(path: &Path, contents: &str) -> Result<bool, ScaffoldError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut f) => {
            use std::io::Write;
            f.write_all(contents.as_bytes()).map_err(|e| io(path, e))?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io(path, e)),
    }
}

/// TOML basic string with escapes, for titles typed on the command line.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Creates a minimal working hub in `dir`, its first event dated after
/// `now` (see [`first_meetup_date`]).
///
/// Refuses a non-empty folder unless `force`; even then, existing files are
/// kept and reported as skipped. Returns the files written.
/// `hearth init --here`: the `hearth.toml` of a repository of Markdown
/// that is already there (repository mode, `content_dir = "."`), written
/// from what its root says (title, language, address, remote), so an
/// organizer can add branding and tiers without moving a file.
pub fn init_here(dir: &Path) -> Result<PathBuf, ScaffoldError> {
    let path = dir.join(crate::config::FILE);
    if path.exists() {
        return Err(ScaffoldError(format!(
            "{} already exists: edit it (content_dir = \".\" makes the repository the content)",
            path.display()
        )));
    }
    let detected = crate::content::repo::detect(dir).ok_or_else(|| {
        ScaffoldError(format!(
            "{} has no Markdown file at its root: run `hearth init --here` in a repository with a README.md, or `hearth init DIR` for a new hub",
            dir.display()
        ))
    })?;
    std::fs::write(&path, crate::content::repo::config_text(&detected))
        .map_err(|e| ScaffoldError(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

pub fn init(
    dir: &Path,
    force: bool,
    language: &str,
    now: jiff::Timestamp,
) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.exists() {
        let non_empty = std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .next()
            .is_some();
        if non_empty && !force {
            return Err(ScaffoldError(format!(
                "{} is not empty; pick a new folder, or pass --force to add only the missing files",
                dir.display()
            )));
        }
    }
    let lang = Lang::of(language);
    let tz = starter_timezone(lang);
    let today = now.to_zoned_datetime(zone(tz)).date();
    let files = starter_files(lang, language, first_meetup_date(today));
    let mut written = Vec::new();
    for (rel, contents) in files {
        let path = dir.join(rel);
        if create_new(&path, &contents)? {
            written.push(path);
        }
    }
    Ok(written)
}

/// The time zone a new hub starts in: a Chinese hub most likely meets on
/// China's clock; anyone else sets their own (`UTC` is the neutral default).
fn starter_timezone(lang: Lang) -> &'static str {
    lang.pick("Asia/Shanghai", "UTC")
}

/// The zone named `name` (by the rule `hearth check` applies), or UTC when
/// it names none: `hearth check` reports that, `new` only needs a date.
fn zone(name: &str) -> jiff::tz::TimeZone {
    crate::zones::parse(name).unwrap_or(jiff::tz::TimeZone::UTC)
}

/// The date of a new hub's first event: the first Saturday at least a week
/// after `today`, so "upcoming" has it from the first build and there is
/// time to fill it in.
pub fn first_meetup_date(today: jiff::civil::Date) -> jiff::civil::Date {
    let mut d = today
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(today);
    while d.weekday() != jiff::civil::Weekday::Saturday {
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    d
}

fn starter_files(
    lang: Lang,
    language: &str,
    meetup: jiff::civil::Date,
) -> Vec<(&'static str, String)> {
    let t = |zh_text: &'static str, en_text: &'static str| lang.pick(zh_text, en_text);
    let config = format!(
        r##"# Hearth site configuration: docs/configuration.md lists every key.
title = {title}
description = {description}
base_url = "https://example.org"
language = "{language}"
timezone = "{tz}"

[brand]
tagline = {tagline}
primary = "#9c3d22"
accent = "#a0621a"

# The tier ladder above `public`, lowest first.
[[tiers]]
id = "member"
name = {member}
join_url = "/join/"

[[tiers]]
id = "core"
name = {core}
join_url = "/join/"

# Where the site is published. A host that can gate (netlify, cloudflare,
# nginx, caddy) gets member pages and its rules; with static (GitHub Pages)
# or no host, only public pages are written. See docs/deploying.md.
# [deploy]
# host = "netlify"

[[roles]]
id = "organizer"
name = {organizer}

[markdown]
smart_punctuation = true
# Raw HTML from contributors is sanitized (scripts, handlers, frames removed).
safe_html = true
"##,
        title = toml_str(t("我们的社群", "Our Community")),
        description = toml_str(t(
            "一个一起读书、一起见面的社群。",
            "A community that reads and meets together."
        )),
        tz = starter_timezone(lang),
        tagline = toml_str(t("慢慢来，一起来。", "Slowly, together.")),
        member = toml_str(t("会员", "Members")),
        core = toml_str(t("核心成员", "Core members")),
        organizer = toml_str(t("组织者", "Organizer")),
    );
    vec![
        ("hearth.toml", config),
        (
            "content/_index.md",
            format!(
                "+++\ntitle = {}\n+++\n{}\n",
                toml_str(t("我们的社群", "Our Community")),
                t(
                    "欢迎！先看看[我们的初心](@/mission.md)和[社群规则](@/rules.md)。",
                    "Welcome! Start with [why we gather](@/mission.md) and [our rules](@/rules.md)."
                )
            ),
        ),
        (
            "content/mission.md",
            format!(
                "+++\ntitle = {}\n+++\n{}\n",
                toml_str(t("我们的初心", "Why we gather")),
                t(
                    "写下你们为什么聚在一起。",
                    "Say in a few sentences why this community exists."
                )
            ),
        ),
        (
            "content/rules.md",
            format!(
                "+++\ntitle = {}\n+++\n{}\n",
                toml_str(t("社群规则", "Rules")),
                t(
                    "1. 彼此尊重。\n2. 不发广告。\n3. 有问题先问管理员。",
                    "1. Be kind.\n2. No ads.\n3. Ask an organizer when in doubt."
                )
            ),
        ),
        (
            "content/faq.md",
            format!(
                "+++\ntitle = {}\n+++\n## {}\n\n{}\n",
                toml_str(t("常见问题", "FAQ")),
                t("怎么加入？", "How do I join?"),
                t(
                    "请看[加入我们](@/join.md)。",
                    "See [how to join](@/join.md)."
                )
            ),
        ),
        (
            "content/join.md",
            format!(
                "+++\ntitle = {}\n+++\n{}\n",
                toml_str(t("加入我们", "Join us")),
                t(
                    "来参加一次活动，然后找组织者聊聊。",
                    "Come to an event, then talk to an organizer."
                )
            ),
        ),
        (
            "content/events/_index.md",
            format!(
                "+++\ntitle = {}\nsort_by = \"date\"\n+++\n",
                toml_str(t("活动", "Events"))
            ),
        ),
        (
            "content/events/first-meetup.md",
            format!(
                "+++\ntitle = {}\nstart = {meetup}T19:00:00\nduration = \"2h\"\nhosts = [\"first-organizer\"]\n\n[location]\nname = {}\n+++\n{}\n",
                toml_str(t("第一次聚会", "First meetup")),
                toml_str(t("线上", "Online")),
                t("介绍一下这次活动。", "Say what happens at this event.")
            ),
        ),
        (
            "content/members/_index.md",
            format!(
                "+++\ntitle = {}\nsort_by = \"title\"\n+++\n",
                toml_str(t("成员", "Members"))
            ),
        ),
        (
            "content/members/first-organizer.md",
            format!(
                "+++\ntitle = {}\nroles = [\"organizer\"]\n+++\n{}\n",
                toml_str(t("第一位组织者", "First Organizer")),
                t("一两句自我介绍。", "A sentence or two about yourself.")
            ),
        ),
        ("static/.gitkeep", String::new()),
    ]
}

/// Finds the content folder of a section of `kind` (`events`, `activities`,
/// `members`): a folder whose `_index.md` declares it, else the folder named so.
fn section_dir(content: &Path, kind: &str) -> Option<PathBuf> {
    let mut declared = None;
    for entry in walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.file_name() != "_index.md" {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let Ok(split) = frontmatter::split(&text) else {
            continue;
        };
        let Some((front, format)) = split.front else {
            continue;
        };
        let Ok(node) = frontmatter::parse(front, format, 0) else {
            continue;
        };
        if let Some(NodeKind::Str(k)) = node.get("kind").map(|n| &n.kind)
            && k == kind
        {
            declared = entry.path().parent().map(Path::to_path_buf);
            break;
        }
    }
    declared.or_else(|| {
        let d = content.join(kind);
        d.is_dir().then_some(d)
    })
}

/// What `hearth new` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The new page.
    pub path: PathBuf,
    /// The section's `_index.md`, when the section had none: without it the
    /// navigation shows the folder's name (`activities`) instead of a title.
    pub section_index: Option<PathBuf>,
}

/// What `hearth new` reads of `hearth.toml`: the language its text is
/// written in and the zone "today" is taken in. Read leniently (a config
/// with a mistake elsewhere still names its language); `hearth check`
/// reports the mistakes.
fn site_settings(site: &Path) -> Result<(String, String), ScaffoldError> {
    let path = site.join(crate::config::FILE);
    let text = std::fs::read_to_string(&path).map_err(|_| {
        ScaffoldError(format!(
            "{} has no {}; pass --site DIR, or create a hub with `hearth init DIR`",
            site.display(),
            crate::config::FILE
        ))
    })?;
    let table: toml::Table = text.parse().unwrap_or_default();
    let get = |key: &str, default: &str| {
        table
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(default)
            .to_string()
    };
    Ok((get("language", "en"), get("timezone", "UTC")))
}

/// The section a new page of `kind` goes in: its folder, and the front
/// matter of the `_index.md` to write when the folder has none.
fn section_for(content: &Path, kind: &str, lang: Lang) -> (PathBuf, String) {
    let dir = section_dir(content, kind).unwrap_or_else(|| content.join(kind));
    let (title, sort_by) = match kind {
        "events" => (lang.pick("活动", "Events"), "date"),
        "activities" => (lang.pick("活动回顾", "Recaps"), "date"),
        _ => (lang.pick("成员", "Members"), "title"),
    };
    let index = format!(
        "+++\ntitle = {}\nsort_by = \"{sort_by}\"\n+++\n",
        toml_str(title)
    );
    (dir, index)
}

/// Creates a new file of `kind` titled `title` in `site`, dated `date`
/// (default: today in the site's time zone, as of `now`), and its
/// section's `_index.md` if the section has none. Text is in the site's
/// language.
pub fn new(
    site: &Path,
    kind: NewKind,
    title: &str,
    date: Option<jiff::civil::Date>,
    now: jiff::Timestamp,
) -> Result<Created, ScaffoldError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ScaffoldError("the title is empty".into()));
    }
    let (language, tz) = site_settings(site)?;
    let lang = Lang::of(&language);
    let date = date.unwrap_or_else(|| now.to_zoned_datetime(zone(&tz)).date());
    let content = site.join(crate::content::CONTENT_DIR);
    let slug = slugify(title).ok_or_else(|| {
        ScaffoldError(format!(
            "`{title}` has no letters or digits to make a file name from"
        ))
    })?;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let title_toml = toml_str(title);
    let (path, body, section) = match kind {
        NewKind::Event => {
            let (dir, index) = section_for(&content, "events", lang);
            let body = format!(
                "+++\ntitle = {title_toml}\nstart = {date}T19:00:00\nduration = \"2h\"\n{}\n{}\nhosts = []\n\n[location]\nname = \"\"\n{}\n{}\n+++\n{}\n",
                t(
                    "# timezone = \"Asia/Shanghai\"   # 默认：站点的时区",
                    "# timezone = \"Asia/Shanghai\"   # default: the site's"
                ),
                t(
                    "# repeat = \"FREQ=WEEKLY;BYDAY=SA\"   # 每周六重复",
                    "# repeat = \"FREQ=WEEKLY;BYDAY=SA\"   # every Saturday"
                ),
                t("# address = \"\"   # 地址", "# address = \"\""),
                t(
                    "# url = \"https://…\"   # 线上活动的链接",
                    "# url = \"https://…\"   # for an online event"
                ),
                t(
                    "介绍一下这次活动：做什么、适合谁、需要带什么。",
                    "What happens, who it is for, what to bring."
                ),
            );
            (dir.join(format!("{slug}.md")), body, Some((dir, index)))
        }
        NewKind::Activity => {
            let (dir, index) = section_for(&content, "activities", lang);
            let body = format!(
                "+++\ntitle = {title_toml}\n{}\nhosts = []\n{}\nphotos = [\n{}\n]\n+++\n{}\n",
                t(
                    "# event = \"@/events/the-event.md\"   # 这次回顾对应的活动页",
                    "# event = \"@/events/the-event.md\""
                ),
                t(
                    "# 把照片放进这个文件夹，逐张列出，并写上照片里有什么：",
                    "# Put photos in this folder and list them with a description:"
                ),
                t(
                    "  # { file = \"photo-1.jpg\", alt = \"照片里有什么\" },",
                    "  # { file = \"photo-1.jpg\", alt = \"What the photo shows\" },"
                ),
                t(
                    "写写这次活动：发生了什么，读了什么，聊了什么。",
                    "What happened, what we read, what we talked about."
                ),
            );
            (
                dir.join(format!("{date}-{slug}")).join("index.md"),
                body,
                Some((dir, index)),
            )
        }
        NewKind::Member => {
            let (dir, index) = section_for(&content, "members", lang);
            let body = format!(
                "+++\ntitle = {title_toml}\nroles = []\njoined = {date}\n\n[links]\n# website = \"https://…\"\n\n# [[showcase]]\n# title = \"\"\n# url = \"https://…\"\n# description = \"\"\n+++\n{}\n",
                t("一两句自我介绍。", "A sentence or two about yourself."),
            );
            (dir.join(format!("{slug}.md")), body, Some((dir, index)))
        }
        NewKind::Page => (
            content.join(format!("{slug}.md")),
            format!(
                "+++\ntitle = {title_toml}\n+++\n{}\n",
                t("在这里写正文。", "Write the page here.")
            ),
            None,
        ),
    };
    if path.exists() {
        return Err(ScaffoldError(format!(
            "{} already exists; nothing was changed (choose another title, or edit that file)",
            path.display()
        )));
    }
    if !create_new(&path, &body)? {
        return Err(ScaffoldError(format!(
            "{} already exists; nothing was changed",
            path.display()
        )));
    }
    let mut section_index = None;
    if let Some((dir, index)) = section {
        let at = dir.join("_index.md");
        if create_new(&at, &index)? {
            section_index = Some(at);
        }
    }
    Ok(Created {
        path,
        section_index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_meetup_is_the_first_saturday_a_week_on() {
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        // Monday → the Saturday of the next week.
        assert_eq!(first_meetup_date(d("2026-03-02")), d("2026-03-14"));
        // Saturday → a week later exactly.
        assert_eq!(first_meetup_date(d("2026-03-07")), d("2026-03-14"));
        // Sunday → 13 days later.
        assert_eq!(first_meetup_date(d("2026-03-08")), d("2026-03-21"));
        // Across a year's end.
        assert_eq!(first_meetup_date(d("2026-12-28")), d("2027-01-09"));
    }

    #[test]
    fn titles_are_escaped_for_toml() {
        assert_eq!(toml_str("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
    }
}
