//! Search bundles: no gated text in a public bundle, Chinese substrings found,
//! English matched case-insensitively with a prefix, output deterministic.

mod common;

use std::path::Path;

use common::*;
use hearth::search::{Hit, gunzip, search, search_stack};

/// Runs a query against the bundle in `dir` of the built site at `out`.
fn query(out: &Path, dir: &str, q: &str) -> Vec<Hit> {
    let read = |p: &str| std::fs::read(out.join(p.trim_start_matches('/'))).ok();
    search(&read, dir, q)
}

/// Runs a query as a reader who stacks the bundles in `dirs`, as the
/// script does at the edge (the public bundle, then each gated one the
/// host lets the reader fetch).
fn query_stack(out: &Path, dirs: &[&str], q: &str) -> Vec<Hit> {
    let read = |p: &str| std::fs::read(out.join(p.trim_start_matches('/'))).ok();
    search_stack(&read, dirs, q)
}

const MEMBER: [&str; 2] = ["/search/public/", "/search/member/"];
const CORE: [&str; 3] = ["/search/public/", "/search/member/", "/search/core/"];

fn urls(hits: &[Hit]) -> Vec<&str> {
    let mut v: Vec<&str> = hits.iter().map(|h| h.url.as_str()).collect();
    v.sort();
    v
}

/// Every file under `out/rel`, relative to `out`, with its text (shards
/// and packs unpacked).
fn files_under(out: &Path, rel: &str) -> Vec<(String, String)> {
    tree(&out.join(rel))
        .into_iter()
        .map(|(p, b)| {
            let text = String::from_utf8(gunzip(&b).unwrap()).unwrap();
            (format!("{rel}/{p}"), text)
        })
        .collect()
}

fn built(site: &Path, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = build(site, &out, extra);
    assert!(o.status.success(), "{}", text(&o));
    dir
}

