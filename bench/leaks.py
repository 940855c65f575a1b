#!/usr/bin/env python3
"""No gated text in a file served below its tier, on a built tiered hub.

    python3 bench/leaks.py OUT_DIR

`gen.py --tiers` plants a word in every gated page's body,
`CANARY-MEMBER-<slug>` or `CANARY-CORE-<slug>`. Every file of the build is
read (search shards and packs unpacked from gzip), the tier it is served at
is worked out from `_hearth/access.json` (the strictest rule covering it),
and a canary of a higher tier in it is a leak. The same check as
tests/tiers.rs, for the benchmark hub at any size. Exits 1 on a leak.
"""

import gzip
import json
import os
import re
import sys

LADDER = ["public", "member", "core"]
WORD = re.compile(rb"canary-(member|core)-", re.I)


def main() -> int:
    out = sys.argv[1]
    access = json.load(open(os.path.join(out, "_hearth", "access.json"), encoding="utf-8"))
    rules = [(g["path"], g["match"] == "folder", LADDER.index(g["tier"])) for g in access["gated"]]

    def served(url: str) -> int:
        need = 0
        for path, folder, tier in rules:
            if folder:
                hit = url.startswith(path)
            elif path.endswith("/index.html"):
                hit = url == path
            else:
                hit = url == path
            if hit:
                need = max(need, tier)
        return need

    files = leaks = canaries = 0
    for d, _, names in os.walk(out):
        for name in names:
            full = os.path.join(d, name)
            rel = "/" + os.path.relpath(full, out).replace(os.sep, "/")
            if rel.startswith("/_hearth/") or rel in ("/_redirects", "/_headers", "/_worker.js"):
                continue
            data = open(full, "rb").read()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            files += 1
            reader = served(rel)
            for m in WORD.finditer(data):
                canaries += 1
                tier = LADDER.index(m.group(1).decode().lower())
                if tier > reader:
                    leaks += 1
                    if leaks <= 10:
                        print(f"LEAK {m.group(0).decode()}… (tier {LADDER[tier]}) in {rel}, served to {LADDER[reader]}")
    print(f"leaks: {files} files, {canaries} canaries at or below their tier, {leaks} leak(s)")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
