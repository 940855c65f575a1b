//! Broken sites under tests/fixtures/broken/: each reports exactly the
//! diagnostics in its `expected.txt` (file:line:col code severity), and the
//! sites with an `expected.json` or `expected.github` give exactly that output.

mod common;

use common::*;

fn check(site: &std::path::Path, format: &str) -> (Option<i32>, String) {
    let o = hearth()
        .current_dir(site)
        .args(["check", "--format", format])
        .output()
        .unwrap();
    (o.status.code(), String::from_utf8(o.stdout).unwrap())
}

#[test]
fn each_broken_site_reports_exactly_its_expected_diagnostics() {
    let root = fixture("broken");
    let mut sites: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    sites.sort();
    assert!(sites.len() >= 10, "a broken site per kind of mistake");
    for site in sites {
        let expected = std::fs::read_to_string(site.join("expected.txt")).unwrap();
        let (code, out) = check(&site, "json");
        let got: Vec<String> = out
            .lines()
            .map(|l| {
                let d: serde_json::Value = serde_json::from_str(l).unwrap();
                assert!(
                    !d["help"].as_str().unwrap_or("").is_empty(),
                    "{}: no help in {d}",
                    site.display()
                );
                format!(
                    "{}:{}:{} {} {}",
                    d["file"].as_str().unwrap(),
                    d["line"],
                    d["col"],
                    d["code"].as_str().unwrap(),
                    d["severity"].as_str().unwrap()
                )
            })
            .collect();
        let want: Vec<&str> = expected.lines().collect();
        assert_eq!(got, want, "{}", site.display());
        let has_error = want.iter().any(|l| l.ends_with(" error"));
        assert_eq!(
            code,
            Some(if has_error { 1 } else { 0 }),
            "{}",
            site.display()
        );
    }
}

/// Where a site has `expected.json` or `expected.github`, its output in that
/// format is asserted byte for byte: the messages and helps, not only the
/// places, are part of what a fixture pins.
#[test]
fn machine_formats_are_stable_byte_for_byte() {
    let mut pinned = 0;
    for entry in std::fs::read_dir(fixture("broken")).unwrap().flatten() {
        let site = entry.path();
        for (format, file) in [("json", "expected.json"), ("github", "expected.github")] {
            let Ok(want) = std::fs::read_to_string(site.join(file)) else {
                continue;
            };
            let (_, got) = check(&site, format);
            assert_eq!(got, want, "{}/{file}", site.display());
            pinned += 1;
        }
    }
    assert!(pinned >= 2, "the links site pins both formats");
}
