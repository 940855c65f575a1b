//! Replays fuzz inputs on stable Rust, no fuzzer needed: every crash
//! reproducer in `fuzz/regressions/<target>/` and the first 200 files of
//! each `fuzz/corpus/<target>/` (the hand-named seeds, then libFuzzer's finds
//! by name), through the same harness functions the cargo-fuzz targets call
//! (`fuzz/harness.rs`). Reproducers named `slow-*` must also finish within
//! [`SLOW_LIMIT`]. See `tools/fuzz.sh` and `fuzz/README.md`.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[allow(dead_code)]
#[path = "../fuzz/harness.rs"]
mod harness;

/// Corpus files replayed per target (the corpus can grow between `cmin`s).
const CORPUS_SAMPLE: usize = 200;

/// Reproducers in `fuzz/regressions/` (every target). The replay asserts it
/// ran exactly these: a folder moved, renamed or emptied would otherwise
/// replay nothing and pass. Raise it with each reproducer added.
const REPRODUCERS: usize = 7;

/// Time allowed for each `slow-*` reproducer (inputs that once took seconds
/// in this debug build; now a few milliseconds), generous for a busy machine.
const SLOW_LIMIT: Duration = Duration::from_secs(1);

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    // Hand-named seeds first, then libFuzzer's finds (named by their SHA-1).
    files.sort_by_key(|p| {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        let found = name.len() == 40 && name.bytes().all(|b| b.is_ascii_hexdigit());
        (found, p.clone())
    });
    files
}

/// Runs every input, then reports all failures at once with their paths.
fn replay(kind: &str, limit: usize) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind);
    let mut failures = Vec::new();
    let mut count = 0;
    let mut slowest = Vec::new();
    for (target, run) in harness::TARGETS {
        for path in files(&root.join(target)).into_iter().take(limit) {
            let data = match fs::read(&path) {
                Ok(data) => data,
                // A fuzzer running meanwhile replaces corpus files.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => panic!("{}: {e}", path.display()),
            };
            count += 1;
            let clock = Instant::now();
            let result = panic::catch_unwind(AssertUnwindSafe(|| run(&data)));
            let took = clock.elapsed();
            slowest.push((took, path.clone()));
            let slow_case = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("slow-"));
            if slow_case && took > SLOW_LIMIT {
                failures.push(format!(
                    "{target}: {}: took {} ms (limit {} ms)",
                    path.display(),
                    took.as_millis(),
                    SLOW_LIMIT.as_millis()
                ));
            }
            if let Err(e) = result {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{target}: {}: {msg}", path.display()));
            }
        }
    }
    // Shown with `cargo test --test fuzz_regressions -- --nocapture`.
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (took, path) in slowest.iter().take(5) {
        eprintln!(
            "{kind}: {:>8.1} ms  {}",
            took.as_secs_f64() * 1e3,
            path.display()
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {count} inputs panic (reproduce with `cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET FILE`):\n{}",
        failures.len(),
        failures.join("\n")
    );
    count
}

#[test]
fn crash_reproducers_stay_fixed() {
    let n = replay("regressions", usize::MAX);
    assert_eq!(
        n, REPRODUCERS,
        "replayed {n} reproducers from fuzz/regressions/, expected {REPRODUCERS} \
         (after adding one, raise REPRODUCERS in tests/fuzz_regressions.rs)"
    );
}

#[test]
fn corpus_sample_runs_clean() {
    let n = replay("corpus", CORPUS_SAMPLE);
    assert!(
        n >= harness::TARGETS.len(),
        "the seed corpus is missing ({n} files)"
    );
}
