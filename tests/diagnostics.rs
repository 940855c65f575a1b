//! Errors are for people: each failure names the file and line and says how to fix it.

mod common;

use common::*;

fn check_json(site: &std::path::Path) -> (i32, Vec<serde_json::Value>) {
    // Run from the site folder, as a contributor would, so paths are site-relative.
    let o = hearth()
        .current_dir(site)
        .args(["check", ".", "--format", "json"])
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    (o.status.code().unwrap(), lines)
}

fn only(diags: &[serde_json::Value], code: &str) -> serde_json::Value {
    let found: Vec<_> = diags.iter().filter(|d| d["code"] == code).collect();
    assert_eq!(found.len(), 1, "expected one {code} in {diags:#?}");
    found[0].clone()
}

#[test]
fn bad_front_matter_names_file_and_line() {
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        ("content/ok.md", "+++\ntitle = \"Fine\"\n+++\n"),
        (
            "content/bad.md",
            "+++\ntitle = \"Unclosed\ndate = 2026-11-02\n+++\nBody\n",
        ),
    ]);
    let out = site.path().join("public");
    let o = build(site.path(), &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(t.contains("content/bad.md:2:"), "{t}");
    assert!(t.contains("help:"), "{t}");
    assert!(!out.exists(), "nothing written on failure");
}

#[test]
fn yaml_errors_and_bad_dates_point_at_the_value() {
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        (
            "content/a.md",
            "+++\ntitle = \"A\"\ndate = 2026-13-01\n+++\n",
        ),
        ("content/b.md", "---\ntitle: B\ntags: [unclosed\n---\n"),
    ]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    // TOML rejects month 13 itself; either way it is a date error on the date's line.
    let a: Vec<_> = diags
        .iter()
        .filter(|d| d["file"] == "content/a.md")
        .collect();
    assert_eq!(a.len(), 1, "{diags:#?}");
    assert_eq!(
        (a[0]["line"].as_u64(), a[0]["code"].as_str()),
        (Some(3), Some("H0206"))
    );
    let b: Vec<_> = diags
        .iter()
        .filter(|d| d["file"] == "content/b.md")
        .collect();
    assert_eq!(b[0]["code"], "H0202");
    assert!(b[0]["line"].as_u64().unwrap() >= 3, "{b:#?}");
}

#[test]
fn broken_internal_link_names_file_and_line() {
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        (
            "content/rules.md",
            "+++\ntitle = \"Rules\"\n+++\n1. One\n2. Two\n",
        ),
        (
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\nIntro.\n\nSee [moved](old/place.md) and [rule](rules.md#rule-22).\n",
        ),
    ]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    let link = only(&diags, "H0301");
    assert_eq!(
        (
            link["file"].as_str(),
            link["line"].as_u64(),
            link["col"].as_u64()
        ),
        (Some("content/a.md"), Some(6), Some(5))
    );
    let anchor = only(&diags, "H0302");
    assert_eq!(anchor["line"], 6);
    assert_eq!(anchor["help"], "did you mean `#rule-2`?");
}

#[test]
fn duplicate_output_path_names_both_files() {
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        ("content/night.md", "+++\ntitle = \"A\"\n+++\n"),
        (
            "content/other.md",
            "+++\ntitle = \"B\"\nslug = \"night\"\n+++\n",
        ),
    ]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    let d = only(&diags, "H0303");
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.contains("content/night.md") || d["file"] == "content/night.md",
        "{d}"
    );
    assert!(
        msg.contains("content/other.md") || d["file"] == "content/other.md",
        "{d}"
    );
}

