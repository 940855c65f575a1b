//! No gated text in a public file: canary strings planted in every place gated
//! text can live, built for every audience, searched for in every artifact.

mod common;

use std::path::Path;

use common::*;

/// Canary strings the fixture plants, with the tier that may read each.
fn tier_of(canary: &str) -> &'static str {
    if canary.contains("CANARY-CORE") {
        "core"
    } else {
        "member"
    }
}

const LADDER: [&str; 3] = ["public", "member", "core"];

fn rank(tier: &str) -> usize {
    LADDER.iter().position(|t| *t == tier).unwrap()
}

/// Every `CANARY-…` word in `text` (ASCII letters, digits and dashes).
fn canaries_in(text: &str) -> Vec<String> {
    let upper = text.to_uppercase();
    let mut out = Vec::new();
    let mut rest = upper.as_str();
    while let Some(i) = rest.find("CANARY-") {
        let word: String = rest[i..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        out.push(word.clone());
        rest = &rest[i + word.len()..];
    }
    out
}

/// Host-only files that the generated rules deny to everyone.
fn host_only(rel: &str) -> bool {
    rel.starts_with("_hearth/") || rel == "_redirects" || rel == "_headers"
}

/// The gated paths of `_hearth/access.json` as (path, tier).
fn manifest(out: &Path) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(&read(out, "_hearth/access.json")).unwrap();
    v["gated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["path"].as_str().unwrap().to_string(),
                g["tier"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The tier an output file is served at, from the manifest (longest match).
fn served_tier(gated: &[(String, String)], rel: &str) -> &'static str {
    let url = format!("/{rel}");
    let mut best: Option<(&str, &str)> = None;
    for (path, tier) in gated {
        let covers = if path.ends_with('/') {
            url.starts_with(path.as_str())
        } else {
            url == *path
        };
        if covers && best.is_none_or(|(p, _)| path.len() > p.len()) {
            best = Some((path, tier));
        }
    }
    match best.map(|(_, t)| t) {
        Some("core") => "core",
        Some("member") => "member",
        _ => "public",
    }
}

fn assert_no_leaks(
    out: &Path,
    reader_of: impl Fn(&str) -> &'static str,
    allowed: &dyn Fn(&str) -> bool,
) {
    let files = tree(out);
    assert!(!files.is_empty());
    for (rel, bytes) in files {
        if host_only(&rel) {
            continue;
        }
        let reader = reader_of(&rel);
        let text = format!("{rel}\n{}", String::from_utf8_lossy(&bytes));
        for c in canaries_in(&text) {
            if rank(tier_of(&c)) > rank(reader) && !allowed(&c) {
                panic!(
                    "{c} (tier {}) leaked into {rel}, served to {reader}",
                    tier_of(&c)
                );
            }
        }
    }
}

#[test]
fn edge_build_keeps_gated_text_behind_gated_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&fixture("canaries"), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let gated = manifest(&out);
    assert_no_leaks(&out, |rel| served_tier(&gated, rel), &|_| false);
    // The gated pages themselves were written and carry their text.
    assert!(read(&out, "club/notes/index.html").contains("CANARY-MEMBER-BODY"));
    assert!(read(&out, "inner/plan/index.html").contains("CANARY-CORE-BODY"));
    assert!(out.join("members/alice/canary-showcase.svg").is_file());
    // Bundle files, nested raises and sections are all in the manifest.
    for (path, tier) in [
        ("/members/alice/canary-showcase.svg", "member"),
        ("/activities/walk/canary-photo.svg", "member"),
        ("/inner/plan/", "core"),
        ("/club/", "member"),
        ("/faq-core/faq/", "core"),
    ] {
        assert!(
            gated.contains(&(path.to_string(), tier.to_string())),
            "{path} missing from manifest: {gated:?}"
        );
    }
}

#[test]
fn single_audience_builds_write_nothing_above_it() {
    for audience in ["public", "member"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let o = build(&fixture("canaries"), &out, &["--audience", audience]);
        assert!(o.status.success(), "{}", text(&o));
        assert_no_leaks(
            &out,
            |_| {
                if audience == "public" {
                    "public"
                } else {
                    "member"
                }
            },
            &|_| false,
        );
        assert!(
            !out.join("_hearth").exists(),
            "no manifest needed without edge gating"
        );
        // The home page links to gated pages: no broken link, a lock placeholder.
        let home = read(&out, "index.html");
        if audience == "public" {
            assert!(!out.join("club").exists());
            assert!(
                home.contains("<span class=\"locked-link\" title=\"Members\">the club</span>"),
                "{home}"
            );
        } else {
            assert!(out.join("club/notes/index.html").is_file());
            assert!(home.contains("href=\"/club/\""));
            assert!(home.contains("<span class=\"locked-link\" title=\"Core\">the plan</span>"));
        }
    }
}

#[test]
fn title_listing_shows_gated_titles_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("canaries"), &site);
    let cfg = std::fs::read_to_string(site.join("hearth.toml"))
        .unwrap()
        .replace("gated_listing = \"hidden\"", "gated_listing = \"title\"");
    std::fs::write(site.join("hearth.toml"), cfg).unwrap();
    let out = tmp.path().join("out");
    let o = build(&site, &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let gated = manifest(&out);
    let is_title =
        |c: &str| c.ends_with("-TITLE") || c.ends_with("-NAME") || c == "CANARY-CORE-FAQ-SECTION";
    assert_no_leaks(&out, |rel| served_tier(&gated, rel), &is_title);
    let listing = read(&out, "inner/index.html");
    assert!(
        listing.contains("CANARY-CORE-TITLE"),
        "the lock shows the title"
    );
    assert!(listing.contains("card-locked"));
}

#[test]
fn host_rules_cover_exactly_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&fixture("canaries"), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let gated = manifest(&out);
    let mut expected: Vec<String> = Vec::new();
    for (path, _) in &gated {
        expected.push(path.clone());
        if path.ends_with('/') {
            expected.push(format!("{path}*"));
        }
    }
    expected.sort();
    let redirects = read(&out, "_redirects");
    let mut granted: Vec<String> = redirects
        .lines()
        .filter(|l| l.contains(" 200! "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    granted.sort();
    assert_eq!(granted, expected, "one Role rule per gated pattern");
    let denied = redirects.lines().filter(|l| l.ends_with(" 401!")).count();
    assert_eq!(denied, expected.len(), "each has a 401 fallback");
    assert!(
        redirects.contains("/inner/plan/  200!  Role=core\n"),
        "{redirects}"
    );
    assert!(redirects.contains("/club/  200!  Role=member,core\n"));
    assert!(
        redirects.lines().nth(2).unwrap().starts_with("/_hearth/*"),
        "the manifest itself is denied first"
    );
    // More specific rules come before the rules that would also match them.
    let pos = |p: &str| redirects.find(&format!("\n{p}  200!")).unwrap();
    assert!(pos("/inner/plan/") < pos("/club/"));

    let headers = read(&out, "_headers");
    let mut noindex: Vec<String> = headers
        .lines()
        .filter(|l| l.starts_with('/') && !l.starts_with("/_hearth") && !l.starts_with("/*"))
        .map(str::to_string)
        .collect();
    noindex.sort();
    assert_eq!(noindex, expected);
    assert!(
        read(&out, "_hearth/nginx.conf")
            .contains("location ^~ /inner/plan/ {\n    set $hearth_tier core;")
    );
    assert!(read(&out, "_hearth/Caddyfile").contains("uri /auth?tier=core"));
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
