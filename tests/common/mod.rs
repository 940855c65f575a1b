//! Helpers shared by the end-to-end tests: run the real binary on sites.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The path of the `hearth` binary cargo built for these tests.
pub fn hearth() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hearth"));
    c.env("NO_COLOR", "1").env_remove("SOURCE_DATE_EPOCH");
    c
}

/// A fixture folder under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The bundled example site.
pub fn example_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site")
}

/// Runs `hearth build SITE -o OUT --now …` and returns the process output.
pub fn build(site: &Path, out: &Path, extra: &[&str]) -> Output {
    hearth()
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .args(["--now", "2026-11-23T12:00:00Z"])
        .args(extra)
        .output()
        .expect("hearth runs")
}

/// Stdout and stderr as one string, for assertions and failure messages.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Writes a small site from `(path, contents)` pairs into a fresh temp folder.
pub fn site_from(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, contents) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }
    dir
}

/// [`site_from`] for files whose paths and contents were built at run time.
pub fn site_from_owned(files: &[(String, String)]) -> tempfile::TempDir {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    site_from(&refs)
}

/// A minimal valid config.
pub const CONFIG: &str = "title = \"T\"\nbase_url = \"https://t.example.org\"\n[deploy]\nhost = \"netlify\"\n[[tiers]]\nid = \"member\"\nname = \"Members\"\n";

/// The staging and old-output folders a build left beside its output in
/// `dir` (a finished or failed build leaves none).
pub fn build_folders_left(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".hearth-"))
        .map(|e| e.path())
        .collect()
}

/// Every file under `root`, relative, sorted, with its bytes.
pub fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, std::fs::read(e.path()).unwrap()));
        }
    }
    out
}

/// Files a build writes for the host only (rules and the access manifest),
/// never served to visitors.
pub fn host_only(rel: &str) -> bool {
    rel.starts_with("_hearth/") || matches!(rel, "_redirects" | "_headers" | "_worker.js")
}

/// Reads an output file as text.
pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Copies a site folder (without a built `public/`) so a test can change it.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
