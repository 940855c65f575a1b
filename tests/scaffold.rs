//! Scaffolding (`init`, `new`) and the example site's contributor workflows.

mod common;

use common::*;

#[test]
fn init_makes_a_hub_that_checks_clean_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let hub = tmp.path().join("hub");
    let o = hearth().arg("init").arg(&hub).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    for f in [
        "hearth.toml",
        "content/_index.md",
        "content/mission.md",
        "content/rules.md",
        "content/faq.md",
        "content/events/first-meetup.md",
        "content/members/first-organizer.md",
    ] {
        assert!(hub.join(f).is_file(), "{f}");
    }
    let o = hearth()
        .arg("check")
        .arg(&hub)
        .arg("--deny-warnings")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let o = build(&hub, &tmp.path().join("out"), &[]);
    assert!(o.status.success(), "{}", text(&o));

    // A non-empty folder is refused; with --force, existing files are kept.
    std::fs::write(
        hub.join("content/rules.md"),
        "+++\ntitle = \"Mine\"\n+++\nmine\n",
    )
    .unwrap();
    std::fs::remove_file(hub.join("content/faq.md")).unwrap();
    let o = hearth().arg("init").arg(&hub).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("not empty"));
    let o = hearth()
        .arg("init")
        .arg(&hub)
        .arg("--force")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(hub.join("content/rules.md")).unwrap(),
        "+++\ntitle = \"Mine\"\n+++\nmine\n"
    );
    assert!(
        hub.join("content/faq.md").is_file(),
        "missing files are added"
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("created {}", hub.join("content/faq.md").display())
    );
}

#[test]
fn new_writes_each_kind_in_its_section_with_a_safe_name() {
    let tmp = tempfile::tempdir().unwrap();
    let hub = tmp.path().join("hub");
    assert!(
        hearth()
            .arg("init")
            .arg(&hub)
            .output()
            .unwrap()
            .status
            .success()
    );
    let new = |args: &[&str]| {
        let o = hearth()
            .arg("new")
            .args(args)
            .arg("--site")
            .arg(&hub)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        std::path::PathBuf::from(String::from_utf8_lossy(&o.stdout).trim())
    };
    let member = new(&["member", "林晓"]);
    assert_eq!(member, hub.join("content/members/林晓.md"));
    let event = new(&["event", "Winter Reading: \"Snow\"", "--date", "2026-12-05"]);
    assert_eq!(event, hub.join("content/events/winter-reading-snow.md"));
    assert!(
        std::fs::read_to_string(&event)
            .unwrap()
            .contains("title = \"Winter Reading: \\\"Snow\\\"\"\nstart = 2026-12-05T19:00:00")
    );
    let recap = new(&["activity", "秋日读诗", "--date", "2026-10-01"]);
    assert_eq!(
        recap,
        hub.join("content/activities/2026-10-01-秋日读诗/index.md")
    );
    let page = new(&["page", "About us"]);
    assert_eq!(page, hub.join("content/about-us.md"));
    // Everything written checks clean and builds.
    let o = hearth()
        .arg("check")
        .arg(&hub)
        .arg("--deny-warnings")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let o = build(&hub, &tmp.path().join("out"), &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(tmp.path().join("out/members/林晓/index.html").is_file());
    // Never overwrites.
    let before = std::fs::read_to_string(&member).unwrap();
    let o = hearth()
        .args(["new", "member", "林晓", "--site"])
        .arg(&hub)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&member).unwrap(), before);
}

/// A copy of `src` in `dst` (the example site is small), so a test can run
/// commands in it that write `public/` without touching the source tree.
fn copy_tree(src: &std::path::Path, dst: &std::path::Path) {
    for e in walkdir::WalkDir::new(src) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(src).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let to = dst.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

/// The package name in Cargo.toml: what `cargo install` must name.
fn package_name() -> String {
    let manifest = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"),
    )
    .unwrap();
    let doc: toml::Table = manifest.parse().unwrap();
    doc["package"]["name"].as_str().unwrap().to_string()
}

