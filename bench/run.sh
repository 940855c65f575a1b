#!/usr/bin/env bash
# Side-by-side build benchmark: Hearth vs Hugo vs Zola on the same generated hub.
#
#   bench/run.sh              # N = 1000 10000 100000
#   bench/run.sh 1000         # only N = 1000 (what CI runs)
#   bench/run.sh 1000 10000
#
# Environment (all optional):
#   RUNS=5          timed runs per command (default 5; 3 from N >= 10000; 2 from
#                   N >= 100000)
#   WARMUP=1        warm-up runs (default 1; 0 from N >= 100000, where the
#                   /usr/bin/time run before hyperfine already warms the caches)
#   SEED=1          content seed for gen.py
#   TIERS=1         the tiered hub (gen.py --tiers: public/member/core, about
#                   30 % gated, Hearth built at the edge); TIERS=0 for the
#                   untiered hub of the earlier measurements
#   HUGO=hugo       Hugo binary (installed with apt-get when missing); several,
#                   space-separated, give one row each ("hugo /opt/hugo-new/hugo")
#   ZOLA=zola       Zola binary (used when on PATH or set here; never installed)
#   HEARTH=path     use this hearth binary instead of building one
#   BENCH_TMP=dir   where sites and outputs go (default /dev/shm, else $TMPDIR)
#   TIMEOUT=1800    seconds one build may take before it is reported as a timeout
#   MEMLIMIT_MB=... address-space cap per build (default 3/4 of RAM, via prlimit)
#   KEEP=1          keep the generated sites and outputs
#   GROWTH=5        after the table, build Hearth's sites of all sizes in turn
#                   for this many rounds (the smaller sizes best of 3 in each
#                   round, the output folder removed before each build) and
#                   report how the time grows per round: the median and range
#                   of the rounds' ratios. Interleaving cancels the drift of a
#                   noisy machine that sizes measured minutes apart do not
#                   (default 0: off)
#   RESULTS=file    also append the markdown table to this file
#   NO_INSTALL=1    never call apt-get
set -euo pipefail

die() { echo "bench/run.sh: error: $*" >&2; exit 1; }
note() { echo "bench/run.sh: $*" >&2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
for n in "${sizes[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "page count must be a positive integer, got '$n'"
done
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1782864000}" # 2026-07-01, Hearth's "now"

command -v python3 >/dev/null || die "python3 is needed for bench/gen.py"

# --- tools -------------------------------------------------------------------
apt_updated=0
apt_install() { # apt_install PACKAGE: best effort, returns non-zero when impossible
  [ -z "${NO_INSTALL:-}" ] || return 1
  command -v apt-get >/dev/null || return 1
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || return 1
    sudo="sudo -n"
  fi
  if [ "$apt_updated" -eq 0 ]; then
    note "apt-get update"
    $sudo apt-get update -qq >/dev/null 2>&1 || note "apt-get update failed; trying the install anyway"
    apt_updated=1
  fi
  note "apt-get install $1"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$1" >/dev/null 2>&1
}

command -v hyperfine >/dev/null || apt_install hyperfine || true
command -v hyperfine >/dev/null || die "hyperfine is missing and could not be installed (apt-get install hyperfine)"
[ -x /usr/bin/time ] || apt_install time || true
[ -x /usr/bin/time ] || die "/usr/bin/time is missing and could not be installed (apt-get install time)"

notes=()
# HUGO may name several binaries (space-separated) to compare Hugo versions.
read -r -a hugo_in <<<"${HUGO:-hugo}"
hugos=()
for h in "${hugo_in[@]}"; do
  if ! command -v "$h" >/dev/null && [ "$h" = hugo ]; then apt_install hugo || true; fi
  if command -v "$h" >/dev/null; then hugos+=("$h")
  elif [ "$h" = hugo ]; then notes+=("Hugo skipped: \`hugo\` not found and apt-get could not install it.")
  else notes+=("Hugo skipped: \`$h\` not found."); fi
done
hugo_label() { # "hugo 0.111.3"
  local v; v="$("$1" version 2>/dev/null | grep -o 'v[0-9][0-9.]*' | head -1)"
  echo "hugo ${v#v}"
}
ZOLA="${ZOLA:-zola}"
have_zola=0; command -v "$ZOLA" >/dev/null && have_zola=1
[ $have_zola -eq 1 ] || notes+=("Zola skipped: \`$ZOLA\` not on PATH (set ZOLA=/path/to/zola).")