#[test]
fn unknown_config_key_names_line_and_nearest_key() {
    let site = site_from(&[
        (
            "hearth.toml",
            "title = \"T\"\nbase_ur = \"https://t.example.org\"\n",
        ),
        ("content/a.md", "hi\n"),
    ]);
    let o = build(site.path(), &site.path().join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(t.contains("hearth.toml:2:1"), "{t}");
    assert!(t.contains("did you mean `base_url`?"), "{t}");
}

#[test]
fn unknown_front_matter_field_is_a_warning_with_a_suggestion() {
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        (
            "content/a.md",
            "+++\ntitle = \"A\"\ndescripton = \"typo\"\n+++\n",
        ),
    ]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 0, "warnings do not fail check");
    let d = only(&diags, "H0203");
    assert_eq!(
        (d["severity"].as_str(), d["line"].as_u64()),
        (Some("warning"), Some(3))
    );
    assert_eq!(d["help"], "did you mean `description`?");
    let o = hearth()
        .arg("check")
        .arg(site.path())
        .arg("--deny-warnings")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn tier_problems_name_both_files() {
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        (
            "content/club/_index.md",
            "+++\ntitle = \"Club\"\ntier = \"member\"\n+++\n",
        ),
        (
            "content/club/open.md",
            "+++\ntitle = \"Open\"\ntier = \"public\"\n+++\n",
        ),
        (
            "content/typo.md",
            "+++\ntitle = \"Typo\"\ntier = \"membr\"\n+++\n",
        ),
    ]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    let lowered = only(&diags, "H0402");
    assert_eq!(lowered["file"], "content/club/open.md");
    assert!(
        lowered["message"]
            .as_str()
            .unwrap()
            .contains("content/club/_index.md")
    );
    let unknown = only(&diags, "H0401");
    assert_eq!(unknown["help"], "did you mean \"member\"?");
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let site = site_from(&[("hearth.toml", CONFIG)]);
    std::fs::create_dir_all(site.path().join("content")).unwrap();
    std::fs::write(
        site.path().join("content/bad.md"),
        b"+++\ntitle = \"x\"\n+++\nok \xff\xfe\n",
    )
    .unwrap();
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    let d = only(&diags, "H0207");
    assert!(
        d["message"].as_str().unwrap().contains("byte offset 23"),
        "{d}"
    );
    assert_eq!(d["line"], 4);
}

#[test]
fn template_errors_name_the_template_file_and_line() {
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        (
            "templates/page.html",
            "<!DOCTYPE html>\n<p>{{ page.title }</p>\n",
        ),
    ]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    let d = only(&diags, "H0501");
    assert_eq!(
        (d["file"].as_str(), d["line"].as_u64()),
        (Some("templates/page.html"), Some(2))
    );
}

/// A template rendered by `partial()` that fails is reported at its own
/// line (Tera names only the call), and a variable the call did not pass
/// says that the partial sees its arguments only.
#[test]
fn a_failing_partial_names_its_own_line_and_what_it_was_not_given() {
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        ("content/news/_index.md", "+++\ntitle = \"News\"\n+++\n"),
        ("content/news/a.md", "+++\ntitle = \"A\"\n+++\n"),
        (
            "templates/partials/card.html",
            "<li>{{ card.title }}\n{{ page.title }}</li>\n",
        ),
    ]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let d = only(&diags, "H0502");
    assert_eq!(
        (d["file"].as_str(), d["line"].as_u64()),
        (Some("templates/partials/card.html"), Some(2)),
        "{d}"
    );
    assert!(
        d["help"].as_str().unwrap().contains("partial("),
        "the help names partial(): {d}"
    );
}

#[test]
fn github_format_is_one_annotation_per_problem() {
    let site = site_from(&[
        ("hearth.toml", CONFIG),
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n[x](gone.md)\n"),
    ]);
    let o = hearth()
        .current_dir(site.path())
        .args(["check", "--format", "github"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        out,
        format!(
            "::error file=content/a.md,line=4,col=1,title=H0301 error::link to `gone.md`: no page at content/gone.md%0Ahelp: check the path (it is relative to this file, or to content/ with `@/`); the page may have moved\n"
        )
    );
}