/// The example site's workflows are what a hub copies: every `run:` line is
/// run here as GitHub would run it, in a copy of the example site, with
/// this build's `hearth` first on PATH. Two kinds of line cannot run here
/// and are checked instead: the install line (it needs the crates.io
/// registry; it must name this package) and the Netlify deploy (it needs
/// Netlify's service and the repository's secrets; the folder it uploads,
/// and everything netlify.toml names, must exist after the build).
/// `uses:` steps are GitHub's own actions (checkout, toolchain, caches).
/// Any other command fails the test, so a new step cannot go untested.
#[test]
fn example_workflows_run_against_the_example_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("hub");
    copy_tree(&example_site(), &site);
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_hearth"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let package = package_name();
    assert_ne!(
        package, "hearth",
        "`hearth` on crates.io is another project"
    );

    let mut ran = Vec::new();
    let mut deploys = 0;
    for name in ["check.yml", "deploy.yml"] {
        let yaml = std::fs::read_to_string(site.join(".github/workflows").join(name)).unwrap();
        let docs =
            yaml_rust2::YamlLoader::load_from_str(&yaml).unwrap_or_else(|e| panic!("{name}: {e}"));
        let jobs = &docs[0]["jobs"];
        assert!(!jobs.is_badvalue(), "{name} has jobs");
        for (_, job) in jobs.as_hash().unwrap() {
            for step in job["steps"].as_vec().into_iter().flatten() {
                let Some(run) = step["run"].as_str() else {
                    assert!(
                        step["uses"].as_str().is_some(),
                        "{name}: a step with neither run nor uses"
                    );
                    continue;
                };
                for line in run.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    let words: Vec<&str> = line.split_whitespace().collect();
                    match words.as_slice() {
                        ["cargo", "install", rest @ ..] => {
                            // Needs the registry: checked, not run.
                            assert!(
                                rest.contains(&"--locked"),
                                "{name}: `{line}` without --locked"
                            );
                            assert!(
                                rest.contains(&package.as_str()),
                                "{name}: `{line}` must install the package `{package}`"
                            );
                        }
                        ["npx", "netlify-cli", "deploy", ..] => {
                            // Needs Netlify and the secrets: checked after the build.
                            let dir = words
                                .iter()
                                .position(|w| *w == "--dir")
                                .map(|i| words[i + 1])
                                .unwrap_or_else(|| panic!("{name}: `{line}` names no --dir"));
                            let env = &step["env"];
                            for secret in ["NETLIFY_AUTH_TOKEN", "NETLIFY_SITE_ID"] {
                                assert!(
                                    env[secret].as_str().is_some_and(|v| v.contains(secret)),
                                    "{name}: the deploy step needs {secret} from the secrets"
                                );
                            }
                            deploys += 1;
                            ran.push(format!("(deploy of {dir}/)"));
                            let built = site.join(dir);
                            assert!(
                                built.join("index.html").is_file(),
                                "{name}: `{line}` runs before anything built {dir}/"
                            );
                            assert!(
                                built.join("_redirects").is_file(),
                                "no Netlify rules in {dir}/"
                            );
                            let netlify: toml::Table =
                                std::fs::read_to_string(site.join("netlify.toml"))
                                    .unwrap()
                                    .parse()
                                    .unwrap();
                            for key in ["publish", "edge_functions"] {
                                let folder = netlify["build"][key].as_str().unwrap();
                                assert!(
                                    site.join(folder).is_dir(),
                                    "netlify.toml's {key} = {folder:?} does not exist after the build"
                                );
                            }
                        }
                        ["hearth", ..] => {
                            let o = std::process::Command::new("bash")
                                .args(["-eo", "pipefail", "-c", line])
                                .current_dir(&site)
                                .env("PATH", &path)
                                .env("NO_COLOR", "1")
                                .env_remove("SOURCE_DATE_EPOCH")
                                .output()
                                .unwrap();
                            assert!(o.status.success(), "{name}: `{line}` failed:\n{}", text(&o));
                            ran.push(line.to_string());
                        }
                        _ => panic!(
                            "{name}: `{line}` is neither hearth, the install line nor the deploy; \
                             teach this test to run or check it"
                        ),
                    }
                }
            }
        }
    }
    assert_eq!(
        ran,
        [
            "hearth check --format github --deny-warnings",
            "hearth build",
            "(deploy of public/)"
        ]
    );
    assert_eq!(deploys, 1);
}

