//! Sites in several languages, built by the real binary: each language
//! under its prefix with its own words and direction, `hreflang` pairs that
//! answer each other, sitemap alternates, calendars that share UIDs, links
//! that go to the translation or fall back, translations never less gated
//! than their source, and the translation report of `hearth check`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use common::{build, fixture, hearth, read, site_from, text};

const BASE: &str = "https://tri.example.org";

fn built() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture("trilingual"), out.path(), &[]);
    assert!(o.status.success(), "{}", text(&o));
    out
}

/// Every HTML page of the build, by its absolute URL.
fn pages(out: &Path) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for e in walkdir::WalkDir::new(out) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel.ends_with("index.html") {
            let url = format!("{BASE}/{}", rel.trim_end_matches("index.html"));
            map.insert(url, std::fs::read_to_string(e.path()).unwrap());
        }
    }
    map
}

/// The `hreflang` alternates of a page: language → URL.
fn hreflangs(html: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in html
        .lines()
        .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang="))
    {
        let attr = |name: &str| {
            let at = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[at..at + line[at..].find('"').unwrap()].to_string()
        };
        out.insert(attr("hreflang"), attr("href"));
    }
    out
}

#[test]
fn every_language_is_built_under_its_prefix_with_its_words_and_direction() {
    let out = built();
    let o = out.path();
    let zh = read(o, "rules/index.html");
    let en = read(o, "en/rules/index.html");
    let ar = read(o, "ar/rules/index.html");
    assert!(
        zh.contains("<html lang=\"zh-CN\" dir=\"ltr\""),
        "{}",
        &zh[..200]
    );
    assert!(en.contains("<html lang=\"en\" dir=\"ltr\""));
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\""));
    // The language's title, description and UI words.
    assert!(en.contains("Three Tongues Reading Club") && !en.contains("三语读书会</span>"));
    assert!(ar.contains("انتقل إلى المحتوى"), "Arabic [strings] apply");
    assert!(zh.contains("跳到正文") && en.contains("Skip to content"));
    // Per-language feeds, calendars and search, under the prefix.
    for f in [
        "en/atom.xml",
        "en/calendar.ics",
        "en/sitemap.xml",
        "en/search/public/index.json",
        "ar/calendar.ics",
        "ar/404.html",
    ] {
        assert!(o.join(f).is_file(), "{f} is written");
    }
    assert!(
        en.contains("href=\"/en/atom.xml\""),
        "the page names its language's feed"
    );
    // Only what is translated is in a language: Arabic has no FAQ.
    assert!(!o.join("ar/faq/index.html").exists());
    assert!(!o.join("en/faq/index.html").exists());
    // A translation's photo is its source's file, published once.
    assert!(!o.join("en/activities/walk/photo.svg").exists());
    assert!(
        read(o, "en/activities/walk/index.html").contains("src=\"/activities/walk/photo.svg\"")
    );
    // Shared files once, at the root.
    assert!(!o.join("en/style.css").exists() && !o.join("en/robots.txt").exists());
    let robots = read(o, "robots.txt");
    for s in ["/sitemap.xml", "/en/sitemap.xml", "/ar/sitemap.xml"] {
        assert!(robots.contains(&format!("Sitemap: {BASE}{s}")), "{robots}");
    }
}

#[test]
fn hreflang_links_are_reciprocal_absolute_and_public_only() {
    let out = built();
    let pages = pages(out.path());
    let mut pairs = 0;
    for (url, html) in &pages {
        let alts = hreflangs(html);
        if html.contains("<meta name=\"robots\" content=\"noindex\">") {
            assert!(alts.is_empty(), "a gated page names no alternates: {url}");
            continue;
        }
        if alts.is_empty() {
            continue;
        }
        assert_eq!(
            alts.get("x-default").map(String::as_str),
            alts.get("zh-CN").map(String::as_str),
            "{url}"
        );
        assert!(alts.values().any(|u| u == url), "{url} names itself");
        for (lang, other) in &alts {
            assert!(other.starts_with(BASE), "absolute: {other}");
            if lang == "x-default" || other == url {
                continue;
            }
            let back = hreflangs(pages.get(other).unwrap_or_else(|| panic!("{other} exists")));
            assert_eq!(back, alts, "{other} answers {url} with the same set");
            pairs += 1;
        }
    }
    assert!(
        pairs >= 10,
        "the fixture has translated pages ({pairs} pairs)"
    );
    // The rules in three languages.
    let rules = hreflangs(&pages[&format!("{BASE}/rules/")]);
    assert_eq!(
        rules.keys().cloned().collect::<Vec<_>>(),
        ["ar", "en", "x-default", "zh-CN"]
    );
}

