//! The reference docs keep up with the code.

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

#[test]
fn every_diagnostic_code_is_documented_with_an_example() {
    let src = read("src/diagnostics.rs");
    let docs = read("docs/diagnostics.md");
    let codes: Vec<&str> = src
        .split('"')
        .filter(|s| {
            s.len() == 5 && s.starts_with('H') && s[1..].chars().all(|c| c.is_ascii_digit())
        })
        .collect();
    assert!(codes.len() > 20, "found {codes:?}");
    for code in codes {
        let heading = format!("### {code}\n");
        let at = docs
            .find(&heading)
            .unwrap_or_else(|| panic!("{code} has no section in docs/diagnostics.md"));
        let section = &docs[at + heading.len()..];
        let section = &section[..section.find("\n### ").unwrap_or(section.len())];
        assert!(
            section.contains(&format!("[{code}]")),
            "{code}: the section has no example output"
        );
        let says_fix = section.contains("**Fix:**")
            || section
                .lines()
                .any(|l| l.starts_with("| Message") && l.contains("| Fix |"));
        assert!(says_fix, "{code}: the section says no fix");
    }
}