if [ -z "${HEARTH:-}" ]; then
  note "building hearth (release)"
  (cd "$repo" && cargo build --release --quiet --bin hearth) || die "cargo build --release failed"
  HEARTH="${CARGO_TARGET_DIR:-$repo/target}/release/hearth"
fi
[ -x "$HEARTH" ] || die "no hearth binary at $HEARTH"
HEARTH="$(cd "$(dirname "$HEARTH")" && pwd)/$(basename "$HEARTH")"

# --- scratch space -------------------------------------------------------------
if [ -n "${BENCH_TMP:-}" ]; then
  mkdir -p "$BENCH_TMP"; base="$BENCH_TMP"
elif [ -d /dev/shm ] && [ -w /dev/shm ]; then
  base=/dev/shm
else
  base="${TMPDIR:-/tmp}"
fi
work="$(mktemp -d "$base/hearth-bench.XXXXXX")"
cleanup() { if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else note "kept $work"; fi; }
trap cleanup EXIT
note "scratch: $work"

versions() {
  echo "- hearth: $("$HEARTH" --version 2>&1 | head -1) ($HEARTH)"
  for h in ${hugos[@]+"${hugos[@]}"}; do echo "- hugo: $("$h" version 2>/dev/null | grep -m1 '^hugo v') ($(command -v "$h"))"; done
  [ $have_zola -eq 0 ] || echo "- zola: $("$ZOLA" --version 2>&1 | head -1) ($(command -v "$ZOLA"))"
  echo "- hyperfine: $(hyperfine --version | head -1)"
  echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM"
}

# A runaway build (a super-linear phase at large N) must fail, not take the
# machine's memory with it: cap each measured command's address space.
mem_kb=$(awk '/MemTotal/{print $2}' /proc/meminfo)
MEMLIMIT_MB="${MEMLIMIT_MB:-$(( mem_kb * 3 / 4 / 1024 ))}"
guard=()
if command -v prlimit >/dev/null; then guard=(prlimit "--as=$(( MEMLIMIT_MB * 1048576 ))" --); fi

# --- one measurement -----------------------------------------------------------
# measure LABEL N OUTDIR CMD...: one /usr/bin/time -v run (peak RSS, CPU), then
# hyperfine (median wall). Appends a TSV row to $rows.
rows="$work/rows.tsv"
: >"$rows"
measure() {
  local label="$1" n="$2" out="$3"; shift 3
  local tv="$work/time-$label-$n.txt" js="$work/hf-$label-$n.json" log="$work/log-$label-$n.txt"
  local runs warmup
  if [ "$n" -ge 100000 ]; then runs="${RUNS:-2}"; warmup="${WARMUP:-0}"
  elif [ "$n" -ge 10000 ]; then runs="${RUNS:-3}"; warmup="${WARMUP:-1}"
  else runs="${RUNS:-5}"; warmup="${WARMUP:-1}"; fi
  note "N=$n $label: $*"
  [ -z "$out" ] || rm -rf "$out"
  local rc=0
  timeout "${TIMEOUT:-1800}" /usr/bin/time -v -o "$tv" "${guard[@]}" "$@" >"$log" 2>&1 || rc=$?
  if [ $rc -ne 0 ]; then
    local why="failed (exit $rc)"; [ $rc -ne 124 ] || why="timeout (> ${TIMEOUT:-1800} s)"
    note "N=$n $label $why; last lines of its output:"; tail -5 "$log" >&2 || true
    printf '%s\t%s\t%s\n' "$label" "$n" "$why" >>"$rows"
    return 0
  fi
  local files=0 bytes=0
  if [ -n "$out" ] && [ -d "$out" ]; then
    files=$(find "$out" -type f | wc -l)
    bytes=$(du -sb "$out" | cut -f1)
  fi
  local prepare="true"; [ -z "$out" ] || prepare="rm -rf '$out'"
  local cmd; cmd="$(printf '%q ' "${guard[@]}" "$@")"
  hyperfine --style none --warmup "$warmup" --runs "$runs" --prepare "$prepare" \
    --export-json "$js" "$cmd" >/dev/null 2>"$log.hf" || {
      note "N=$n $label: hyperfine failed:"; tail -5 "$log.hf" >&2
      printf '%s\t%s\t%s\n' "$label" "$n" "hyperfine failed" >>"$rows"; return 0; }
  python3 - "$tv" "$js" "$label" "$n" "$files" "$bytes" "$runs" >>"$rows" <<'PY'
import json, sys
tv, js, label, n, files, size, runs = sys.argv[1:]
t = {}
for line in open(tv, encoding="utf-8", errors="replace"):
    k, _, v = line.strip().rpartition(": ")
    t[k] = v
cpu = float(t["User time (seconds)"]) + float(t["System time (seconds)"])
rss = int(t["Maximum resident set size (kbytes)"]) / 1024
r = json.load(open(js))["results"][0]
print("\t".join([label, n, "ok", f"{r['median']:.3f}", f"{r['stddev'] or 0:.3f}",
                 f"{cpu:.2f}", f"{rss:.0f}", files, size, runs]))
PY
}

