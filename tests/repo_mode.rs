//! Repository mode end to end: a folder of GitHub-style Markdown (README
//! indexes, no front matter, no hearth.toml) built as it is, its links and
//! anchors compared with where GitHub would take a reader.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;

/// The fixture, copied so a test may add what git leaves out (`.git/`,
/// `node_modules/`) or change a file.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("repo-github"), dir.path());
    let extra = [
        ("node_modules/left-pad/README.md", "# left-pad\n"),
        ("public/old/index.html", "<p>an old build</p>\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
        (".hidden-notes.md", "# secret\n"),
    ];
    for (path, text) in extra {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// Diagnostics of a JSON-format run: (code, file name from the repository
/// root, line).
fn diagnostics(o: &std::process::Output, root: &Path) -> BTreeSet<(String, String, u64)> {
    let root = root.display().to_string();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&o.stderr).lines())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v.get("code").is_some())
        .map(|v| {
            let file = v["file"].as_str().unwrap_or("");
            let file = file
                .strip_prefix(&root)
                .unwrap_or(file)
                .trim_start_matches('/');
            (
                v["code"].as_str().unwrap().to_string(),
                file.to_string(),
                v["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The `href`s and `src`s of a page's `<main>`, in order.
fn links_in_main(html: &str) -> Vec<String> {
    let start = html.find("<main").expect("a <main>");
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |e| start + e);
    let main = &html[start..end];
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = main;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let j = rest.find('"').unwrap();
            out.push(rest[..j].to_string());
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Every internal link of every page whose file or anchor the build did
/// not write: (page, href).
fn broken_links(out: &Path) -> BTreeSet<(String, String)> {
    let pages: Vec<String> = tree(out)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with(".html"))
        .collect();
    let mut broken = BTreeSet::new();
    for page in &pages {
        let html = read(out, page);
        let dir = format!("/{}", page.rsplit_once('/').map_or("", |(d, _)| d));
        for link in links_in_main(&html) {
            if link.contains(':') || link.starts_with("//") {
                continue;
            }
            let (path, frag) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(percent_decode(f))),
                None => (link.clone(), None),
            };
            let abs = if path.is_empty() {
                format!("/{page}")
            } else if path.starts_with('/') {
                path.clone()
            } else {
                format!("{}/{path}", dir.trim_end_matches('/'))
            };
            let mut file = percent_decode(abs.trim_start_matches('/'));
            if file.is_empty() || file.ends_with('/') {
                file.push_str("index.html");
            }
            let target = out.join(&file);
            let ok = if target.is_file() {
                match &frag {
                    Some(f) => {
                        let t = std::fs::read_to_string(&target).unwrap_or_default();
                        t.contains(&format!("id=\"{f}\"")) || t.contains(&format!("name=\"{f}\""))
                    }
                    None => true,
                }
            } else {
                false
            };
            if !ok {
                broken.insert((page.clone(), link));
            }
        }
    }
    broken
}

#[test]
fn a_github_repository_becomes_a_hub_with_links_where_github_sends_them() {
    let repo = repository();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(repo.path(), &out, &["--format", "json"]);
    assert!(o.status.success(), "{}", text(&o));

    // README.md is the folder's index, any case; the first heading is
    // the title and is not shown twice.
    let home = read(&out, "index.html");
    assert!(home.contains("<title>Riverside Makers"), "{home}");
    let apps = read(&out, "sig-apps/index.html");
    assert_eq!(apps.matches("SIG Apps</h1>").count(), 1, "{apps}");
    assert!(out.join("docs/index.html").is_file(), "docs/readme.md");
    assert!(out.join("docs/guide/index.html").is_file());
    assert!(!out.join("readme").exists() && !out.join("sig-apps/readme").exists());
    // The site's description is the README's first paragraph: the home page
    // shows that paragraph once, in the body, not again above it.
    let opening = "Riverside Makers is a community of people who build things together.";
    let main = &home[home.find("<main").unwrap()..home.find("</main>").unwrap()];
    assert_eq!(main.matches(opening).count(), 1, "{main}");
    assert!(
        home.contains(&format!("content=\"{opening}\"")),
        "meta description"
    );

    // Where GitHub takes a reader from the root README, in order.
    let expected = [
        "/sig-list/",                      // /sig-list.md, from the repository root
        "/sig-apps/",                      // sig-apps/README.md
        "/sig-apps/",                      // ./sig-apps, a folder
        "/sig-apps/",                      // sig-apps/
        "/OWNERS",                         // a file without a dot
        "/sigs.yaml",                      // a file that is not Markdown
        "generator",                       // a folder without README, no repo_url: H0306
        "mailto:team@example.org",         // <team@example.org>
        "#motivationobjective",            // GitHub's id for Motivation/Objective
        "/docs/guide/#%E5%AE%89%E8%A3%85", // 安装
        "/docs/guide/#%E0%A4%B9%E0%A4%BF%E0%A4%A8%E0%A5%8D%E0%A4%A6%E0%A5%80-%E0%A4%AD%E0%A4%BE%E0%A4%B7%E0%A4%BE", // हिन्दी-भाषा, virama kept
        "/docs/guide/#%E0%AE%A4%E0%AE%AE%E0%AE%BF%E0%AE%B4%E0%AF%8D-%E0%AE%AE%E0%AF%8A%E0%AE%B4%E0%AE%BF", // தமிழ்-மொழி, pulli kept
        "/sig-apps/#charter",           // <a name="charter">
        "/docs/guide/#getting-started", // raw HTML href
        "/events/",                     // raw HTML, root-relative folder
        "/sig-list/#sig-chairs",        // #SIG-Chairs, written in the right case
        "old-notes.md",                 // broken on GitHub too: H0301
        ".github/workflows/ci.yml",     // not published, no repo_url: H0306
        "/values/",                     // inside a kramdown markdown="1" block
    ];
    let hrefs: Vec<String> = links_in_main(&home)
        .into_iter()
        .filter(|h| !h.starts_with("/images/"))
        .skip_while(|h| h != "/sig-list/")
        .collect();
    let mut it = hrefs.iter();
    for want in expected {
        assert!(
            it.any(|h| h == want),
            "`{want}` not found in order among {hrefs:#?}"
        );
    }
    assert!(
        home.contains("src=\"/images/logo.svg\""),
        "raw HTML <img src>"
    );
    assert!(
        home.contains("<strong>kramdown</strong>"),
        "markdown=\"1\" rendered"
    );
    assert!(!home.contains("markdown=\"1\""));

    // A Jekyll site links a page by the URL Jekyll gives it; the hub
    // gives `values.md` the same one.
    let jekyll = links_in_main(&read(&out, "jekyll/index.html"));
    assert!(jekyll.contains(&"/values/".to_string()), "{jekyll:?}");
    assert!(
        jekyll.contains(&"/sig-list/#sig-chairs".to_string()),
        "{jekyll:?}"
    );

    // A Jekyll site's articles link each other relative to their URL
    // (`/es/community/` → `../starting/`), which GitHub's file view cannot
    // follow: the hub follows them as the published site does, so a
    // translation links its own language's article and anchor.
    let es = links_in_main(&read(&out, "_articles/es/community/index.html"));
    assert!(
        es.contains(&"/_articles/es/starting/#escribir-un-readme".to_string()),
        "{es:?}"
    );
    let en = links_in_main(&read(&out, "_articles/community/index.html"));
    assert!(
        en.contains(&"/_articles/starting/#writing-a-readme".to_string()),
        "{en:?}"
    );

    // Heading ids as GitHub makes them, in several scripts.
    for id in ["हिन्दी-भाषा", "தமிழ்-மொழி", "活动规则草案"]
    {
        assert!(apps.contains(&format!("id=\"{id}\"")), "{id} in {apps}");
    }
    let guide = read(&out, "docs/guide/index.html");
    for id in ["安装", "a-b--c", "getting-started", "getting-started-1"] {
        assert!(guide.contains(&format!("id=\"{id}\"")), "{id} in {guide}");
    }

    // A folder named events and a file named values.md are plain pages.
    let events = read(&out, "events/index.html");
    assert!(events.contains("Our meetups."), "{events}");
    assert!(
        !events.contains("calendar"),
        "not an events section: {events}"
    );

    // Only pages and what they link to or show are published.
    for published in ["OWNERS", "sigs.yaml", "images/logo.svg"] {
        assert!(out.join(published).is_file(), "{published} is linked");
    }
    for never in [
        "go.mod",
        "Makefile",
        "generator",
        "sig-apps/OWNERS",
        ".github",
        ".git",
        "node_modules",
        "build",
        "old",
        ".hidden-notes",
        ".hidden-notes.md",
        "README.md",
    ] {
        assert!(!out.join(never).exists(), "{never} must not be published");
    }

    // The repository's own mistakes are warnings at file:line.
    let diags = diagnostics(&o, repo.path());
    let want: BTreeSet<(String, String, u64)> = [
        ("H0306", "README.md", 10),
        ("H0308", "README.md", 21),
        ("H0301", "README.md", 22),
        ("H0306", "README.md", 23),
        ("H0307", "jekyll.md", 6),
        ("H0307", "jekyll.md", 8),
    ]
    .into_iter()
    .map(|(c, f, l)| (c.to_string(), f.to_string(), l))
    .collect();
    assert_eq!(diags, want, "{}", text(&o));

    // Nothing is broken silently: every link the output cannot follow is
    // one of the diagnosed ones.
    let broken: BTreeMap<String, Vec<String>> =
        broken_links(&out)
            .into_iter()
            .fold(BTreeMap::new(), |mut m, (page, href)| {
                m.entry(page).or_default().push(href);
                m
            });
    let mut want = BTreeMap::new();
    want.insert(
        "index.html".to_string(),
        vec![
            ".github/workflows/ci.yml".to_string(),
            "generator".to_string(),
            "old-notes.md".to_string(),
        ],
    );
    assert_eq!(broken, want);

    // The same warnings fail a check that denies them, and only then.
    let check = |extra: &[&str]| {
        hearth()
            .arg("check")
            .arg(repo.path())
            .args(extra)
            .output()
            .unwrap()
    };
    let o = check(&[]);
    assert!(o.status.success(), "{}", text(&o));
    let o = check(&["--deny-warnings"]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("H0301"), "{}", text(&o));
}

#[test]
fn with_a_git_remote_unpublished_paths_link_to_the_repository_on_the_web() {
    let repo = repository();
    std::fs::write(
        repo.path().join(".git/config"),
        "[remote \"origin\"]\n\turl = git@github.com:riverside/makers.git\n",
    )
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(repo.path(), &out, &["--format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    let home = read(&out, "index.html");
    assert!(
        home.contains("href=\"https://github.com/riverside/makers/tree/main/generator\""),
        "{home}"
    );
    assert!(
        home.contains(
            "href=\"https://github.com/riverside/makers/blob/main/.github/workflows/ci.yml\""
        ),
        "{home}"
    );
    let codes: Vec<String> = diagnostics(&o, repo.path())
        .into_iter()
        .map(|(c, _, _)| c)
        .collect();
    assert!(!codes.contains(&"H0306".to_string()), "{codes:?}");
}

#[test]
fn an_optional_hearth_toml_brands_the_repository_without_moving_a_file() {
    let repo = repository();
    std::fs::write(
        repo.path().join("hearth.toml"),
        "title = \"Riverside\"\nbase_url = \"https://riverside.example.org\"\ncontent_dir = \".\"\n\n[repository]\nexclude = [\"jekyll.md\"]\ninclude = [\"sig-apps/OWNERS\"]\nkinds = { events = \"events\" }\n",
    )
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(repo.path(), &out, &["--format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    let home = read(&out, "index.html");
    assert!(
        home.contains("<title>Riverside</title>") || home.contains("<title>Riverside "),
        "{home}"
    );
    assert!(!out.join("jekyll").exists(), "excluded");
    assert!(out.join("sig-apps/OWNERS").is_file(), "included");
    assert!(out.join("sig-apps/index.html").is_file());
    let codes: Vec<String> = diagnostics(&o, repo.path())
        .into_iter()
        .map(|(c, _, _)| c)
        .collect();
    assert!(!codes.contains(&"H0307".to_string()), "{codes:?}");
}

#[test]
fn a_folder_with_neither_hearth_toml_nor_markdown_is_not_a_site() {
    let dir = site_from(&[("notes.txt", "hello\n")]);
    let tmp = tempfile::tempdir().unwrap();
    let o = build(dir.path(), &tmp.path().join("out"), &[]);
    assert!(!o.status.success());
    let t = text(&o);
    assert!(t.contains("H0100") && t.contains("repository"), "{t}");
}

#[test]
fn files_github_shows_despite_their_mistakes_are_warnings_not_a_failed_build() {
    let dir = site_from(&[
        (
            "README.md",
            "# Home\n\nSee [notes](notes.md) and [skill](skill.md).\n",
        ),
        (
            "skill.md",
            "---\nname: x\ndescription: Use it. Trigger phrases: \"go\".\n---\n\n# Skill\n\nBody text.\n",
        ),
    ]);
    std::fs::write(
        dir.path().join("notes.md"),
        b"# Notes\n\nCaf\xe9 au lait.\n".as_slice(),
    )
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(dir.path(), &out, &["--format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    let diags = diagnostics(&o, dir.path());
    assert!(
        diags.contains(&("H0207".into(), "notes.md".into(), 3)),
        "{diags:?}"
    );
    assert!(
        diags.contains(&("H0202".into(), "skill.md".into(), 3)),
        "{diags:?}"
    );
    assert!(read(&out, "notes/index.html").contains("Caf\u{fffd} au lait."));
    let skill = read(&out, "skill/index.html");
    assert!(
        skill.contains("Body text.") && skill.contains("Skill</h1>"),
        "{skill}"
    );
}

#[test]
fn init_here_writes_a_config_that_keeps_the_repository_as_it_is() {
    let repo = repository();
    std::fs::write(
        repo.path().join(".git/config"),
        "[remote \"origin\"]\n\turl = https://github.com/riverside/makers.git\n",
    )
    .unwrap();
    let o = hearth()
        .args(["init", "--here"])
        .arg(repo.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let config = std::fs::read_to_string(repo.path().join("hearth.toml")).unwrap();
    for line in [
        "title = \"Riverside Makers\"",
        "content_dir = \".\"",
        "repo_url = \"https://github.com/riverside/makers\"",
        "base_url = \"https://riverside.github.io/makers\"",
        "language = \"en\"",
    ] {
        assert!(config.contains(line), "{line} in {config}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let o = build(repo.path(), &tmp.path().join("out"), &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(tmp.path().join("out/sig-apps/index.html").is_file());
    // Never over an existing config.
    let o = hearth()
        .args(["init", "--here"])
        .arg(repo.path())
        .output()
        .unwrap();
    assert!(!o.status.success() && text(&o).contains("already exists"));
}

/// The `<nav class="sidebar-tree">` of a page, if it has one.
fn sidebar(html: &str) -> Option<&str> {
    let start = html.find("<nav class=\"sidebar-tree\"")?;
    let end = html[start..].find("</nav>")? + start;
    Some(&html[start..end])
}

#[test]
fn deep_sections_get_a_sidebar_tree_bounded_on_huge_sections() {
    let repo = repository();
    // A flat folder of 100 pages: past the cap, the tree links the folder's
    // page instead of listing every page on each of them.
    for n in 0..100 {
        let p = repo.path().join(format!("notes/note-{n:03}.md"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, format!("# Note {n:03}\n\nText.\n")).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(repo.path(), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));

    // In a folder with subfolders: the top folder's tree, the way down
    // open, this page marked.
    let page = read(&out, "_articles/es/community/index.html");
    let tree = sidebar(&page).expect("a sidebar");
    assert!(
        tree.contains("<details open><summary><a href=\"/_articles/es/\">"),
        "{tree}"
    );
    assert!(
        tree.contains("<a href=\"/_articles/es/community/\" aria-current=\"page\">"),
        "{tree}"
    );
    assert_eq!(tree.matches("aria-current").count(), 1, "{tree}");
    assert!(
        tree.contains("href=\"/_articles/starting/\""),
        "a sibling page"
    );
    // Not on the home page, nor in a small flat folder.
    assert!(sidebar(&read(&out, "index.html")).is_none());
    assert!(sidebar(&read(&out, "sig-apps/index.html")).is_none());

    // A huge folder: at most 40 pages per level, the page shown always
    // among them, then a link to the folder's page.
    let last = read(&out, "notes/note-099/index.html");
    let tree = sidebar(&last).expect("a sidebar on a long flat folder");
    assert_eq!(tree.matches("<li").count(), 40 + 1 + 1, "{tree}");
    assert!(tree.contains("href=\"/notes/note-000/\""));
    assert!(tree.contains("<a href=\"/notes/note-099/\" aria-current=\"page\">"));
    assert!(!tree.contains("href=\"/notes/note-050/\""), "{tree}");
    assert!(
        tree.contains("<li class=\"sidebar-more\"><a href=\"/notes/\">"),
        "{tree}"
    );
    assert_eq!(tree.matches("aria-current").count(), 1, "{tree}");
    // Pages of one folder share its level of the tree: each marks itself
    // only, in its place when among the first forty.
    for n in [0, 5, 39] {
        let page = read(&out, &format!("notes/note-{n:03}/index.html"));
        let tree = sidebar(&page).expect("a sidebar");
        assert_eq!(tree.matches("<li").count(), 40 + 1, "{tree}");
        assert_eq!(tree.matches("aria-current").count(), 1, "{tree}");
        let mark = format!("<a href=\"/notes/note-{n:03}/\" aria-current=\"page\">");
        assert!(tree.contains(&mark), "{tree}");
    }
}
