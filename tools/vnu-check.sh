#!/usr/bin/env bash
# Validate every *.html file under DIR with the Nu HTML Checker (vnu.jar).
#
# usage: tools/vnu-check.sh DIR
#
# Errors only (warnings and info messages are not reported). Exits 1 and
# prints every error if any file is invalid, or if DIR holds no .html file.
# Needs Java 17+ and `npm ci --prefix tools` (for tools/node_modules/vnu-jar).
# Env: VNU_JAR (path to vnu.jar), VNU_JAVA_OPTS (extra JVM options).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="${VNU_JAR:-$here/node_modules/vnu-jar/build/dist/vnu.jar}"

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir="$1"
if [[ ! -d "$dir" ]]; then
  echo "vnu-check: not a directory: $dir" >&2
  exit 2
fi
if [[ ! -f "$jar" ]]; then
  echo "vnu-check: $jar not found; run: npm ci --prefix tools" >&2
  exit 2
fi
command -v java >/dev/null || { echo "vnu-check: java not found (need Java 17+)" >&2; exit 2; }

count="$(find "$dir" -type f -name '*.html' | wc -l)"
if [[ "$count" -eq 0 ]]; then
  echo "vnu-check: no .html files under $dir" >&2
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# Pass the exact list of *.html files (NUL-separated, batched by xargs so a
# huge site cannot overflow the argument list). vnu exits non-zero on errors;
# xargs then exits 123.
status=0
# shellcheck disable=SC2086 # VNU_JAVA_OPTS is meant to word-split
find "$dir" -type f -name '*.html' -print0 | sort -z |
  xargs -0 java -Xss4m ${VNU_JAVA_OPTS:-} -jar "$jar" --errors-only --skip-non-html --asciiquotes \
  >"$log" 2>&1 || status=$?

nerr="$(grep -c -E ': (error|fatal)' "$log" || true)"
if [[ $status -ne 0 || $nerr -ne 0 ]]; then
  cat "$log"
  nfiles="$(grep -o '^"file:[^"]*"' "$log" | sort -u | wc -l || true)"
  echo "vnu-check: FAILED: $nerr error(s) in $nfiles of $count HTML file(s) checked under $dir (vnu exit $status)" >&2
  exit 1
fi
# Anything else vnu or the JVM printed (not errors) is shown, not failed on.
[[ -s "$log" ]] && cat "$log"
echo "vnu-check: OK: $count HTML file(s) checked under $dir, no errors"