# --- the runs --------------------------------------------------------------------
for n in "${sizes[@]}"; do
  d="$work/n$n"
  note "generating N=$n"
  gen_start=$(date +%s)
  tiers=(--tiers); [ "${TIERS:-1}" != 0 ] || tiers=()
  python3 "$here/gen.py" --pages "$n" --seed "${SEED:-1}" --out "$d" --force ${tiers[@]+"${tiers[@]}"} >&2
  note "generated in $(( $(date +%s) - gen_start )) s"
  measure hearth "$n" "$d/out-hearth" "$HEARTH" build "$d/hearth" -o "$d/out-hearth"
  # What Hearth's output is made of: HTML, search data, the rest.
  if [ -d "$d/out-hearth" ]; then
    python3 - "$d/out-hearth" "$n" >>"$work/parts.md" <<'PY'
import os, sys
root, n = sys.argv[1], sys.argv[2]
parts = {"HTML": [0, 0], "search": [0, 0], "other": [0, 0]}
for d, _, fs in os.walk(root):
    for f in fs:
        rel = os.path.relpath(os.path.join(d, f), root)
        k = "search" if rel.startswith("search" + os.sep) else "HTML" if f.endswith(".html") else "other"
        parts[k][0] += 1
        parts[k][1] += os.path.getsize(os.path.join(d, f))
h = parts["HTML"][1] or 1
cells = "; ".join(f"{k} {v[0]:,} files, {v[1] / 1048576:.1f} MiB ({v[1] / h:.2f} of HTML)" for k, v in parts.items())
print(f"- hearth N={n}: {cells}")
PY
    # Byte-identical between runs, and no gated text below its tier.
    "$HEARTH" build "$d/hearth" -o "$d/out-hearth-2" >/dev/null 2>&1 || true
    if diff -rq "$d/out-hearth" "$d/out-hearth-2" >/dev/null 2>&1; then same="byte-identical"; else same="DIFFERENT"; fi
    rm -rf "$d/out-hearth-2"
    leaks="no tiers"
    [ ! -f "$d/out-hearth/_hearth/access.json" ] || leaks="$(python3 "$here/leaks.py" "$d/out-hearth" | tail -1)"
    echo "- hearth N=$n: two builds $same; $leaks" >>"$work/parts.md"
  fi
  measure "hearth check" "$n" "" "$HEARTH" check "$d/hearth"
  for h in ${hugos[@]+"${hugos[@]}"}; do
    measure "$(hugo_label "$h")" "$n" "$d/out-hugo" "$h" --quiet --source "$d/hugo" --destination "$d/out-hugo"
  done
  if [ $have_zola -eq 1 ]; then
    measure "$("$ZOLA" --version 2>/dev/null | head -1)" "$n" "$d/out-zola" "$ZOLA" --root "$d/zola" build --output-dir "$d/out-zola"
  fi
  # Sanity: every generator that built wrote a home page, an Atom feed and a sitemap.
  for g in hearth hugo zola; do
    o="$d/out-$g"; [ -d "$o" ] || continue
    for f in index.html atom.xml sitemap.xml; do
      [ -s "$o/$f" ] || die "N=$n $g: $f is missing in the output ($o)"
    done
  done
  if [ "${GROWTH:-0}" -gt 0 ]; then
    # Only Hearth's site is built again, in the growth rounds below.
    [ -n "${KEEP:-}" ] || rm -rf "$d/hugo" "$d/zola" "$d"/out-*
  else
    [ -n "${KEEP:-}" ] || rm -rf "$d"
  fi
done

