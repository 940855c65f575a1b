#!/usr/bin/env python3
"""Edit-to-served latency of `hearth serve` on a generated hub.

    python3 bench/serve_latency.py --hearth target/release/hearth --site DIR [--runs 15]

DIR is a Hearth site from `bench/gen.py --only hearth` (its `hearth/` folder).
For each run it saves a file the way editors do (write a temporary file,
rename it over the page) and polls the page over HTTP until the new text is
served; the time is from just before the save to the first response that
has it (watcher debounce, patch, render and HTTP included). Three cases:

- body: a sentence added to a news page body; the page itself is polled;
- listing: the title of the newest news page changed; the first page of
  the news listing (the section holds ~44% of the site) is polled;
- touch: the file is saved unchanged (a no-op rebuild); the time is the one
  the server reports in its log ("patched in N ms").

Prints the median (p50), 95th percentile, min and max of each, in
milliseconds (p95 by the nearest-rank method: with 20 runs, the 19th).
"""
import argparse
import math
import os
import re
import statistics
import subprocess
import threading
import time
import urllib.request


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8", "replace")


def save(path, text):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def wait_for(url, needle, limit=30.0):
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if needle in get(url):
            return
        time.sleep(0.002)
    raise SystemExit(f"timed out waiting for {needle!r} at {url}")


def p95(xs):
    """The nearest-rank 95th percentile: a value that was measured."""
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hearth", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--runs", type=int, default=15)
    a = ap.parse_args()

    proc = subprocess.Popen(
        [a.hearth, "serve", a.site, "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    log = []
    threading.Thread(target=lambda: [log.append(l) for l in proc.stderr], daemon=True).start()
    url = None
    for line in proc.stdout:
        m = re.search(r"(http://\S+?)/? ", line)
        if m:
            url = m.group(1).rstrip("/")
            break
    try:
        start = time.perf_counter()
        while '"ok":true' not in get(url + "/__hearth/status"):
            time.sleep(0.05)
        first = time.perf_counter() - start
        news = os.path.join(a.site, "content", "news")
        files = sorted(f for f in os.listdir(news) if f.endswith(".md") and f != "_index.md")
        body_page = os.path.join(news, files[len(files) // 2])
        # The newest news page: first on the listing (news sorts by date).
        newest = max(files, key=lambda f: re.search(r"^date = (\S+)", open(os.path.join(news, f), encoding="utf-8").read(), re.M).group(1))
        newest_page = os.path.join(news, newest)
        slug = lambda f: re.sub(r"^\d{4}-\d\d-\d\d-", "", f[:-3])
        get(f"{url}/news/{slug(os.path.basename(body_page))}/")
        get(f"{url}/news/")

        body, listing, touch = [], [], []
        for i in range(a.runs):
            text = open(body_page, encoding="utf-8").read()
            marker = f"EDIT-{i}-{time.time_ns()}"
            t0 = time.perf_counter()
            save(body_page, text + f"\n{marker}\n")
            wait_for(f"{url}/news/{slug(os.path.basename(body_page))}/", marker)
            body.append((time.perf_counter() - t0) * 1e3)

            text = open(newest_page, encoding="utf-8").read()
            title = re.search(r'^title = "(.*)"', text, re.M).group(1)
            marker = f"T{i}x{time.time_ns()}"
            t0 = time.perf_counter()
            save(newest_page, text.replace(f'title = "{title}"', f'title = "{marker}"', 1))
            wait_for(f"{url}/news/", marker)
            listing.append((time.perf_counter() - t0) * 1e3)

            n = sum("patched in" in l for l in log)
            text = open(newest_page, encoding="utf-8").read()
            save(newest_page, text)
            deadline = time.perf_counter() + 10
            while sum("patched in" in l for l in log) == n and time.perf_counter() < deadline:
                time.sleep(0.005)
            last = [l for l in log if "patched in" in l][-1]
            touch.append(float(re.search(r"patched in (\d+) ms", last).group(1)))
            time.sleep(0.05)

        rebuilt = sum("rebuilt in" in l for l in log)
        print(f"first load (built, ready to serve): {first * 1e3:.0f} ms")
        for name, xs in [("body edit -> page served", body),
                         ("title edit -> listing served", listing),
                         ("no-op save -> patched (server log)", touch)]:
            print(f"{name:38s} p50 {statistics.median(xs):7.1f} ms  p95 {p95(xs):7.1f}  min {min(xs):7.1f}  max {max(xs):7.1f}  (n={len(xs)})")
        print(f"full reloads during the runs: {rebuilt}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
