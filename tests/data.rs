//! Data files and plugins (`[[data]]`, `[[plugins]]`): a site whose
//! pages come from a spreadsheet, a sigs.yaml, a JSON export and a plugin
//! builds to the same files as the same site written as Markdown; a bad
//! record in any format is reported at its line; a failing plugin stops
//! the build before anything is written.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::{build, fixture, hearth, site_from, text, tree};

/// How many members the spreadsheet has.
const MEMBERS: usize = 500;

/// One generated member, as both twins see it.
struct Member {
    id: String,
    name: String,
    roles: Vec<&'static str>,
    joined: String,
    city: &'static str,
    tier: Option<&'static str>,
    github: Option<String>,
    bio: String,
}

/// The same 500 members every run: Chinese names (some written with a
/// comma), several roles in one cell, bios with commas, quotes and line
/// breaks, a few gated, a few with a GitHub link.
fn members() -> Vec<Member> {
    const SURNAMES: &[&str] = &[
        "林", "王", "陈", "张", "刘", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "罗", "宋",
    ];
    const GIVEN: &[&str] = &[
        "晓", "小明", "雨桐", "嘉怡", "文杰", "宁", "楠", "默", "川", "思远", "一鸣", "静",
    ];
    const CITIES: &[&str] = &["上海", "成都", "柏林", "北京", "Berlin, DE", "线上"];
    (1..=MEMBERS)
        .map(|i| {
            let surname = SURNAMES[i % SURNAMES.len()];
            let given = GIVEN[(i / SURNAMES.len()) % GIVEN.len()];
            let name = if i % 50 == 7 {
                format!("{surname}, {given}")
            } else {
                format!("{surname}{given}")
            };
            let roles = match i % 20 {
                1 => vec!["organizer", "translator"],
                5 => vec!["moderator"],
                _ => vec![],
            };
            let bio = match i % 4 {
                0 => format!("喜欢读诗，也写一点。第 {i} 位加入的成员。"),
                1 => format!("读小说, 也读\"非虚构\"。\n\n最近在读《百年孤独》，第 {i} 号。"),
                2 => String::new(),
                _ => format!("Reads *slowly*, writes notes.\nLine two of {i}."),
            };
            Member {
                id: format!("m{i:03}"),
                name,
                roles,
                joined: format!("20{}-{:02}-{:02}", 22 + i % 4, 1 + i % 12, 1 + i % 28),
                city: CITIES[i % CITIES.len()],
                tier: (i % 7 == 3).then_some("member"),
                github: (i % 9 == 0).then(|| format!("https://github.com/reader{i}")),
                bio,
            }
        })
        .collect()
}

/// A CSV cell, quoted when it has to be (and sometimes when it need not,
/// as spreadsheets do).
fn cell(s: &str, always: bool) -> String {
    if always || s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"").replace('\n', "\r\n"))
    } else {
        s.to_string()
    }
}