# --- growth, measured in interleaved rounds ----------------------------------------
growth_rows="$work/growth.tsv"
: >"$growth_rows"
if [ "${GROWTH:-0}" -gt 0 ] && [ ${#sizes[@]} -ge 2 ]; then
  largest=0
  for n in "${sizes[@]}"; do [ "$n" -le "$largest" ] || largest=$n; done
  for round in $(seq "$GROWTH"); do
    note "growth round $round of $GROWTH"
    for n in "${sizes[@]}"; do
      d="$work/n$n"; out="$d/out-growth"
      tries=3; [ "$n" -ne "$largest" ] || tries=1
      for _ in $(seq $tries); do
        rm -rf "$out"
        if /usr/bin/time -f "%e %U %S" -o "$work/growth.t" "${guard[@]}" \
            "$HEARTH" build "$d/hearth" -o "$out" >/dev/null 2>&1; then
          printf '%s\t%s\t%s\n' "$round" "$n" "$(tr ' ' '\t' <"$work/growth.t")" >>"$growth_rows"
          note "growth round $round: N=$n wall, user, sys (s): $(cat "$work/growth.t")"
        fi
      done
      rm -rf "$out"
    done
  done
  [ -n "${KEEP:-}" ] || for n in "${sizes[@]}"; do rm -rf "$work/n$n"; done
fi

# --- the table -----------------------------------------------------------------------
table="$(python3 - "$rows" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
ref = {r[1]: r for r in rows if r[0] == "hearth" and r[2] == "ok"}
print("| generator | N | median wall (s) | ± sd | user+sys CPU (s) | peak RSS (MiB) | output files | output MiB | wall ×Hearth | CPU ×Hearth | RSS ×Hearth |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    label, n, status = r[:3]
    if status != "ok":
        print(f"| {label} | {n} | {status} | | | | | | | | |")
        continue
    wall, sd, cpu, rss, files, size, runs = r[3:]
    h = ref.get(n)
    def ratio(i):
        if not h or label == "hearth":
            return "1.00" if label == "hearth" else "–"
        base = float(h[i])
        return f"{float(r[i]) / base:.2f}" if base else "–"
    files_s = files if files != "0" else "–"
    size_s = f"{int(size) / 1048576:.1f}" if size != "0" else "–"
    print(f"| {label} | {n} | {float(wall):.3f} | {float(sd):.3f} | {float(cpu):.2f} | {float(rss):.0f} | {files_s} | {size_s} | {ratio(3)} | {ratio(5)} | {ratio(6)} |")
print()
print("×Hearth = that generator's number divided by Hearth's at the same N: above 1 means Hearth is faster or smaller.")
print("Median wall over hyperfine's runs; CPU and peak RSS from one `/usr/bin/time -v` run.")
# How each generator's time grows with the site (issue #19: 100k within 10x of 10k).
growth = []
for label in dict.fromkeys(r[0] for r in rows):
    ok = sorted((int(r[1]), float(r[3]), float(r[5])) for r in rows if r[0] == label and r[2] == "ok")
    for (n1, w1, c1), (n2, w2, c2) in zip(ok, ok[1:]):
        if w1 > 0 and c1 > 0:
            growth.append(f"- {label}: N={n1} -> {n2} ({n2 / n1:g}x the pages): wall x{w2 / w1:.2f}, CPU x{c2 / c1:.2f}")
if growth:
    print()
    print("\n".join(growth))
PY
)"
growth_lines="$(python3 - "$growth_rows" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
best = {}
for rnd, n, wall, user, sys_ in rows:
    key = (int(rnd), int(n))
    t = (float(wall), float(user) + float(sys_))
    best[key] = min(best.get(key, t), t)
sizes = sorted({n for _, n in best})
for n1, n2 in zip(sizes, sizes[1:]):
    pairs = [(best[(r, n2)][0] / best[(r, n1)][0], best[(r, n2)][1] / best[(r, n1)][1])
             for r in sorted({r for r, _ in best}) if (r, n1) in best and (r, n2) in best]
    if not pairs:
        continue
    walls = sorted(p[0] for p in pairs)
    cpus = sorted(p[1] for p in pairs)
    print(f"- hearth: N={n1} -> {n2} ({n2 / n1:g}x the pages), median of {len(pairs)} interleaved rounds: wall x{statistics.median(walls):.2f} (x{walls[0]:.2f}-{walls[-1]:.2f}), "
          f"CPU x{statistics.median(cpus):.2f} (x{cpus[0]:.2f}-{cpus[-1]:.2f})")
PY
)"
{
  echo
  echo "$table"
  [ -z "$growth_lines" ] || { echo; echo "$growth_lines"; }
  echo
  [ ! -s "$work/parts.md" ] || { cat "$work/parts.md"; echo; }
  versions
  for m in ${notes[@]+"${notes[@]}"}; do echo "- note: $m"; done
} | tee -a "${RESULTS:-/dev/null}"
