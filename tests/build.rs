//! `hearth build` end to end: the binary on fixture sites and the example site.

mod common;

use common::*;

#[test]
fn example_site_builds_identically_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let o = build(&example_site(), &a, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let o = build(&example_site(), &b, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(
        ta.len() > 100,
        "example site is a real hub, got {} files",
        ta.len()
    );
    assert_eq!(ta.len(), tb.len());
    for ((pa, ba), (pb, bb)) in ta.iter().zip(&tb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
    for page in [
        "index.html",
        "mission/index.html",
        "rules/index.html",
        "faq/index.html",
        "events/index.html",
        "members/index.html",
        "chapters/index.html",
        "404.html",
    ] {
        assert!(a.join(page).is_file(), "{page} missing");
    }
}

#[test]
fn fixture_site_renders_pages_links_and_assets() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&fixture("basic"), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));

    // Pretty URLs, date prefixes stripped, bundle assets copied beside the page.
    let first = read(&out, "news/first/index.html");
    assert!(out.join("gallery/spring/photo.svg").is_file());
    assert!(out.join("hello.txt").is_file(), "static files are copied");
    assert!(
        !out.join("draft").exists(),
        "drafts are skipped without --drafts"
    );

    // CJK heading ids and hover anchors.
    assert!(
        first.contains("<h2 id=\"活动规则\">活动规则 <a class=\"heading-anchor\""),
        "{first}"
    );
    // Relative .md links become permalinks under the base path, anchors kept.
    assert!(
        first.contains("href=\"/club/news/second/#details\""),
        "{first}"
    );
    assert!(first.contains("href=\"/club/rules/#rule-3\""));
    // Code is highlighted with classes, not inline styles.
    assert!(first.contains("<pre class=\"code hl\" data-lang=\"rust\">"));
    assert!(!first.contains("style=\"color"));

    // Non-ASCII file names stay UTF-8 on disk and are percent-encoded in links.
    assert!(out.join("活动/读书会/index.html").is_file());
    let second = read(&out, "news/second/index.html");
    assert!(second.contains("href=\"/club/%E6%B4%BB%E5%8A%A8/%E8%AF%BB%E4%B9%A6%E4%BC%9A/#%E6%B4%BB%E5%8A%A8%E8%A7%84%E5%88%99\""), "{second}");

    // Rules get stable numbered anchors.
    let rules = read(&out, "rules/index.html");
    for id in ["rule-1", "rule-2", "rule-3", "rule-2-1", "rule-2-2"] {
        assert!(rules.contains(&format!("id=\"{id}\"")), "{id} missing");
    }

    // Sections are sorted newest first and paginated; tags get pages.
    let news = read(&out, "news/index.html");
    let (third, first_pos) = (
        news.find("Third post").unwrap(),
        news.find("Second post").unwrap(),
    );
    assert!(third < first_pos, "newest first");
    assert!(out.join("news/page/2/index.html").is_file());
    assert!(read(&out, "tags/index.html").contains("#Books"));
    assert!(
        read(&out, "tags/books/index.html").contains("Second post"),
        "tags merge case-insensitively"
    );
    assert!(out.join("tags/读书/index.html").is_file());

    // Aliases redirect; 404 exists.
    let alias = read(&out, "old/first/index.html");
    assert!(
        alias.contains("http-equiv=\"refresh\" content=\"0; url=/club/news/first/\""),
        "{alias}"
    );
    assert!(out.join("404.html").is_file());
}