/// The members as a spreadsheet exports them: a UTF-8 BOM, CRLF, the
/// organizers' own column names and order, an unused column, and two
/// empty rows at the end.
fn members_csv(members: &[Member]) -> String {
    let mut out = String::from("\u{feff}id,姓名,角色,加入日期,城市,权限,GitHub,简介,备注\r\n");
    for (i, m) in members.iter().enumerate() {
        let fields = [
            cell(&m.id, false),
            cell(&m.name, i % 3 == 0),
            cell(&m.roles.join("; "), false),
            cell(&m.joined, false),
            cell(m.city, false),
            cell(m.tier.unwrap_or(""), false),
            cell(m.github.as_deref().unwrap_or(""), false),
            cell(&m.bio, false),
            cell("ignored, by the site", false),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out.push_str(",,,,,,,,\r\n,,,,,,,,\r\n");
    out
}

/// A TOML string.
fn toml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// One member as a Markdown page, as someone would write it by hand.
/// `written` is a page's own front matter and body (the data site's
/// Markdown file that extends a record), which wins over the record.
fn member_page(m: &Member, written: Option<(&str, &str)>) -> String {
    let mut fm = String::from("kind = \"member\"\n");
    writeln!(fm, "title = {}", toml_str(&m.name)).unwrap();
    if !m.roles.is_empty() {
        let roles: Vec<String> = m.roles.iter().map(|r| toml_str(r)).collect();
        writeln!(fm, "roles = [{}]", roles.join(", ")).unwrap();
    }
    writeln!(fm, "joined = {}", toml_str(&m.joined)).unwrap();
    if let Some(t) = m.tier {
        writeln!(fm, "tier = {}", toml_str(t)).unwrap();
    }
    if let Some((own, _)) = written {
        fm.push_str(own);
    }
    if let Some(g) = &m.github {
        writeln!(fm, "[links]\ngithub = {}", toml_str(g)).unwrap();
    }
    writeln!(
        fm,
        "[extra]\ncity = {}\nid = {}",
        toml_str(m.city),
        toml_str(&m.id)
    )
    .unwrap();
    let body = written.map_or(m.bio.as_str(), |(_, b)| b);
    format!("+++\n{fm}+++\n\n{body}")
}

/// Copies `from` into `to`, folders and all.
fn copy_into(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// The data site and its Markdown twin, laid out in a fresh folder.
fn twins() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data-site");
    let md = dir.path().join("md-site");
    let members = members();

    copy_into(&fixture("data-hub"), &data);
    std::fs::write(data.join("data/members.csv"), members_csv(&members)).unwrap();

    // The twin: the same config without the sources, the same written
    // pages, and by hand what the data files and the plugin make.
    let config = std::fs::read_to_string(data.join("hearth.toml")).unwrap();
    let cut = config.find("[[data]]").expect("the fixture has sources");
    std::fs::create_dir_all(&md).unwrap();
    std::fs::write(md.join("hearth.toml"), &config[..cut]).unwrap();
    copy_into(&data.join("content"), &md.join("content"));
    copy_into(&fixture("data-hub-md/content"), &md.join("content"));
    let extended = std::fs::read_to_string(data.join("content/members/m001.md")).unwrap();
    let (own, body) = extended
        .strip_prefix("+++\n")
        .and_then(|t| t.split_once("+++\n"))
        .expect("m001.md has front matter");
    for m in &members {
        let written = (m.id == "m001").then_some((own, body.trim_start_matches('\n')));
        std::fs::write(
            md.join(format!("content/members/{}.md", m.id)),
            member_page(m, written),
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_site_from_data_files_and_a_plugin_builds_as_its_markdown_twin() {
    let dir = twins();
    // HEARTH_KEEP_TWINS=1 keeps both sites and builds to look at.
    let root = if std::env::var_os("HEARTH_KEEP_TWINS").is_some() {
        let kept = dir.keep();
        eprintln!("kept in {}", kept.display());
        kept
    } else {
        dir.path().to_path_buf()
    };
    let out_data = root.join("out-data");
    let out_md = root.join("out-md");
    let o = build(&root.join("data-site"), &out_data, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let o = build(&root.join("md-site"), &out_md, &[]);
    assert!(o.status.success(), "{}", text(&o));

    let a = tree(&out_data);
    let b = tree(&out_md);
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "the two builds write different files");
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{path} differs:\n--- from data ---\n{}\n--- from Markdown ---\n{}",
            String::from_utf8_lossy(x),
            String::from_utf8_lossy(y)
        );
    }
    // What the comparison covers: the pages of every source, the feeds,
    // each group's calendar, search.
    let has = |p: &str| a.iter().any(|(q, _)| q == p);
    for p in [
        "members/m500/index.html",
        "members/m007/index.html",
        "groups/sig-reading/sig-reading-wednesday/index.html",
        "groups/sig-reading/calendar.ics",
        "groups/sig-translation/calendar.ics",
        "activities/2026-09-autumn-reading/index.html",
        "reports/meetings/index.html",
        "atom.xml",
    ] {
        assert!(has(p), "the build has no {p}: {:?}", names(&a));
    }
    assert!(
        a.iter().any(|(p, _)| p.contains("search")),
        "no search index"
    );
}

/// `hearth check` on `site` from inside it (paths site-relative): the exit
/// code and every diagnostic.
fn check_json(site: &Path) -> (i32, Vec<serde_json::Value>) {
    let o = hearth()
        .current_dir(site)
        .args(["check", ".", "--format", "json"])
        .output()
        .unwrap();
    let diags = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    (o.status.code().unwrap_or(-1), diags)
}

/// The one error of `diags`, or a failure listing them.
fn the_error(diags: &[serde_json::Value]) -> serde_json::Value {
    let errors: Vec<_> = diags.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "expected one error: {diags:#?}");
    errors[0].clone()
}

/// Asserts `d` is at `file:line:col`, mentions every word of `says`,
/// and says how to fix it.
fn assert_at(d: &serde_json::Value, file: &str, line: u64, col: u64, says: &[&str]) {
    assert_eq!(
        (d["file"].as_str(), d["line"].as_u64(), d["col"].as_u64()),
        (Some(file), Some(line), Some(col)),
        "{d:#}"
    );
    let message = d["message"].as_str().unwrap_or("");
    for w in says {
        assert!(message.contains(w), "`{w}` not in: {d:#}");
    }
    assert!(
        d["help"].as_str().is_some_and(|h| !h.is_empty()),
        "no fix: {d:#}"
    );
}

const SITE: &str =
    "title = \"T\"\nbase_url = \"https://t.example.org\"\ntimezone = \"Asia/Shanghai\"\n";

#[test]
fn a_bad_csv_cell_is_reported_at_its_row_and_column_past_quoted_line_breaks() {
    let config = format!(
        "{SITE}[[data]]\nfile = \"data/members.csv\"\nkind = \"member\"\nsection = \"members\"\nbody = \"bio\"\n"
    );
    // Row 3 of the file is the middle of a quoted bio; the bad date is on
    // line 5, in the fourth column.
    let csv = "\u{feff}id,name,bio,joined\r\nlin,林晓,\"第一行\r\n第二行, \"\"引号\"\"\r\n第三行\",2024-03-01\r\nwang,\"王, 小明\",Hi,March 2025\r\n\r\n,,,\r\n";
    let site = site_from(&[("hearth.toml", &config), ("data/members.csv", csv)]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let d = the_error(&diags);
    assert_at(&d, "data/members.csv", 5, 17, &["joined", "March"]);
}

#[test]
fn a_bad_yaml_value_is_reported_at_its_line_with_the_mapping_that_lacks_it() {
    let config = format!(
        "{SITE}[[data]]\nfile = \"data/sigs.yaml\"\nrecords = \"sigs[].meetings\"\nkind = \"event\"\nsection = \"groups/{{parent.dir}}\"\nslug = \"{{parent.dir}}-{{id}}\"\n[data.fields]\ntz = \"timezone\"\n[data.values.timezone]\n\"PT (Pacific Time)\" = \"America/Los_Angeles\"\n"
    );
    let yaml = "sigs:\n  - dir: sig-a\n    meetings:\n      - id: weekly\n        title: Weekly\n        start: 2027-01-06T11:00\n        tz: PT (Pacific Time)\n      - id: triage\n        title: Triage\n        start: 2027-01-07T11:00\n        tz: PT (Pacfic Time)\n";
    let site = site_from(&[("hearth.toml", &config), ("data/sigs.yaml", yaml)]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let d = the_error(&diags);
    assert_at(&d, "data/sigs.yaml", 11, 13, &["PT (Pacfic Time)", "tz"]);
    assert!(
        d["help"].as_str().unwrap().contains("PT (Pacific Time)"),
        "{d:#}"
    );
}

#[test]
fn a_bad_toml_record_is_reported_at_its_line() {
    let config = format!(
        "{SITE}[[data]]\nfile = \"data/events.toml\"\nrecords = \"events\"\nkind = \"event\"\nsection = \"events\"\n"
    );
    let toml = "[[events]]\nid = \"a\"\ntitle = \"A\"\nstart = \"2027-01-06T20:00\"\n\n[[events]]\nid = \"b\"\ntitle = \"B\"\nstart = \"next Friday\"\n";
    let site = site_from(&[("hearth.toml", &config), ("data/events.toml", toml)]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let d = the_error(&diags);
    assert_at(&d, "data/events.toml", 9, 9, &["start"]);
}

#[test]
fn a_bad_json_record_is_reported_at_its_line() {
    let config = format!(
        "{SITE}[[data]]\nfile = \"data/recaps.json\"\nkind = \"activity\"\nsection = \"activities\"\n"
    );
    let json = "[\n  {\"id\": \"a\", \"title\": \"A\", \"date\": \"2026-09-20\"},\n  {\n    \"id\": \"b\",\n    \"title\": \"B\",\n    \"date\": \"20 Sept\"\n  }\n]\n";
    let site = site_from(&[("hearth.toml", &config), ("data/recaps.json", json)]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let d = the_error(&diags);
    assert_at(&d, "data/recaps.json", 6, 13, &["date"]);
}

#[test]
fn a_duplicated_id_names_both_rows() {
    let config = format!(
        "{SITE}[[data]]\nfile = \"data/members.csv\"\nkind = \"member\"\nsection = \"members\"\n"
    );
    let csv = "id,name\nlin,林晓\nwang,王小明\nlin,林小\n";
    let site = site_from(&[("hearth.toml", &config), ("data/members.csv", csv)]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let d = the_error(&diags);
    assert_at(&d, "data/members.csv", 4, 1, &["data/members.csv:2"]);
    let related = &d["related"][0];
    assert_eq!(
        (related["file"].as_str(), related["line"].as_u64()),
        (Some("data/members.csv"), Some(2)),
        "{d:#}"
    );
}

/// Builds a site whose one plugin runs `script` (sh) into a `public/` that
/// holds an earlier build, and returns the error and what `public/` holds
/// afterwards.
fn build_with_plugin(
    script: &str,
    timeout_secs: u64,
) -> (serde_json::Value, Vec<(String, Vec<u8>)>, String) {
    let config = format!(
        "{SITE}\n[[plugins]]\nname = \"feed-import\"\ncommand = [\"sh\", \"-c\", {}]\ntimeout_secs = {timeout_secs}\n",
        toml_str(script)
    );
    let site = site_from(&[
        ("hearth.toml", &config),
        ("content/about.md", "+++\ntitle = \"About\"\n+++\nHi.\n"),
        ("public/index.html", "the build from yesterday"),
    ]);
    let public = site.path().join("public");
    let before = tree(&public);
    let o = hearth()
        .current_dir(site.path())
        .args(["build", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let diags: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let d = the_error(&diags);
    assert_eq!(tree(&public), before, "public/ changed");
    (d, before, config)
}

/// The line of `hearth.toml` that holds the plugin's `command`.
fn command_line(config: &str) -> u64 {
    config
        .lines()
        .position(|l| l.starts_with("command"))
        .unwrap() as u64
        + 1
}

#[test]
fn a_plugin_that_crashes_stops_the_build_with_its_stderr() {
    let (d, _, config) = build_with_plugin("echo 'KeyError: pages' >&2; exit 3", 10);
    assert_at(
        &d,
        "hearth.toml",
        command_line(&config),
        11,
        &["feed-import", "failed", "KeyError: pages"],
    );
}

#[test]
fn a_plugin_that_runs_past_its_time_is_stopped() {
    let (d, _, config) = build_with_plugin("exec sleep 20", 1);
    assert_at(
        &d,
        "hearth.toml",
        command_line(&config),
        11,
        &["feed-import", "within 1 s", "timeout_secs"],
    );
}

#[test]
fn a_plugin_that_answers_bad_json_stops_the_build() {
    let (d, _, config) = build_with_plugin(
        "cat >/dev/null; echo '{\"pages\": [{\"path\": \"a.md\",'",
        10,
    );
    assert_at(
        &d,
        "hearth.toml",
        command_line(&config),
        11,
        &["feed-import", "JSON", "EOF while parsing"],
    );
}

#[test]
fn a_plugin_page_outside_content_is_refused() {
    let (d, _, _) = build_with_plugin(
        "cat >/dev/null; echo '{\"pages\": [{\"path\": \"../escape.md\", \"body\": \"x\"}]}'",
        10,
    );
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("../escape.md"), "{d:#}");
    assert!(d["help"].as_str().is_some(), "{d:#}");
}

#[test]
fn records_without_a_kind_take_their_sections_kind_and_its_fields() {
    // No `kind`: `events/` makes events, so `start` and `location` are the
    // event's, not `extra`, exactly as in a Markdown file there.
    let config = format!("{SITE}[[data]]\nfile = \"data/events.json\"\nsection = \"events\"\n");
    let json = r#"[{"slug": "night", "title": "Night", "start": "2027-01-06T20:00", "duration": "2h", "location": {"name": "Library"}}]"#;
    let site = site_from(&[("hearth.toml", &config), ("data/events.json", json)]);
    let out = site.path().join("public");
    let o = build(site.path(), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let ics = std::fs::read_to_string(out.join("events/night/event.ics")).unwrap();
    assert!(
        ics.contains("DTSTART;TZID=Asia/Shanghai:20270106T200000"),
        "{ics}"
    );
    assert!(ics.contains("LOCATION:Library"), "{ics}");
}

#[test]
fn a_hub_made_only_of_data_needs_no_content_folder() {
    let dir = common::site_from(&[
        (
            "hearth.toml",
            "title = \"T\"\nbase_url = \"https://t.example.org\"\n[[data]]\nfile = \"data/m.csv\"\nkind = \"member\"\nsection = \"members\"\nslug = \"{id}\"\ntitle = \"name\"\n",
        ),
        ("data/m.csv", "id,name\nann,Ann\n"),
    ]);
    let o = common::hearth()
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    let t = common::text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("0 error(s), 0 warning(s)"),
        "no warning about content/: {t}"
    );
    let out = dir.path().join("public");
    let o = common::build(dir.path(), &out, &[]);
    assert!(o.status.success(), "{}", common::text(&o));
    assert!(common::read(&out, "members/ann/index.html").contains("Ann"));
}