#[test]
fn sitemap_alternates_are_the_pages_own() {
    let out = built();
    let pages = pages(out.path());
    for sitemap in ["sitemap.xml", "en/sitemap.xml", "ar/sitemap.xml"] {
        let xml = read(out.path(), sitemap);
        assert!(xml.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
        assert!(!xml.contains("member"), "no gated page in {sitemap}");
        for entry in xml.split("<url>").skip(1) {
            let loc = entry
                .split("<loc>")
                .nth(1)
                .unwrap()
                .split("</loc>")
                .next()
                .unwrap();
            let alts: BTreeMap<String, String> = entry
                .split("<xhtml:link rel=\"alternate\" hreflang=\"")
                .skip(1)
                .map(|x| {
                    let lang = x.split('"').next().unwrap().to_string();
                    let href = x
                        .split("href=\"")
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap();
                    (lang, href.to_string())
                })
                .collect();
            let html = pages
                .get(loc)
                .unwrap_or_else(|| panic!("{loc} in {sitemap} exists"));
            assert_eq!(alts, hreflangs(html), "{sitemap}: {loc}");
        }
    }
}

#[test]
fn each_language_has_its_calendar_and_an_event_keeps_one_uid() {
    let out = built();
    let field = |ics: &str, name: &str| -> Vec<String> {
        ics.lines()
            .filter_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(str::to_string)
            .collect()
    };
    let zh = read(out.path(), "calendar.ics");
    let en = read(out.path(), "en/calendar.ics");
    let ar = read(out.path(), "ar/calendar.ics");
    assert_eq!(field(&zh, "UID"), field(&en, "UID"));
    assert_eq!(field(&zh, "UID"), field(&ar, "UID"));
    assert_eq!(field(&zh, "SUMMARY"), ["读书夜"]);
    assert_eq!(field(&en, "SUMMARY"), ["Book Night"]);
    assert_eq!(field(&ar, "LOCATION"), ["مكتبة برلين"]);
    assert_eq!(field(&en, "X-WR-CALNAME"), ["Three Tongues Reading Club"]);
    // The gated event: in the members' feed of each language it has.
    let member_en = read(out.path(), "en/calendar/member.ics");
    assert_eq!(
        field(&member_en, "SUMMARY"),
        ["Book Night", "Members' supper"]
    );
    assert_eq!(
        field(&member_en, "UID"),
        field(&read(out.path(), "calendar/member.ics"), "UID")
    );
}

#[test]
fn the_switcher_goes_to_the_translation_or_to_the_home_saying_so() {
    let out = built();
    let faq = read(out.path(), "faq/index.html");
    let nav = faq
        .split("<nav class=\"lang-switch\"")
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap();
    assert!(nav.contains("aria-current=\"true\" lang=\"zh-CN\""));
    assert!(
        nav.contains("href=\"/en/\""),
        "no English FAQ: the English home"
    );
    assert!(
        nav.contains("title=\"English：本页暂无译文，前往首页\""),
        "{nav}"
    );
    let rules = read(out.path(), "ar/rules/index.html");
    let nav = rules
        .split("<nav class=\"lang-switch\"")
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap();
    assert!(nav.contains("href=\"/en/rules/\" hreflang=\"en\""));
    assert!(nav.contains("href=\"/rules/\" hreflang=\"zh-CN\""));
}

#[test]
fn links_go_to_the_translation_else_to_the_source_and_anchors_are_checked_per_language() {
    let out = built();
    let en = read(out.path(), "en/rules/index.html");
    assert!(
        en.contains("href=\"/en/handbook/guide/#first-night\""),
        "to the English guide"
    );
    // A link to a page not translated goes to the source's page.
    let dir = site_from(&[
        (
            "hearth.toml",
            "title = \"T\"\nbase_url = \"https://t.example.org\"\nlanguage = \"zh-CN\"\n[languages.en]\ntitle = \"T\"\n",
        ),
        (
            "content/faq.md",
            "+++\ntitle = \"问答\"\n+++\n## 书 {#books}\n",
        ),
        (
            "content/about.md",
            "+++\ntitle = \"关于\"\n+++\n见[问答](@/faq.md#books)。\n",
        ),
        (
            "content/about.en.md",
            "+++\ntitle = \"About\"\n+++\nSee [the FAQ](@/faq.md#books).\n",
        ),
    ]);
    let o = build(dir.path(), &dir.path().join("public"), &[]);
    assert!(o.status.success(), "{}", text(&o));
    let about = read(&dir.path().join("public"), "en/about/index.html");
    assert!(about.contains("href=\"/faq/#books\""), "{about}");
    // A wrong anchor in the translation is reported in the translation.
    std::fs::write(
        dir.path().join("content/about.en.md"),
        "+++\ntitle = \"About\"\n+++\nSee [the FAQ](@/faq.md#book).\n",
    )
    .unwrap();
    let o = build(dir.path(), &dir.path().join("public"), &[]);
    let t = text(&o);
    assert!(!o.status.success());
    assert!(t.contains("content/about.en.md:4:"), "{t}");
    assert!(t.contains("did you mean `#books`?"), "{t}");
}

#[test]
fn a_translation_is_never_less_gated_than_its_source() {
    let config = "title = \"T\"\nbase_url = \"https://t.example.org\"\nlanguage = \"zh-CN\"\n[languages.en]\ntitle = \"T\"\n[deploy]\nhost = \"netlify\"\n[[tiers]]\nid = \"member\"\nname = \"会员\"\n";
    let dir = site_from(&[
        ("hearth.toml", config),
        (
            "content/handbook/_index.md",
            "+++\ntitle = \"手册\"\ntier = \"member\"\n+++\n",
        ),
        (
            "content/handbook/door.md",
            "+++\ntitle = \"门禁\"\n+++\nCANARY-ZH\n",
        ),
        (
            "content/handbook/door.en.md",
            "+++\ntitle = \"Door\"\n+++\nCANARY-EN\n",
        ),
        (
            "content/secret.md",
            "+++\ntitle = \"秘密\"\ntier = \"member\"\n+++\nCANARY-SECRET-ZH\n",
        ),
        (
            "content/secret.en.md",
            "+++\ntitle = \"Secret\"\n+++\nCANARY-SECRET-EN\n",
        ),
    ]);
    let public = dir.path().join("public");
    let o = build(dir.path(), &public, &[]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("error[H0801]"), "{t}");
    assert!(t.contains("content/secret.en.md"), "{t}");
    assert!(t.contains("add `tier = \"member\"`"), "{t}");
    assert!(!public.exists(), "nothing is written");
    // The section's tier applies to its pages in every language (the
    // untranslated section index keeps the source's front matter).
    assert!(!t.contains("content/handbook/door.en.md"), "{t}");
    std::fs::write(
        dir.path().join("content/secret.en.md"),
        "+++\ntitle = \"Secret\"\ntier = \"member\"\n+++\nCANARY-SECRET-EN\n",
    )
    .unwrap();
    let o = build(dir.path(), &public, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let access: serde_json::Value =
        serde_json::from_str(&read(&public, "_hearth/access.json")).unwrap();
    let gated: Vec<&str> = access["gated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["path"].as_str().unwrap())
        .collect();
    for p in [
        "/en/handbook/door/",
        "/en/secret/",
        "/handbook/door/",
        "/secret/",
    ] {
        assert!(
            gated.iter().any(|g| p.starts_with(g)),
            "{p} is gated: {gated:?}"
        );
    }
}

#[test]
fn gated_text_of_every_language_stays_in_gated_files() {
    let out = built();
    let access: serde_json::Value =
        serde_json::from_str(&read(out.path(), "_hearth/access.json")).unwrap();
    let gated: Vec<String> = access["gated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["path"].as_str().unwrap().to_string())
        .collect();
    let mut seen = 0;
    for e in walkdir::WalkDir::new(out.path()) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let rel = format!(
            "/{}",
            e.path().strip_prefix(out.path()).unwrap().to_string_lossy()
        );
        let mut bytes = std::fs::read(e.path()).unwrap();
        if rel.ends_with(".gz") {
            let mut s = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut s)
                .unwrap();
            bytes = s;
        }
        if !String::from_utf8_lossy(&bytes).contains("CANARY") || common::host_only(&rel[1..]) {
            continue;
        }
        seen += 1;
        assert!(
            gated
                .iter()
                .any(|g| rel.starts_with(g.as_str()) || rel == g.as_str()),
            "{rel} holds gated text and is not gated"
        );
    }
    assert!(seen >= 8, "the canaries are in the build ({seen} files)");
}

#[test]
fn search_has_a_bundle_per_language() {
    let out = built();
    let docs = |dir: &str| -> String {
        let mut all = String::new();
        for e in walkdir::WalkDir::new(out.path().join(dir)) {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "gz") {
                let mut s = String::new();
                flate2::read::GzDecoder::new(std::fs::File::open(e.path()).unwrap())
                    .read_to_string(&mut s)
                    .unwrap();
                all.push_str(&s);
            }
        }
        all
    };
    let zh = docs("search/public");
    let en = docs("en/search/public");
    assert!(zh.contains("读书夜") && !zh.contains("Book Night"));
    assert!(en.contains("Book Night") && !en.contains("读书夜"));
    let manifest = read(out.path(), "en/search/public/index.json");
    assert!(
        manifest.contains("/search/public/index.json"),
        "names the other languages' bundles: {manifest}"
    );
}

#[test]
fn check_reports_missing_and_outdated_translations() {
    let o = hearth()
        .args(["check", "--translations", "--format", "json"])
        .arg(fixture("trilingual"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = |key: &str, lang: &str, field: &str| -> BTreeSet<String> {
        r[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["language"] == lang)
            .map(|m| m[field].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        list("missing", "en", "expected"),
        BTreeSet::from([
            "content/activities/_index.en.md".to_string(),
            "content/faq.en.md".to_string()
        ])
    );
    assert!(list("missing", "ar", "expected").contains("content/events/member-supper.ar.md"));
    assert!(
        list("missing", "ar", "expected").contains("content/events/_index.ar.md"),
        "an untranslated section index"
    );
    // The English rules were updated before the Chinese; the Arabic after.
    assert_eq!(
        list("outdated", "en", "file"),
        BTreeSet::from(["content/rules.en.md".to_string()])
    );
    assert!(list("outdated", "ar", "file").is_empty());
    let out = built();
    assert!(read(out.path(), "en/rules/index.html").contains("class=\"translation-notice\""));
    assert!(!read(out.path(), "ar/rules/index.html").contains("class=\"translation-notice\""));
    // People get a one-line summary from a plain check.
    let o = hearth()
        .arg("check")
        .arg(fixture("trilingual"))
        .output()
        .unwrap();
    assert!(
        text(&o).contains("translations: ar: 5 missing, 0 outdated; en: 2 missing, 1 outdated"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_language_table_must_name_another_language() {
    let dir = site_from(&[
        (
            "hearth.toml",
            "title = \"T\"\nbase_url = \"https://t.example.org\"\nlanguage = \"en\"\n[languages.EN]\ntitle = \"T\"\n[languages.\"not a tag\"]\ntitle = \"x\"\n",
        ),
        ("content/_index.md", "# Home\n"),
    ]);
    let o = build(dir.path(), &dir.path().join("public"), &[]);
    let t = text(&o);
    assert!(!o.status.success());
    assert!(
        t.contains("`[languages.EN]` is the site's default language"),
        "{t}"
    );
    assert!(t.contains("hearth.toml:4:"), "{t}");
    assert!(
        t.contains("`not a tag` is not a BCP 47 language tag"),
        "{t}"
    );
}

#[test]
fn the_default_language_can_have_its_own_prefix_too() {
    let dir = site_from(&[
        (
            "hearth.toml",
            "title = \"读书会\"\nbase_url = \"https://t.example.org\"\nlanguage = \"zh-CN\"\nprefix_default_language = true\n[languages.en]\ntitle = \"Club\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"首页\"\n+++\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n"),
        (
            "content/rules.md",
            "+++\ntitle = \"规则\"\n+++\n## 守时 {#on-time}\n",
        ),
        (
            "content/rules.en.md",
            "+++\ntitle = \"Rules\"\n+++\n## On time {#on-time}\n",
        ),
    ]);
    let out = dir.path().join("public");
    let o = build(dir.path(), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let zh = read(&out, "zh-cn/rules/index.html");
    assert!(
        zh.contains("hreflang=\"en\" href=\"https://t.example.org/en/rules/\""),
        "{zh}"
    );
    assert!(read(&out, "en/rules/index.html").contains("<html lang=\"en\""));
    assert!(out.join("zh-cn/atom.xml").is_file() && out.join("zh-cn/calendar.ics").is_file());
    assert!(!out.join("rules/index.html").exists());
    // Shared files stay at the root.
    assert!(out.join("style.css").is_file() && out.join("robots.txt").is_file());
}

#[test]
fn serve_previews_every_language() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("trilingual"), dir.path());
    let mut child = hearth()
        .args(["serve", "--port", "0"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // "Serving … at http://127.0.0.1:PORT/" on stdout.
    let mut err = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let url = loop {
        line.clear();
        if std::io::BufRead::read_line(&mut err, &mut line).unwrap() == 0 {
            panic!("serve ended without its address");
        }
        if let Some(at) = line.find("http://") {
            break line[at..].split_whitespace().next().unwrap().to_string();
        }
    };
    let get = |path: &str| -> (u16, String) {
        let addr = url.trim_start_matches("http://").trim_end_matches('/');
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        use std::io::Write;
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut body = String::new();
        std::io::Read::read_to_string(&mut s, &mut body).unwrap();
        let code = body[9..12].parse().unwrap();
        (code, body)
    };
    // 503 while the first build runs.
    let mut tries = 0;
    while get("/").0 == 503 && tries < 300 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        tries += 1;
    }
    let (code, body) = get("/ar/rules/");
    assert_eq!(code, 200);
    assert!(body.contains("dir=\"rtl\""));
    assert_eq!(get("/en/calendar.ics").0, 200);
    assert_eq!(get("/en/search/public/index.json").0, 200);
    assert!(get("/rules/").1.contains("hreflang=\"ar\""));
    child.kill().unwrap();
    let _ = child.wait();
}
