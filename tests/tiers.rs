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

/// One rule of `_hearth/access.json`.
struct Gated {
    path: String,
    tier: String,
    folder: bool,
}

impl Gated {
    /// Whether a request path falls under the rule (docs/deploying.md).
    fn covers(&self, url: &str) -> bool {
        if self.folder {
            return url.starts_with(&self.path) || url == self.path.trim_end_matches('/');
        }
        match self.path.strip_suffix("index.html") {
            Some(dir) => url == self.path || url == dir || url == dir.trim_end_matches('/'),
            None => url == self.path,
        }
    }
}

/// The gated rules of `_hearth/access.json`.
fn manifest(out: &Path) -> Vec<Gated> {
    let v: serde_json::Value = serde_json::from_str(&read(out, "_hearth/access.json")).unwrap();
    v["gated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| Gated {
            path: g["path"].as_str().unwrap().to_string(),
            tier: g["tier"].as_str().unwrap().to_string(),
            folder: g["match"] == "folder",
        })
        .collect()
}

/// The tier an output file is served at: the strictest rule that covers it.
fn served_tier(gated: &[Gated], rel: &str) -> &'static str {
    let url = format!("/{rel}");
    let best = gated
        .iter()
        .filter(|g| g.covers(&url))
        .map(|g| rank(&g.tier))
        .max()
        .unwrap_or(0);
    LADDER[best]
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
        // Search shards and packs are gzip members: look inside them, or a
        // leak there would be invisible to this test.
        let bytes = hearth::search::gunzip(&bytes).expect("a gzip file that does not unpack");
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
    // Bundle files, nested raises, sections, feeds and search bundles are
    // all served at their tier, and a page's URL without its slash too.
    for (path, tier) in [
        ("members/alice/canary-showcase.svg", "member"),
        ("activities/walk/canary-photo.svg", "member"),
        ("inner/plan/index.html", "core"),
        ("inner/plan", "core"),
        ("club/", "member"),
        ("faq-core/faq/index.html", "core"),
        ("feeds/core/atom.xml", "core"),
        ("calendar/member.ics", "member"),
        ("calendar/core.ics", "core"),
        ("search/member/index.json", "member"),
        ("search/member/p/0.gz", "member"),
        ("search/member/s/0.gz", "member"),
        ("search/core/p/0.gz", "core"),
        ("search/public/index.json", "public"),
        ("search/public/p/0.gz", "public"),
        ("index.html", "public"),
    ] {
        assert_eq!(served_tier(&gated, path), tier, "{path}");
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
fn netlify_rules_cover_exactly_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&fixture("canaries"), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("gated pages written for netlify; the host must apply _redirects"),
        "{}",
        text(&o)
    );
    let gated = manifest(&out);
    let mut expected: Vec<String> = Vec::new();
    for g in &gated {
        if g.folder {
            expected.push(format!("{}*", g.path));
            expected.push(g.path.trim_end_matches('/').to_string());
        } else {
            expected.push(g.path.clone());
            if let Some(dir) = g.path.strip_suffix("index.html") {
                expected.push(dir.to_string());
                expected.push(dir.trim_end_matches('/').to_string());
            }
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
    // Every rule has a target (Netlify's engine refuses a rule without one).
    for l in redirects.lines().filter(|l| !l.starts_with('#')) {
        assert!(l.split_whitespace().count() >= 3, "no target: {l}");
    }
    let denied = redirects.lines().filter(|l| l.ends_with(" 401!")).count();
    assert_eq!(denied, expected.len(), "each has a 401 fallback");
    assert!(
        redirects.contains("/inner/plan/*  /inner/plan/:splat  200!  Role=core\n"),
        "{redirects}"
    );
    assert!(redirects.contains("/club/*  /club/:splat  200!  Role=member,core\n"));
    assert!(
        redirects.contains("/inner/plan/*  /join/  401!\n"),
        "refused visitors see the join page"
    );
    let first = redirects.lines().find(|l| !l.starts_with('#')).unwrap();
    assert!(
        first.starts_with("/_hearth "),
        "host files are denied first: {first}"
    );
    // More specific rules come before the rules that would also match them.
    let pos = |p: &str| redirects.find(&format!("\n{p}  ")).unwrap();
    assert!(pos("/inner/plan/*") < pos("/club/*"));

    let headers = read(&out, "_headers");
    let mut noindex: Vec<String> = headers
        .lines()
        .filter(|l| l.starts_with('/'))
        .map(str::to_string)
        .collect();
    noindex.sort();
    assert_eq!(noindex, expected);
    assert!(
        !out.join("_hearth/nginx.conf").exists(),
        "only the named host's rules"
    );
}

#[test]
fn each_host_gets_its_own_rules_from_the_same_table() {
    let tmp = tempfile::tempdir().unwrap();
    for host in ["nginx", "caddy", "cloudflare"] {
        let out = tmp.path().join(host);
        let o = build(&fixture("edge-hub"), &out, &["--host", host]);
        assert!(o.status.success(), "{host}: {}", text(&o));
        assert!(!out.join("_redirects").exists());
        let gated = manifest(&out);
        assert!(
            gated
                .iter()
                .any(|g| g.path == "/会员手册/" && g.folder && g.tier == "member"),
            "Chinese paths are kept decoded"
        );
        match host {
            "nginx" => {
                let conf = read(&out, "_hearth/nginx.conf");
                assert!(
                    conf.contains(
                        "location ^~ \"/会员手册/\" {\n    auth_request /_hearth_auth/member;"
                    ),
                    "{conf}"
                );
                assert!(conf.contains("location = \"/会员手册\" { return 301 \"/%E4%BC%9A%E5%91%98%E6%89%8B%E5%86%8C/$is_args$args\"; }"), "{conf}");
                assert!(
                    conf.contains(
                        "proxy_pass http://127.0.0.1:18180/oauth2/auth?allowed_groups=core%2Dteam;"
                    ),
                    "{conf}"
                );
                assert!(conf.contains("proxy_pass http://127.0.0.1:18180/oauth2/auth?allowed_groups=members,core%2Dteam;"), "{conf}");
                assert!(
                    !conf.contains("set $"),
                    "no variable shared with the auth subrequest"
                );
            }
            "caddy" => {
                let conf = read(&out, "_hearth/Caddyfile");
                assert!(conf.contains("\"/会员手册/*\" \"/会员手册\""), "{conf}");
                assert!(
                    conf.contains("forward_auth http://127.0.0.1:18180 {"),
                    "{conf}"
                );
            }
            _ => {
                let worker = read(&out, "_worker.js");
                assert!(worker.contains("[\"/会员手册/\",true,1]"), "{worker}");
                assert!(
                    worker.contains("\"team\":\"http://127.0.0.1:18190\""),
                    "{worker}"
                );
            }
        }
    }
}

#[test]
fn without_a_host_that_gates_only_public_pages_are_published() {
    let tmp = tempfile::tempdir().unwrap();
    for host in [None, Some("static")] {
        let out = tmp.path().join(host.unwrap_or("none"));
        let args: Vec<&str> = host.map(|h| vec!["--host", h]).unwrap_or_default();
        let o = build(&fixture("edge-hub"), &out, &args);
        assert!(o.status.success(), "{}", text(&o));
        let said = text(&o);
        assert!(said.contains("public pages only"), "{said}");
        assert!(said.contains("warning[H0407]"), "{said}");
        assert!(!out.join("handbook").exists());
        assert!(!out.join("_hearth").exists());
        assert_no_leaks(&out, |_| "public", &|_| false);
    }
    // `check` says so too, and names the hosts that could gate them.
    let o = hearth()
        .args(["check"])
        .arg(fixture("edge-hub"))
        .output()
        .unwrap();
    let said = text(&o);
    assert!(said.contains("warning[H0407]"), "{said}");
    assert!(
        said.contains("host = \"netlify\" | \"cloudflare\" | \"nginx\" | \"caddy\""),
        "{said}"
    );
}

/// The benchmark's tiered hub (`bench/gen.py --tiers`, 400 pages: a gated
/// members section, gated events, recaps and news, a `CANARY-…` word in
/// every gated body), built at the edge: nothing gated below its tier, in
/// pages, listings, feeds, calendars or search packs. `bench/leaks.py` runs
/// the same check on the 10,000- and 100,000-page hubs of `bench/run.sh`.
#[test]
fn the_tiered_benchmark_hub_keeps_gated_text_behind_gated_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let made = std::process::Command::new("python3")
        .arg(repo.join("bench/gen.py"))
        .args([
            "--pages", "400", "--seed", "3", "--tiers", "--only", "hearth", "--out",
        ])
        .arg(tmp.path())
        .output()
        .expect("python3 runs bench/gen.py");
    assert!(made.status.success(), "{}", text(&made));
    let out = tmp.path().join("out");
    let o = build(&tmp.path().join("hearth"), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let gated = manifest(&out);
    assert_no_leaks(&out, |rel| served_tier(&gated, rel), &|_| false);
    // The canaries were planted and reached their own tier's files.
    let member: String = tree(&out.join("search/member"))
        .into_iter()
        .map(|(_, b)| String::from_utf8(hearth::search::gunzip(&b).unwrap()).unwrap())
        .collect();
    assert!(
        member.contains("CANARY-MEMBER-"),
        "no canary in the member bundle"
    );
}
