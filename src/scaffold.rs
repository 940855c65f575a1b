//! `hearth init` and `hearth new`: files with the right front matter, in the
//! right place, never overwriting anything.

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

/// Creates a minimal working hub in `dir`.
///
/// Refuses a non-empty folder unless `force`; even then, existing files are
/// kept and reported as skipped. Returns the files written.
pub fn init(dir: &Path, force: bool, language: &str) -> Result<Vec<PathBuf>, ScaffoldError> {
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
    let zh = language.to_ascii_lowercase().starts_with("zh");
    let files = starter_files(zh, language);
    let mut written = Vec::new();
    for (rel, contents) in files {
        let path = dir.join(rel);
        if create_new(&path, &contents)? {
            written.push(path);
        }
    }
    Ok(written)
}

fn starter_files(zh: bool, language: &str) -> Vec<(&'static str, String)> {
    let t = |zh_text: &'static str, en_text: &'static str| if zh { zh_text } else { en_text };
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
        tz = if zh { "Asia/Shanghai" } else { "UTC" },
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
                "+++\ntitle = {}\nstart = 2026-01-10T19:00:00\nduration = \"2h\"\nhosts = [\"first-organizer\"]\n\n[location]\nname = {}\n+++\n{}\n",
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

/// Creates a new file of `kind` titled `title` in `site`; returns its path.
pub fn new(
    site: &Path,
    kind: NewKind,
    title: &str,
    date: jiff::civil::Date,
) -> Result<PathBuf, ScaffoldError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ScaffoldError("the title is empty".into()));
    }
    if !site.join(crate::config::FILE).is_file() {
        return Err(ScaffoldError(format!(
            "{} has no {}; pass --site DIR, or create a hub with `hearth init DIR`",
            site.display(),
            crate::config::FILE
        )));
    }
    let content = site.join(crate::content::CONTENT_DIR);
    let slug = slugify(title).ok_or_else(|| {
        ScaffoldError(format!(
            "`{title}` has no letters or digits to make a file name from"
        ))
    })?;
    let (path, body) = match kind {
        NewKind::Event => {
            let dir = section_dir(&content, "events").unwrap_or_else(|| content.join("events"));
            (
                dir.join(format!("{slug}.md")),
                format!(
                    "+++\ntitle = {}\nstart = {date}T19:00:00\nduration = \"2h\"\n# timezone = \"Asia/Shanghai\"   # default: the site's\n# repeat = \"FREQ=WEEKLY;BYDAY=SA\"\nhosts = []\n\n[location]\nname = \"\"\n# address = \"\"\n# url = \"https://…\"   # for an online event\n+++\nWhat happens, who it is for, what to bring.\n",
                    toml_str(title)
                ),
            )
        }
        NewKind::Activity => {
            let dir =
                section_dir(&content, "activities").unwrap_or_else(|| content.join("activities"));
            (
                dir.join(format!("{date}-{slug}")).join("index.md"),
                format!(
                    "+++\ntitle = {}\n# event = \"@/events/the-event.md\"\nhosts = []\n# Put photos in this folder and list them with a description:\nphotos = [\n  # {{ file = \"photo-1.jpg\", alt = \"What the photo shows\" }},\n]\n+++\nWhat happened, what we read, what we talked about.\n",
                    toml_str(title)
                ),
            )
        }
        NewKind::Member => {
            let dir = section_dir(&content, "members").unwrap_or_else(|| content.join("members"));
            (
                dir.join(format!("{slug}.md")),
                format!(
                    "+++\ntitle = {}\nroles = []\njoined = {date}\n\n[links]\n# website = \"https://…\"\n\n# [[showcase]]\n# title = \"\"\n# url = \"https://…\"\n# description = \"\"\n+++\nA sentence or two about yourself.\n",
                    toml_str(title)
                ),
            )
        }
        NewKind::Page => (
            content.join(format!("{slug}.md")),
            format!("+++\ntitle = {}\n+++\n", toml_str(title)),
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
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_escaped_for_toml() {
        assert_eq!(toml_str("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
    }
}
