#!/usr/bin/env bash
# Fuzzes Hearth's parsers with cargo-fuzz (libFuzzer) on the stable toolchain.
#
#   tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Default: 150 s for each of the four targets (frontmatter, markdown, rrule,
# ics_text), one after the other: 10 minutes in all, plus the first build
# (10 to 16 minutes on 2 cores; a minute or two after src/ changes).
#
# - Installs cargo-fuzz (from crates.io) when it is missing.
# - Builds with AddressSanitizer and debug assertions (overflow checks), on
#   stable Rust via RUSTC_BOOTSTRAP=1 (cargo-fuzz passes -Z flags; no nightly
#   is needed or downloaded). FUZZ_SANITIZER=none builds without ASan, which
#   is about twice as fast and still catches every Rust panic.
# - Keeps the corpus in fuzz/corpus/<target>/ (seeds are committed there) and
#   minimises it after the run (libFuzzer -merge=1, as `cargo fuzz cmin`;
#   FUZZ_CMIN=0 skips that), so the committed corpus stays small.
# - Every crash, timeout or out-of-memory input is minimised (libFuzzer
#   -minimize_crash=1, as `cargo fuzz tmin`) and copied to
#   fuzz/regressions/<target>/, which
#   tests/fuzz_regressions.rs replays in plain `cargo test`. After a crash the
#   target is restarted for the rest of its time (at most FUZZ_MAX_CRASHES
#   crashes per target, 3 by default). An input that runs longer than
#   FUZZ_TIMEOUT seconds (10 by default) counts as a crash (timeout-…).
# - Ends with a summary (seconds fuzzed, executions, crashes, corpus size per
#   target), also written to fuzz/artifacts/summary.txt.
#
# Exits 1 when any target found a crash, else 0.
#
# One target by hand (from fuzz/):
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -a markdown -- -max_total_time=60
# Reproduce a reproducer (from fuzz/):
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -a markdown regressions/markdown/crash-...
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
if ! command -v cargo >/dev/null && [[ -x "$HOME/.cargo/bin/cargo" ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi

SECS="${1:-150}"
[[ $# -gt 0 ]] && shift
if ! [[ "$SECS" =~ ^[0-9]+$ ]] || [[ "$SECS" -lt 1 ]]; then
  echo "usage: tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 2
fi
SANITIZER="${FUZZ_SANITIZER:-address}"
MAX_CRASHES="${FUZZ_MAX_CRASHES:-3}"
CMIN="${FUZZ_CMIN:-1}"
# An input slower than this is a finding (timeout-…), like a crash.
TIMEOUT="${FUZZ_TIMEOUT:-10}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
# cargo-fuzz passes -Zsanitizer / -Cpasses=sancov-module; stable rustc
# accepts -Z flags with this (the sanitizer runtimes ship with rust-std).
export RUSTC_BOOTSTRAP=1
FUZZ_FLAGS=(--sanitizer "$SANITIZER" --debug-assertions)

cd "$ROOT/fuzz"
if [[ $# -gt 0 ]]; then
  TARGETS=("$@")
else
  mapfile -t TARGETS < <(cargo fuzz list)
fi

# Files in a folder: how many, and their names (sorted).
count() { find "$1" -maxdepth 1 -type f | wc -l; }
names() { find "$1" -maxdepth 1 -type f -printf '%f\n' | sort; }

# Longest input per target: big enough for a real page, small enough to keep
# the fuzzer fast (seeds longer than this are truncated when loaded).
max_len() {
  case "$1" in
    rrule) echo 256 ;;
    ics_text) echo 2048 ;;
    *) echo 8192 ;;
  esac
}

echo "== building ${TARGETS[*]} (sanitizer: $SANITIZER)"
cargo fuzz build "${FUZZ_FLAGS[@]}"
# The fuzzers run from their built binaries (what `cargo fuzz run` does), so
# src/ edited during a run costs no rebuild and no fuzzing time.
BIN="$ROOT/fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release"

declare -A RAN FOUND EXECS
total_start=$SECONDS
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t" "regressions/$t"
  fuzzed=0
  crashes=0
  execs=0
  # Inputs that were already in artifacts/ are not this run's findings.
  before="$(names "artifacts/$t")"
  while :; do
    # Only fuzzing counts: minimising a crash does not eat the budget.
    left=$((SECS - fuzzed))
    [[ $left -ge 1 ]] || break
    run_start=$SECONDS
    echo
    echo "== fuzzing $t for ${left}s (corpus: $(count "corpus/$t") files)"
    set +e
    "$BIN/$t" -artifact_prefix="artifacts/$t/" -max_total_time="$left" -timeout="$TIMEOUT" \
      -rss_limit_mb=4096 -max_len="$(max_len "$t")" -print_final_stats=1 "corpus/$t" \
      2>&1 | tee "artifacts/$t.log"
    rc=${PIPESTATUS[0]}
    set -e
    fuzzed=$((fuzzed + SECONDS - run_start))
    # Executions: libFuzzer's final stats, or its last status line (#N ...).
    n="$(sed -n 's/^stat::number_of_executed_units: *//p' "artifacts/$t.log" | tail -n 1)"
    [[ -n "$n" ]] || n="$(grep -oE '^#[0-9]+' "artifacts/$t.log" | tail -n 1 | tr -d '#')"
    execs=$((execs + ${n:-0}))
    [[ $rc -eq 0 ]] && break
    # A finding: minimise every new crash-like artifact into regressions/.
    new="$(comm -13 <(echo "$before") <(names "artifacts/$t") |
      grep -E '^(crash|leak|timeout|oom)-' || true)"
    if [[ -z "$new" ]]; then
      echo "== $t: the fuzzer failed ($rc) without an artifact; stopping" >&2
      exit "$rc"
    fi
    for a in $new; do
      crashes=$((crashes + 1))
      echo "== $t: found artifacts/$t/$a; minimising"
      small="artifacts/$t/$a.min"
      # Each minimising step may take max_total_time; cap the whole at 3 min
      # (the best input so far is kept in $small).
      timeout 180 "$BIN/$t" -minimize_crash=1 -max_total_time=30 -timeout="$TIMEOUT" \
        -rss_limit_mb=4096 -exact_artifact_path="$small" "artifacts/$t/$a" \
        >"artifacts/$t/$a.tmin.log" 2>&1 || true
      [[ -s "$small" ]] || small="artifacts/$t/$a"
      dest="regressions/$t/${a%%-*}-$(sha1sum "$small" | cut -c1-16)"
      cp "$small" "$dest"
      echo "== $t: reproducer ($(wc -c <"$dest") bytes) saved as fuzz/$dest"
    done
    before="$(names "artifacts/$t")"
    if [[ $crashes -ge $MAX_CRASHES ]]; then
      echo "== $t: $crashes crashes; not restarting"
      break
    fi
  done
  RAN[$t]=$fuzzed
  FOUND[$t]=$crashes
  EXECS[$t]=$execs
  if [[ "$CMIN" == 1 ]]; then
    # libFuzzer's merge keeps the inputs that add coverage (as `cargo fuzz
    # cmin`); a set cover of the edges alone (no hit counters) keeps the same
    # edge coverage in a corpus 4 to 7 times smaller, small enough to commit.
    # Named files are the hand-picked seeds (libFuzzer names its finds by
    # their SHA-1): they are always kept, and the merge adds what they miss.
    n_before=$(count "corpus/$t")
    rm -rf "corpus/$t.cmin" && mkdir "corpus/$t.cmin"
    find "corpus/$t" -maxdepth 1 -type f -regextype posix-extended ! -regex '.*/[0-9a-f]{40}' \
      -exec cp {} "corpus/$t.cmin/" \;
    if "$BIN/$t" -set_cover_merge=1 -use_counters=0 -timeout="$TIMEOUT" -rss_limit_mb=4096 \
      -max_len="$(max_len "$t")" "corpus/$t.cmin" "corpus/$t" >"artifacts/$t.cmin.log" 2>&1; then
      rm -rf "corpus/$t" && mv "corpus/$t.cmin" "corpus/$t"
      echo "== corpus/$t minimised: $n_before -> $(count "corpus/$t") files"
    else
      rm -rf "corpus/$t.cmin"
      echo "== corpus/$t: merge failed, kept as is (see fuzz/artifacts/$t.cmin.log)"
    fi
  fi
done

status=0
for t in "${TARGETS[@]}"; do
  [[ ${FOUND[$t]} -eq 0 ]] || status=1
done
{
  echo "== summary ($((SECONDS - total_start))s in all; sanitizer: $SANITIZER; $(date -u +%FT%TZ))"
  for t in "${TARGETS[@]}"; do
    printf '  %-12s %5ss  %10s execs  %s crash(es)  corpus %s files\n' \
      "$t" "${RAN[$t]}" "${EXECS[$t]}" "${FOUND[$t]}" "$(count "corpus/$t")"
  done
  du -sh corpus regressions 2>/dev/null | sed 's/^/  /'
} | tee artifacts/summary.txt
exit $status