/// `hearth new KIND TITLE` in `hub`: (stdout path, stderr).
fn new_in(
    hub: &std::path::Path,
    args: &[&str],
    epoch: Option<&str>,
) -> (std::path::PathBuf, String) {
    let mut c = hearth();
    c.arg("new").args(args).arg("--site").arg(hub);
    if let Some(e) = epoch {
        c.env("SOURCE_DATE_EPOCH", e);
    }
    let o = c.output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.lines().count(), 1, "stdout is the new file only: {out}");
    (
        std::path::PathBuf::from(out.trim()),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn init_dates_the_first_event_after_today_so_upcoming_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let hub = tmp.path().join("hub");
    // Monday 2 March 2026: the first Saturday a week on is 14 March.
    let o = hearth()
        .arg("init")
        .arg(&hub)
        .args(["--now", "2026-03-02T10:00:00Z"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let event = std::fs::read_to_string(hub.join("content/events/first-meetup.md")).unwrap();
    assert!(event.contains("start = 2026-03-14T19:00:00\n"), "{event}");
    let out = tmp.path().join("out");
    let o = hearth()
        .arg("build")
        .arg(&hub)
        .arg("-o")
        .arg(&out)
        .args(["--now", "2026-03-02T10:00:00Z"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let home = read(&out, "index.html");
    let upcoming = &home[home.find("home-upcoming").expect("an upcoming list")..];
    assert!(
        upcoming[..upcoming.find("</section>").unwrap_or(upcoming.len())]
            .contains("/events/first-meetup/"),
        "the starter event is upcoming on the home page"
    );

    // SOURCE_DATE_EPOCH is "today" too (the same rule as build), taken in
    // the starter zone: 2026-03-01T20:00Z is already 2 March in Shanghai.
    let hub2 = tmp.path().join("hub2");
    let o = hearth()
        .arg("init")
        .arg(&hub2)
        .env("SOURCE_DATE_EPOCH", "1772395200")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let event = std::fs::read_to_string(hub2.join("content/events/first-meetup.md")).unwrap();
    assert!(event.contains("start = 2026-03-14T19:00:00\n"), "{event}");

    let o = hearth()
        .arg("init")
        .arg(tmp.path().join("hub3"))
        .args(["--now", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("--now `yesterday` is not an RFC 3339 time"));
    assert!(!tmp.path().join("hub3").exists(), "nothing written");
}

#[test]
fn new_writes_in_the_site_language_and_creates_the_section_it_needs() {
    let tmp = tempfile::tempdir().unwrap();
    for (language, recaps, body, page_body) in [
        ("zh-CN", "活动回顾", "写写这次活动", "在这里写正文。"),
        (
            "en",
            "Recaps",
            "What happened, what we read",
            "Write the page here.",
        ),
    ] {
        let hub = tmp.path().join(language);
        let o = hearth()
            .arg("init")
            .arg(&hub)
            .args(["--language", language, "--now", "2026-11-23T12:00:00Z"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
        assert!(!hub.join("content/activities").exists());
        let (recap, stderr) = new_in(
            &hub,
            &["activity", "秋日读诗", "--date", "2026-11-01"],
            None,
        );
        let index = hub.join("content/activities/_index.md");
        assert!(
            stderr.contains(&format!("created {}", index.display())),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(&index).unwrap(),
            format!("+++\ntitle = \"{recaps}\"\nsort_by = \"date\"\n+++\n")
        );
        let text_of_recap = std::fs::read_to_string(&recap).unwrap();
        assert!(text_of_recap.contains(body), "{language}: {text_of_recap}");
        // The second recap finds the section and its index as they are.
        let (_, stderr) = new_in(&hub, &["activity", "冬夜", "--date", "2026-11-02"], None);
        assert!(!stderr.contains("_index.md"), "{stderr}");
        let (page, _) = new_in(&hub, &["page", "About us"], None);
        assert!(std::fs::read_to_string(&page).unwrap().contains(page_body));
        let (_, _) = new_in(&hub, &["event", "Winter reading"], None);
        let (_, _) = new_in(&hub, &["member", "林晓"], None);

        let o = hearth()
            .arg("check")
            .arg(&hub)
            .arg("--deny-warnings")
            .output()
            .unwrap();
        assert!(o.status.success(), "{language}: {}", text(&o));
        let out = tmp.path().join(format!("out-{language}"));
        let o = build(&hub, &out, &[]);
        assert!(o.status.success(), "{}", text(&o));
        let home = read(&out, "index.html");
        assert!(
            home.contains(&format!("<a href=\"/activities/\">{recaps}</a>")),
            "the nav shows the section's title"
        );
        assert!(!home.contains(">activities</a>"), "never the folder's name");
    }

    // "Today" is the site's: 20:00 UTC on 1 March is 2 March in Shanghai.
    let hub = tmp.path().join("zh-CN");
    let (event, _) = new_in(&hub, &["event", "Spring reading"], Some("1772395200"));
    assert!(
        std::fs::read_to_string(event)
            .unwrap()
            .contains("start = 2026-03-02T19:00:00"),
    );
}
