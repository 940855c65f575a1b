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

/// Every `hearth …` command in the example site's workflows must exist with the flags used.
#[test]
fn example_workflows_parse_and_call_real_commands() {
    let dir = example_site().join(".github/workflows");
    let mut calls = 0;
    for name in ["check.yml", "deploy.yml"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let docs =
            yaml_rust2::YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let jobs = &docs[0]["jobs"];
        assert!(!jobs.is_badvalue(), "{name} has jobs");
        for (_, job) in jobs.as_hash().unwrap() {
            for step in job["steps"].as_vec().into_iter().flatten() {
                let Some(run) = step["run"].as_str() else {
                    continue;
                };
                for line in run
                    .lines()
                    .filter(|l| l.trim_start().starts_with("hearth "))
                {
                    let words: Vec<&str> = line.split_whitespace().collect();
                    let sub = words[1];
                    let help = hearth().args([sub, "--help"]).output().unwrap();
                    assert!(
                        help.status.success(),
                        "{name}: `hearth {sub}` is not a command"
                    );
                    let help = String::from_utf8_lossy(&help.stdout);
                    for flag in words.iter().filter(|w| w.starts_with("--")) {
                        assert!(help.contains(flag), "{name}: `hearth {sub}` has no {flag}");
                    }
                    calls += 1;
                }
            }
        }
    }
    assert_eq!(
        calls, 2,
        "check runs hearth check, deploy runs hearth build"
    );
}