#[test]
fn public_bundle_holds_no_gated_text_at_the_edge() {
    let dir = built(&fixture("canaries"), &[]);
    let out = dir.path().join("out");
    let public = files_under(&out, "search/public");
    assert!(public.iter().any(|(p, _)| p.ends_with("index.json")));
    for (path, text) in &public {
        // Terms are lowercased and split at dashes: look for the bare word.
        assert!(
            !text.to_lowercase().contains("canary"),
            "{path} holds gated text: {text}"
        );
    }
    assert!(query(&out, "/search/public/", "CANARY").is_empty());
    assert!(!query(&out, "/search/public/", "Everyone").is_empty());

    // Each gated bundle holds its own tier only: never above, and no
    // second copy of what the bundles below it hold.
    let member: String = files_under(&out, "search/member")
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert!(member.contains("CANARY-MEMBER-BODY"));
    assert!(
        !member.contains("CANARY-CORE"),
        "core text in member bundle"
    );
    assert!(
        query(&out, "/search/member/", "Everyone").is_empty(),
        "a public page repeated in the member bundle"
    );
    // A reader stacks the bundles of the tiers they may read.
    assert!(!query_stack(&out, &MEMBER, "canary-member-body").is_empty());
    assert!(!query_stack(&out, &MEMBER, "Everyone").is_empty());
    assert!(query_stack(&out, &MEMBER, "canary-core-body").is_empty());
    assert!(!query_stack(&out, &CORE, "canary-core-body").is_empty());
    assert!(!query_stack(&out, &CORE, "canary-member-body").is_empty());

    // The entry manifest names the bundles that stack on it, lowest first.
    let entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("search/public/index.json")).unwrap())
            .unwrap();
    assert_eq!(entry["stack"], serde_json::json!(["member", "core"]));

    // The gated bundles are gated at their tier, the public one is not.
    let access = std::fs::read_to_string(out.join("_hearth/access.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&access).unwrap();
    let gated: Vec<(String, String)> = v["gated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["path"].as_str().unwrap().into(),
                g["tier"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(gated.contains(&("/search/member/".into(), "member".into())));
    assert!(gated.contains(&("/search/core/".into(), "core".into())));
    assert!(!gated.iter().any(|(p, _)| p.starts_with("/search/public")));
}

#[test]
fn single_audience_builds_have_one_bundle_of_what_it_may_read() {
    for (audience, sees_member) in [("public", false), ("member", true)] {
        let dir = built(&fixture("canaries"), &["--audience", audience]);
        let out = dir.path().join("out");
        let bundles: Vec<String> = std::fs::read_dir(out.join("search"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(bundles, [audience]);
        // One bundle, nothing to stack on it.
        let manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(out.join(format!("search/{audience}/index.json"))).unwrap(),
        )
        .unwrap();
        assert!(manifest.get("stack").is_none(), "{manifest}");
        let all: String = files_under(&out, &format!("search/{audience}"))
            .into_iter()
            .map(|(_, t)| t.to_lowercase())
            .collect();
        assert_eq!(all.contains("canary-member-body"), sees_member);
        assert!(!all.contains("canary-core"));
    }
}

const SITE: &str = "title = \"读书会\"\nbase_url = \"https://t.example.org\"\nlanguage = \"zh-CN\"\n[deploy]\nhost = \"netlify\"\n[[tiers]]\nid = \"member\"\nname = \"会员\"\n";

fn reading_site() -> tempfile::TempDir {
    site_from(&[
        ("hearth.toml", SITE),
        ("content/_index.md", "+++\ntitle = \"首页\"\n+++\n欢迎。\n"),
        (
            "content/club.md",
            "+++\ntitle = \"周六读书会\"\n+++\n每周六晚上见。\n",
        ),
        (
            "content/body.md",
            "+++\ntitle = \"活动说明\"\n+++\n我们一起读书，也一起写作。\n",
        ),
        (
            "content/wrapped.md",
            "+++\ntitle = \"换行\"\n+++\n大家来读\n书吧。\n",
        ),
        (
            // 阅读|书籍: a word segmenter splits 读书 apart; pairs do not.
            "content/across.md",
            "+++\ntitle = \"书单\"\n+++\n阅读书籍是我们的爱好。\n",
        ),
        (
            "content/no.md",
            "+++\ntitle = \"读者来信\"\n+++\n读者和书，相遇。\n",
        ),
        (
            "content/sharing.md",
            "+++\ntitle = \"Sharing night\"\ndescription = \"周六分享夜\"\n+++\nWe meet in Berlin every Saturday.\n",
        ),
        (
            "content/decoy.md",
            "+++\ntitle = \"Decoy\"\n+++\n分享会之后，享夜宵。The BERLINER rules about ads.\n",
        ),
        (
            "content/secret.md",
            "+++\ntitle = \"会员读书笔记\"\ntier = \"member\"\n+++\n只有会员能看的读书笔记。\n",
        ),
    ])
}

#[test]
fn two_character_chinese_words_find_every_page_that_contains_them() {
    let site = reading_site();
    let dir = built(site.path(), &[]);
    let out = dir.path().join("out");
    let hits = query(&out, "/search/public/", "读书");
    assert_eq!(
        urls(&hits),
        ["/across/", "/body/", "/club/", "/wrapped/"],
        "{hits:?}"
    );
    // Title matches rank above body matches.
    assert_eq!(hits[0].url, "/club/");
    // A member's stack has the gated page too.
    let member = query_stack(&out, &MEMBER, "读书");
    assert!(member.iter().any(|h| h.url == "/secret/"));
    assert_eq!(member.len(), 5);
    // Title matches still rank first across the stack: the gated page's
    // title holds 读书, so it comes before the public body-only matches.
    assert!(
        member[..2].iter().any(|h| h.url == "/secret/"),
        "{member:?}"
    );

    // Longer runs must appear as written, not just pair by pair.
    assert_eq!(
        urls(&query(&out, "/search/public/", "分享夜")),
        ["/sharing/"]
    );
    // One character is found wherever it is, run end or not.
    assert!(urls(&query(&out, "/search/public/", "籍")).contains(&"/across/"));
    assert!(urls(&query(&out, "/search/public/", "读")).len() >= 5);
}

#[test]
fn english_is_case_insensitive_with_a_prefix_last_word_and_mixes_with_chinese() {
    let site = reading_site();
    let dir = built(site.path(), &[]);
    let out = dir.path().join("out");
    let q = |s: &str| {
        urls(&query(&out, "/search/public/", s))
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    // The last word is a prefix (the reader is still typing it): BERLINER
    // matches `berlin` and `Ber`; earlier words must match whole.
    assert_eq!(q("Ber"), ["/decoy/", "/sharing/"]);
    assert_eq!(q("BERLIN"), ["/decoy/", "/sharing/"]);
    assert_eq!(q("berlin saturday"), ["/sharing/"]);
    assert!(q("berlin rules").is_empty());
    assert_eq!(q("Berliner RULES"), ["/decoy/"]);
    assert_eq!(q("rules about ad"), ["/decoy/"]);
    assert_eq!(q("Berlin 分享夜"), ["/sharing/"]);
    // Full-width letters, as a Chinese input method types them.
    assert_eq!(q("ｓａｔｕｒｄａｙ"), ["/sharing/"]);
    assert!(q("nothing-like-this").is_empty());
}

#[test]
fn prefixes_reach_across_shards_on_a_large_site() {
    let mut files: Vec<(String, String)> = vec![
        ("hearth.toml".into(), SITE.into()),
        (
            "content/_index.md".into(),
            "+++\ntitle = \"Home\"\n+++\n".into(),
        ),
    ];
    // Enough distinct words for several shards.
    for i in 0..400 {
        let words: Vec<String> = (0..30).map(|k| format!("w{i:03}x{k:02}")).collect();
        files.push((
            format!("content/p{i:03}.md"),
            format!(
                "+++\ntitle = \"Page {i}\"\n+++\nzebra{i:03} {}\n",
                words.join(" ")
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = site_from(&refs);
    let dir = built(site.path(), &[]);
    let out = dir.path().join("out");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("search/public/index.json")).unwrap())
            .unwrap();
    assert!(manifest["shards"].as_array().unwrap().len() > 3);
    // Documents are packed several to a file.
    let packs = manifest["packs"].as_array().unwrap();
    assert!(
        packs.len() > 3 && packs.len() < 100,
        "{} packs",
        packs.len()
    );
    assert_eq!(query(&out, "/search/public/", "zebra").len(), 400);
    assert_eq!(query(&out, "/search/public/", "zebra123").len(), 1);
    assert_eq!(query(&out, "/search/public/", "w399x29").len(), 1);
}

#[test]
fn bundles_are_deterministic() {
    let a = built(&example_site(), &[]);
    let b = built(&example_site(), &[]);
    let ta = tree(&a.path().join("out/search"));
    let tb = tree(&b.path().join("out/search"));
    assert!(!ta.is_empty());
    assert!(ta == tb, "two builds wrote different search bundles");
}

#[test]
fn example_site_search_finds_chinese_and_english() {
    let dir = built(&example_site(), &[]);
    let out = dir.path().join("out");
    let public = query(&out, "/search/public/", "读书");
    assert!(public.len() > 10, "{public:?}");
    assert!(!query(&out, "/search/public/", "Berlin").is_empty());
    // The hosting handbook is for members: not in the public bundle.
    assert!(query(&out, "/search/public/", "厚脸皮").is_empty());
    assert_eq!(
        urls(&query_stack(&out, &MEMBER, "厚脸皮")),
        ["/handbook/hosting/"]
    );
}
