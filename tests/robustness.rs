//! Hostile and broken input never panics: each gives a diagnostic or a page.

mod common;

use common::*;

/// Runs `hearth check` on a site and returns its exit code; panics show as 101.
fn check_code(site: &std::path::Path) -> (i32, String) {
    let o = hearth().arg("check").arg(site).output().unwrap();
    (o.status.code().unwrap_or(-1), text(&o))
}

#[test]
fn odd_files_give_diagnostics_or_pages_never_a_panic() {
    let deep_quote = ">".repeat(100_000) + " deep\n";
    let deep_list: String = (0..5_000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    let many_keys: String = (0..10_000).map(|i| format!("key{i} = {i}\n")).collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.md", b"".to_vec()),
        ("only-fence.md", b"+++".to_vec()),
        ("only-fences.md", b"+++\n+++\n".to_vec()),
        ("bom.md", "\u{feff}+++\ntitle = \"BOM\"\n+++\nBody\n".as_bytes().to_vec()),
        ("crlf.md", b"+++\r\ntitle = \"CRLF\"\r\n+++\r\n## Heading\r\n\r\nText\r\n".to_vec()),
        ("deep-quote.md", deep_quote.into_bytes()),
        ("deep-list.md", deep_list.into_bytes()),
        ("many-keys.md", format!("+++\ntitle = \"Keys\"\n[extra]\n{many_keys}+++\n").into_bytes()),
        ("nul.md", b"+++\ntitle = \"a\0b\"\n+++\n\0\n".to_vec()),
        ("yaml-alias.md", b"---\na: &x 1\nb: *x\n---\n".to_vec()),
        ("bad-utf8.md", b"\xff\xfe\x00".to_vec()),
        ("slug-escape.md", b"+++\ntitle = \"x\"\nslug = \"../../etc\"\n+++\n".to_vec()),
        ("alias-escape.md", b"+++\ntitle = \"x\"\naliases = [\"../../../tmp/evil\", \"C:\\\\Windows\\\\x\", \"/ok/\"]\n+++\n".to_vec()),
        ("huge-heading.md", format!("# {}\n", "长".repeat(100_000)).into_bytes()),
        ("link-loop.md", b"[a](link-loop.md#nowhere) [b](../../../../etc/passwd) ![c](../../../secret.png)\n".to_vec()),
    ];
    for (name, bytes) in cases {
        let site = site_from(&[("hearth.toml", CONFIG)]);
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        std::fs::write(site.path().join("content").join(name), &bytes).unwrap();
        let (code, out) = check_code(site.path());
        assert!(code == 0 || code == 1, "{name}: exit {code}\n{out}");
        assert!(!out.contains("panicked"), "{name}: {out}");
        let o = build(site.path(), &site.path().join("public"), &[]);
        assert!(
            matches!(o.status.code(), Some(0) | Some(1)),
            "{name}: build exit {:?}\n{}",
            o.status.code(),
            text(&o)
        );
        // Nothing is ever written outside the output folder.
        let outside: Vec<_> = std::fs::read_dir(site.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        for entry in outside {
            assert!(
                ["hearth.toml", "content", "public"].contains(&entry.as_str()),
                "{name}: wrote {entry}"
            );
        }
    }
}

#[test]
fn a_large_page_builds() {
    let big: String = "读书会的每一次分享都值得记录。Reading together. ".repeat(400_000);
    assert!(big.len() > 20_000_000);
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        (
            "content/big.md",
            &format!("+++\ntitle = \"Big\"\n+++\n{big}\n"),
        ),
    ]);
    let o = build(site.path(), &site.path().join("public"), &[]);
    assert!(o.status.success(), "{}", text(&o));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_and_loops_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"SECRET-OUTSIDE\"\n+++\n",
    )
    .unwrap();
    let site = site_from(&[("hearth.toml", CONFIG), ("content/a.md", "hi\n")]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path().join("content/leak.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/loop"),
    )
    .unwrap();
    let (code, out) = check_code(site.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("content/leak.md") && out.contains("outside the site"),
        "{out}"
    );
    let o = build(site.path(), &site.path().join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!site.path().join("public").exists());
}

#[cfg(unix)]
#[test]
fn a_killed_build_leaves_the_previous_site_and_no_staging_folder() {
    let mut files: Vec<(String, String)> = vec![("hearth.toml".into(), CONFIG.into())];
    for i in 0..50 {
        files.push((
            format!("content/p{i}.md"),
            format!("+++\ntitle = \"Page {i}\"\n+++\n{}\n", "Text. ".repeat(200)),
        ));
    }
    let site = site_from_owned(&files);
    let out = site.path().join("public");
    let o = build(site.path(), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let before = tree(&out);
    std::fs::write(
        site.path().join("content/p0.md"),
        "+++\ntitle = \"Changed\"\n+++\nNew\n",
    )
    .unwrap();
    let mut child = hearth()
        .arg("build")
        .arg(site.path())
        .arg("-o")
        .arg(&out)
        .args(["--now", "2026-11-23T12:00:00Z"])
        .spawn()
        .unwrap();
    // Kill it while it writes the staging folder (or, on a fast machine, whenever it is).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let staging_seen = loop {
        let staging = std::fs::read_dir(site.path())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains(".hearth-staging-"));
        if staging || std::time::Instant::now() > deadline {
            break staging;
        }
        if child.try_wait().unwrap().is_some() {
            break false;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    let _ = child.kill();
    let _ = child.wait();
    if staging_seen {
        assert_eq!(
            tree(&out),
            before,
            "the previous site is intact after SIGKILL"
        );
    }
    // The next build succeeds and cleans up whatever the killed one left.
    let o = build(site.path(), &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let leftovers = build_folders_left(site.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(read(&out, "p0/index.html").contains("Changed"));
}

#[test]
fn script_urls_in_front_matter_are_errors_at_their_line() {
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        (
            "content/members/_index.md",
            "+++\ntitle = \"Members\"\n+++\n",
        ),
        (
            "content/members/eve.md",
            "+++\ntitle = \"Eve\"\n[links]\nwebsite = \"JaVaScRiPt:alert(1)\"\nok = \"https://eve.example/\"\n+++\n",
        ),
        ("content/events/_index.md", "+++\ntitle = \"Events\"\n+++\n"),
        (
            "content/events/e.md",
            "+++\ntitle = \"E\"\nstart = 2030-01-01\nregistration = \"data:text/html,x\"\n+++\n",
        ),
    ]);
    let o = hearth()
        .current_dir(site.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let places: Vec<(String, u64)> = lines
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("content/events/e.md".to_string(), 4),
            ("content/members/eve.md".to_string(), 4)
        ],
        "{out}"
    );
}

#[test]
fn pages_over_the_size_limit_fail_with_a_diagnostic() {
    let cfg = format!("{CONFIG}[build]\nmax_page_mb = 1\n");
    let big = "word ".repeat(300_000);
    let site = site_from(&[
        ("hearth.toml", &cfg),
        (
            "content/big.md",
            &format!("+++\ntitle = \"Big\"\n+++\n{big}\n"),
        ),
    ]);
    let o = build(site.path(), &site.path().join("public"), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("H0504") && text(&o).contains("content/big.md"),
        "{}",
        text(&o)
    );
    assert!(!site.path().join("public").exists());
}