#[test]
fn gated_pages_are_marked_and_kept_out_of_public_aggregates() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&fixture("basic"), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let gated = read(&out, "handbook/hosting/index.html");
    assert!(gated.contains("<meta name=\"hearth-tier\" content=\"member\">"));
    assert!(gated.contains("data-tier=\"member\""));
    assert!(gated.contains("<meta name=\"robots\" content=\"noindex\">"));
    let public = read(&out, "index.html");
    assert!(public.contains("<meta name=\"hearth-tier\" content=\"public\">"));
    assert!(!public.contains("noindex"));
    let sitemap = read(&out, "sitemap.xml");
    assert!(!sitemap.contains("handbook"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://fixture.example.org/club/news/first/</loc>"));
    let access = read(&out, "_hearth/access.json");
    // The whole member section is one folder rule.
    let rules: serde_json::Value = serde_json::from_str(&access).unwrap();
    assert!(
        rules["gated"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["path"] == "/handbook/" && g["tier"] == "member" && g["match"] == "folder"),
        "{access}"
    );
    // The gated page's tag gets no public tag page, and its body no public listing.
    assert!(!out.join("tags/secret-tag").exists());
    let handbook_listing = read(&out, "handbook/index.html");
    assert!(handbook_listing.contains("Hosting guide"));
    // Files served at a gated path (per the manifest) may hold gated text.
    let manifest: serde_json::Value = serde_json::from_str(&access).unwrap();
    let gated: Vec<String> = manifest["gated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["path"].as_str().unwrap().to_string())
        .collect();
    for (path, bytes) in tree(&out) {
        let url = format!("/{path}");
        let behind_gate = gated
            .iter()
            .any(|g| url == *g || (g.ends_with('/') && url.starts_with(g.as_str())));
        if behind_gate || host_only(&path) {
            continue;
        }
        let s = String::from_utf8_lossy(&bytes);
        assert!(
            !s.contains("GATED-CANARY-BODY"),
            "gated text leaked into {path}"
        );
        assert!(
            !s.contains("MEMBERS-ONLY-SECTION-TEXT"),
            "gated text leaked into {path}"
        );
    }
}

#[test]
fn drafts_flag_includes_drafts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&fixture("basic"), &out, &["--drafts"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(out.join("draft/index.html").is_file());
}

#[test]
fn base_url_flag_overrides_config() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(
        &fixture("basic"),
        &out,
        &["--base-url", "http://127.0.0.1:8000"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let first = read(&out, "news/first/index.html");
    assert!(
        first.contains("href=\"/rules/#rule-3\""),
        "links lose the /club prefix"
    );
    assert!(first.contains("<link rel=\"canonical\" href=\"http://127.0.0.1:8000/news/first/\">"));
}

/// A one-page site built once into its `public/` folder.
fn one_page_site_built() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        ("content/a.md", "+++\ntitle = \"A\"\n+++\nHello.\n"),
    ]);
    let out = site.path().join("public");
    let o = build(site.path(), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    (site, out)
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let (site, out) = one_page_site_built();
    let before = tree(&out);
    std::fs::write(
        site.path().join("content/a.md"),
        "+++\ntitle = \"A\"\n+++\n[x](missing.md)\n",
    )
    .unwrap();
    let o = build(site.path(), &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(tree(&out), before, "previous site kept");
    assert!(
        build_folders_left(site.path()).is_empty(),
        "no staging folders left behind"
    );
}

/// A rebuild replaces the previous output whole, however deep its folders
/// and whatever was put in it by hand, and removing it never follows a
/// link out of it: the organizer's files that a link in the output points
/// at are still there afterwards.
#[cfg(unix)]
#[test]
fn rebuild_removes_the_old_output_without_following_links_out_of_it() {
    let (site, out) = one_page_site_built();
    let fresh = tree(&out);

    // What an organizer may have left in the output: deep folders, and
    // links to a folder and a file of their own outside it.
    let keep = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(keep.path().join("photos/2026")).unwrap();
    std::fs::write(keep.path().join("photos/2026/night.jpg"), b"jpeg").unwrap();
    std::fs::write(keep.path().join("notes.txt"), b"mine").unwrap();
    let deep = out.join("stale/a/b/c/d");
    std::fs::create_dir_all(&deep).unwrap();
    for (i, dir) in ["stale", "stale/a", "stale/a/b/c/d"].iter().enumerate() {
        std::fs::write(out.join(dir).join(format!("f{i}.html")), b"old").unwrap();
    }
    std::os::unix::fs::symlink(keep.path().join("photos"), out.join("photos")).unwrap();
    std::os::unix::fs::symlink(keep.path().join("notes.txt"), deep.join("notes.txt")).unwrap();

    let o = build(site.path(), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(tree(&out), fresh, "only the new build's files are left");
    assert!(!out.join("stale").exists() && !out.join("photos").exists());
    assert_eq!(
        std::fs::read(keep.path().join("photos/2026/night.jpg")).unwrap(),
        b"jpeg",
        "a linked folder's files survive"
    );
    assert_eq!(
        std::fs::read(keep.path().join("notes.txt")).unwrap(),
        b"mine"
    );
    assert!(
        build_folders_left(site.path()).is_empty(),
        "the old output's folder is gone"
    );
}

#[test]
fn refuses_to_write_over_the_site_or_a_source_folder() {
    let site = site_from(&[("hearth.toml", CONFIG), ("content/a.md", "hi\n")]);
    let o = build(site.path(), site.path(), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("refusing"));
    let o = build(site.path(), &site.path().join("content"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        site.path().join("content/a.md").is_file(),
        "content survives"
    );
    let parent = site.path().parent().unwrap().to_path_buf();
    let o = build(site.path(), &parent, &[]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an ancestor of the site is refused"
    );
}

#[test]
fn cli_has_version_and_help() {
    let o = hearth().arg("--version").output().unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("hearth "));
    for args in [&["help"][..], &["build", "--help"], &["check", "--help"]] {
        let o = hearth().args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Usage"),
            "{args:?}"
        );
    }
    let o = hearth().args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn files_beside_pages_are_published_and_linked_by_url() {
    let site = site_from(&[
        (
            "hearth.toml",
            "title = \"T\"\nbase_url = \"https://t.example.org/hub\"\n[deploy]\nhost = \"netlify\"\n[[tiers]]\nid = \"member\"\nname = \"M\"\njoin_url = \"/join/\"\n",
        ),
        ("content/notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n"),
        (
            "content/notes/night.md",
            "+++\ntitle = \"Night\"\n+++\n[poster](poster.pdf) and [draft](later.md).\n",
        ),
        ("content/notes/poster.pdf", "%PDF-1.4\n"),
        (
            "content/notes/later.md",
            "+++\ntitle = \"Later\"\ndraft = true\n+++\n",
        ),
        (
            "content/secret/_index.md",
            "+++\ntitle = \"Secret\"\ntier = \"member\"\n+++\n",
        ),
        ("content/secret/minutes.txt", "members only\n"),
        ("static/robots.txt", "User-agent: *\nDisallow: /\n"),
    ]);
    let out = site.path().join("public");
    let o = build(site.path(), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    // A warning, not a broken build, for a link to a draft; the link becomes plain text.
    assert!(text(&o).contains("that page is a draft"), "{}", text(&o));
    let night = read(&out, "notes/night/index.html");
    assert!(night.contains("href=\"/hub/notes/poster.pdf\""), "{night}");
    assert!(
        night.contains("<span class=\"locked-link\" title=\"draft\">draft</span>"),
        "{night}"
    );
    assert!(out.join("notes/poster.pdf").is_file());
    // A section's loose file has the section's tier.
    assert!(read(&out, "_hearth/access.json").contains("\"path\": \"/secret/\""));
    let redirects = read(&out, "_redirects");
    assert!(
        redirects.contains("/hub/secret/*  /hub/secret/:splat  200!  Role=member\n/hub/secret/*  /hub/404.html  401!\n"),
        "{redirects}"
    );
    // The site's own robots.txt wins over the generated one.
    assert_eq!(read(&out, "robots.txt"), "User-agent: *\nDisallow: /\n");
    // Join links get the base path.
    assert!(read(&out, "secret/index.html").contains("href=\"/hub/join/\""));
    let o = build(
        site.path(),
        &site.path().join("pub2"),
        &["--audience", "public"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(!site.path().join("pub2/secret/minutes.txt").exists());
}

/// The file of listing page `n` of the listing at `dir` (`events`, `tags`).
fn listing_page(dir: &str, n: usize) -> String {
    if n == 1 {
        format!("{dir}/index.html")
    } else {
        format!("{dir}/page/{n}/index.html")
    }
}

#[test]
fn long_listings_continue_on_the_next_page() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&example_site(), &site);
    let mut config = std::fs::read_to_string(site.join("hearth.toml")).unwrap();
    config.push_str("\n[build]\nmax_listing = 3\n");
    std::fs::write(site.join("hearth.toml"), config).unwrap();
    let out = tmp.path().join("out");
    let o = build(&site, &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    // Every listing page holds at most three cards, and the pages together
    // show each event, member and recap exactly once.
    for (section, item) in [
        ("events", "<li class=\"event-item"),
        ("members", "<li class=\"card"),
        ("activities", "<li class=\"card"),
    ] {
        let mut seen: Vec<String> = Vec::new();
        let mut n = 1;
        loop {
            let rel = listing_page(section, n);
            if !out.join(&rel).exists() {
                break;
            }
            let html = read(&out, &rel);
            let items: Vec<&str> = html.split(item).skip(1).collect();
            assert!(items.len() <= 3, "{rel} holds {} items", items.len());
            for it in items {
                let href = it
                    .split("href=\"")
                    .nth(1)
                    .unwrap_or("")
                    .split('"')
                    .next()
                    .unwrap();
                seen.push(href.to_string());
            }
            n += 1;
        }
        assert!(n > 2, "{section} did not continue on page 2");
        let total = seen.len();
        seen.sort();
        seen.dedup();
        assert_eq!(
            seen.len(),
            total,
            "{section}: an item shown twice: {seen:?}"
        );
        let written = std::fs::read_dir(out.join(section))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                let name = name.to_string_lossy();
                name != "page" && !name.chars().all(|c| c.is_ascii_digit())
            })
            .count();
        assert!(
            total >= written,
            "{section}: {total} shown of {written} pages"
        );
    }
    // The member directory's first page stays a listing page too: each
    // role of the team gives at most max_listing / roles held (here one)
    // and counts the rest; every page counts the whole directory; and the
    // chapter filter offers only chapters someone on the page is in.
    let first = read(&out, "members/index.html");
    let team =
        &first[first.find("class=\"team\"").unwrap()..first.find("class=\"directory\"").unwrap()];
    for group in team.split("<ul class=\"team-list\">").skip(1) {
        let group = &group[..group.find("</ul>").unwrap()];
        assert_eq!(group.matches("<li>").count(), 1, "{group}");
    }
    assert!(team.contains("<li class=\"team-more\">另有 "), "{team}");
    let mut members = 0;
    for n in 1.. {
        let rel = listing_page("members", n);
        if !out.join(&rel).exists() {
            break;
        }
        let html = read(&out, &rel);
        let directory = &html[html.find("class=\"directory\"").unwrap()..];
        members += directory.matches("<li class=\"card").count();
        let chapters: Vec<&str> = directory
            .split("data-chapter=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let filter = &directory[directory.find("id=\"filter-chapter\"").unwrap()..];
        let filter = &filter[..filter.find("</select>").unwrap()];
        for option in filter.split("<option value=\"").skip(2) {
            let id = &option[..option.find('"').unwrap()];
            assert!(
                chapters.contains(&id),
                "{rel} offers chapter {id}, which no one there is in"
            );
        }
    }
    for n in 1..=2 {
        let rel = listing_page("members", n);
        assert!(
            read(&out, &rel).contains(&format!("class=\"count\">{members} 位成员")),
            "{rel}"
        );
    }
    // The list of all tags continues too, at five tags per card: each tag
    // once, every page linked from the one before.
    let mut tags: Vec<String> = Vec::new();
    let mut n = 1;
    loop {
        let rel = listing_page("tags", n);
        if !out.join(&rel).exists() {
            break;
        }
        let html = read(&out, &rel);
        let on_page: Vec<String> = html
            .split("<a class=\"tag\" href=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect();
        assert!(
            !on_page.is_empty() && on_page.len() <= 15,
            "{rel} lists {} tags",
            on_page.len()
        );
        if n > 1 {
            assert!(html.contains("rel=\"prev\""), "{rel} has no link back");
        }
        tags.extend(on_page);
        n += 1;
    }
    assert!(n > 2, "the tag list did not continue on page 2");
    let total = tags.len();
    tags.sort();
    tags.dedup();
    assert_eq!(tags.len(), total, "a tag listed twice");
    let tag_pages = std::fs::read_dir(out.join("tags"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name() != "page")
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(total, tag_pages, "every tag's page is in the list");
}

/// A link from the site's root is a path in the site: published under the
/// base path, checked against every file the build writes (static files,
/// pages, generated feeds), and accepted as written when it already starts
/// with the base path.
#[test]
fn links_from_the_root_are_checked_and_published_under_the_base_path() {
    let site = site_from(&[
        (
            "hearth.toml",
            "title = \"T\"\nbase_url = \"https://t.example.org/club\"\n",
        ),
        (
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n![poster](/images/poster.svg) [events](/events/) [again](/club/events/) [feed](/atom.xml) [rules](/rules)\n",
        ),
        ("content/events/_index.md", "+++\ntitle = \"Events\"\n+++\n"),
        (
            "content/rules.md",
            "+++\ntitle = \"Rules\"\n+++\n1. Be kind.\n",
        ),
        (
            "static/images/poster.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    let out = site.path().join("out");
    let o = build(site.path(), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let home = read(&out, "index.html");
    for href in [
        "src=\"/club/images/poster.svg\"",
        "href=\"/club/events/\">events",
        "href=\"/club/events/\">again",
        "href=\"/club/atom.xml\"",
        "href=\"/club/rules\"",
    ] {
        assert!(home.contains(href), "{href} in {home}");
    }
    // A path that is not there fails the build at its line.
    std::fs::write(
        site.path().join("content/rules.md"),
        "+++\ntitle = \"Rules\"\n+++\nSee [the poster](/images/poster.png).\n",
    )
    .unwrap();
    let o = build(site.path(), &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(
        t.contains("error[H0304]: `/images/poster.png` does not exist"),
        "{t}"
    );
    assert!(t.contains("/content/rules.md:4:5\n"), "{t}");
    assert!(
        t.contains("help: did you mean `/images/poster.svg`?"),
        "{t}"
    );
}

#[test]
fn the_menu_marks_the_section_a_page_is_under_and_the_footer_lists_short_titles() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&example_site(), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let current = |html: &str| -> Vec<String> {
        html.split("<li><a href=\"")
            .skip(1)
            .filter(|item| {
                let tag = &item[..item.find('>').unwrap()];
                tag.contains("aria-current=\"page\"")
            })
            .map(|item| item[..item.find('"').unwrap()].to_string())
            .collect()
    };
    // An event page: the events item, in the header and in the phone menu.
    let event = std::fs::read_dir(out.join("events"))
        .unwrap()
        .flatten()
        .map(|e| e.path().join("index.html"))
        .find(|p| p.is_file() && !p.parent().unwrap().ends_with("page"))
        .expect("an event page");
    let html = std::fs::read_to_string(&event).unwrap();
    assert_eq!(
        current(&html),
        ["/events/", "/events/"],
        "{}",
        event.display()
    );
    // The mission page marks itself; the home page marks nothing.
    let mission = read(&out, "mission/index.html");
    assert_eq!(current(&mission), ["/mission/", "/mission/"]);
    assert!(current(&read(&out, "index.html")).is_empty());
    // The footer lists each item by the title's first half.
    let footer = &mission[mission.find("<footer").unwrap()..];
    let nav = &footer[footer.find("footer-nav").unwrap()..];
    assert!(nav.contains("\">活动</a></li>"), "{nav}");
    assert!(!nav.contains(" · "), "{nav}");
}

/// A subscribed calendar feed stays within `[build] max_calendar_kb`: the
/// events ahead always, then the latest past ones that fit; older ones stay
/// on the site and in their own `event.ics`. Without a limit, all of them.
#[test]
fn calendar_feeds_keep_what_is_ahead_and_the_latest_past_within_their_budget() {
    let body = "我们一起读书，聊聊这个月读到的好句子。".repeat(8);
    let mut files: Vec<(String, String)> = vec![
        (
            "hearth.toml".into(),
            "title = \"T\"\nbase_url = \"https://t.example.org\"\ntimezone = \"Asia/Shanghai\"\n[build]\nmax_calendar_kb = 4\n".into(),
        ),
        ("content/_index.md".into(), "+++\ntitle = \"Home\"\n+++\n".into()),
        ("content/events/_index.md".into(), "+++\ntitle = \"Events\"\n+++\n".into()),
        (
            "content/events/next.md".into(),
            format!("+++\ntitle = \"Next\"\nstart = 2026-12-10T19:00:00\n+++\n{body}\n"),
        ),
        (
            "content/events/weekly.md".into(),
            format!("+++\ntitle = \"Weekly\"\nstart = 2024-01-06T20:00:00\nrepeat = \"FREQ=WEEKLY\"\n+++\n{body}\n"),
        ),
    ];
    // Series with an end: one over since July 2026 (so the latest of the
    // past), one running until 2028 (so ahead).
    files.push((
        "content/events/series-over.md".into(),
        format!("+++\ntitle = \"Over\"\nstart = 2025-08-02T20:00:00\nrepeat = \"FREQ=WEEKLY;COUNT=50\"\n+++\n{body}\n"),
    ));
    files.push((
        "content/events/series-on.md".into(),
        format!("+++\ntitle = \"On\"\nstart = 2025-01-04T20:00:00\nrepeat = \"FREQ=WEEKLY;COUNT=200\"\n+++\n{body}\n"),
    ));
    // Twelve past events, one a month.
    for k in [7, 2, 11, 4, 9, 1, 12, 6, 3, 10, 5, 8] {
        files.push((
            format!("content/events/past-{k:02}.md"),
            format!("+++\ntitle = \"Past {k}\"\nstart = 2025-{k:02}-15T19:00:00\n+++\n{body}\n"),
        ));
    }
    let site = site_from_owned(&files);
    let out = site.path().join("out");
    let o = build(site.path(), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let feed = read(&out, "calendar.ics");
    assert!(feed.len() < 4 * 1024 + 4 * 1024, "{} bytes", feed.len());
    assert_eq!(
        feed.matches("BEGIN:VEVENT").count(),
        feed.matches("END:VEVENT").count()
    );
    // Everything ahead, and the series that ended last of all.
    for first in [
        "events-next@",
        "events-weekly@",
        "events-series-on@",
        "events-series-over@",
    ] {
        assert!(
            feed.contains(&format!("UID:{first}")),
            "{first} missing:\n{feed}"
        );
    }
    let kept: Vec<u32> = (1..=12)
        .filter(|k| feed.contains(&format!("UID:events-past-{k:02}@")))
        .collect();
    assert!(
        !kept.is_empty() && kept.len() < 12,
        "kept past events {kept:?}"
    );
    // The latest months, with no gap.
    assert_eq!(kept, ((13 - kept.len() as u32)..=12).collect::<Vec<_>>());
    // The site and each event's own file keep the whole archive.
    for k in 1..=12 {
        assert!(out.join(format!("events/past-{k:02}/event.ics")).is_file());
    }
    assert!(!text(&o).contains("H0605"), "{}", text(&o));
    // A budget the events ahead alone pass: they are all kept, and the
    // build says so at the setting's line.
    let config = site.path().join("hearth.toml");
    let c = std::fs::read_to_string(&config).unwrap();
    let build_with = |kb: &str| {
        let budget = format!("max_calendar_kb = {kb}");
        std::fs::write(&config, c.replace("max_calendar_kb = 4", &budget)).unwrap();
        let o = build(site.path(), &out, &[]);
        assert!(o.status.success(), "{}", text(&o));
        text(&o)
    };
    let t = build_with("1");
    assert!(
        t.contains("warning[H0605]: /calendar.ics holds 3 events still ahead"),
        "{t}"
    );
    assert!(t.contains("hearth.toml:5:"), "{t}");
    let feed = read(&out, "calendar.ics");
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 3, "{feed}");
    // No limit: every event, and no warning.
    let t = build_with("0");
    assert!(!t.contains("H0605"), "{t}");
    assert_eq!(
        read(&out, "calendar.ics").matches("BEGIN:VEVENT").count(),
        16
    );
}
