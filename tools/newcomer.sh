#!/usr/bin/env bash
# The first hour of a newcomer, as commands: a fresh hub in Chinese and in
# English, one of each thing `hearth new` makes, `hearth check
# --deny-warnings`, `hearth build`. Fails on the first error or warning.
#
#   bash tools/newcomer.sh [HEARTH_BINARY]
#
# HEARTH_BINARY defaults to $HEARTH, else target/release/hearth, else
# target/debug/hearth, else `hearth` on PATH. The hubs are made in
# $NEWCOMER_DIR (default: a new temporary folder, kept); the last lines
# printed are the built sites, one per language ("built LANG DIR"), for
# whatever looks at them next (screenshots, visual checks).
#
# Set NEWCOMER_NOW (RFC 3339) to fix "today" for init and new; by default
# they use the clock, as a newcomer's would.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hearth="${1:-${HEARTH:-}}"
if [[ -z "$hearth" ]]; then
  for candidate in "$root/target/release/hearth" "$root/target/debug/hearth"; do
    if [[ -x "$candidate" ]]; then
      hearth="$candidate"
      break
    fi
  done
fi
hearth="${hearth:-hearth}"
if ! command -v "$hearth" >/dev/null 2>&1; then
  echo "newcomer: no hearth binary (build one with cargo build, or pass its path)" >&2
  exit 2
fi

work="${NEWCOMER_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/hearth-newcomer.XXXXXX")}"
mkdir -p "$work"
now_args=()
if [[ -n "${NEWCOMER_NOW:-}" ]]; then
  now_args=(--now "$NEWCOMER_NOW")
  # `hearth new` takes "today" from SOURCE_DATE_EPOCH, as build does.
  SOURCE_DATE_EPOCH="$(date -u -d "$NEWCOMER_NOW" +%s)"
  export SOURCE_DATE_EPOCH
fi

# Every command's own output goes to stderr: stdout is the built sites only.
run() {
  echo "+ $*" >&2
  "$@" >&2
}

built=()
for lang in zh-CN en; do
  hub="$work/hub-$lang"
  out="$work/public-$lang"
  if [[ -e "$hub" ]]; then
    echo "newcomer: $hub already exists; use an empty NEWCOMER_DIR" >&2
    exit 2
  fi
  run "$hearth" init "$hub" --language "$lang" "${now_args[@]}"
  if [[ "$lang" == zh-CN ]]; then
    run "$hearth" new event "周六读书夜" --site "$hub"
    run "$hearth" new activity "第一次读书会回顾" --site "$hub"
    run "$hearth" new member "林晓" --site "$hub"
    run "$hearth" new page "关于我们" --site "$hub"
  else
    run "$hearth" new event "Saturday reading night" --site "$hub"
    run "$hearth" new activity "Our first meetup" --site "$hub"
    run "$hearth" new member "Lin Xiao" --site "$hub"
    run "$hearth" new page "About us" --site "$hub"
  fi
  run "$hearth" check "$hub" --deny-warnings
  run "$hearth" build "$hub" -o "$out" "${now_args[@]}"
  built+=("built $lang $out")
done

printf '%s\n' "${built[@]}"
