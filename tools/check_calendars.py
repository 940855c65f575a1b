#!/usr/bin/env python3
"""Check every calendar feed of a built Hearth site with an independent
iCalendar implementation, and compare its occurrences with the HTML.

Usage: python3 tools/check_calendars.py SITE_DIR [--feeds-only]

For every *.ics file:
  - framing octet by octet (CRLF, lines <= 75 octets, no UTF-8 character
    split across a fold, one-space continuations), via check_ics.py;
  - it parses with the `icalendar` package; it is a VCALENDAR with VERSION
    and PRODID, and a feed (every file but an event's own event.ics, which
    is imported once rather than subscribed to) also has X-WR-CALNAME and
    REFRESH-INTERVAL; every TZID used has a VTIMEZONE; every VEVENT has UID,
    DTSTAMP (UTC) and DTSTART; an event.ics holds exactly one event.

For every event page that lists its occurrences
(`<ol class="occurrences" data-uid=… data-from=…>` with `<time datetime>`
items), the event's own event.ics is expanded with `recurring-ical-events`
from data-from onwards; its first occurrences must equal the page's, as
instants (or dates for all-day events).

--feeds-only skips the comparison with the HTML (for a hub whose event
pages list no occurrences, such as bench/gen.py's).

Exits 1 on any problem.
"""

import datetime as dt
import html.parser
import pathlib
import sys

import icalendar
import recurring_ical_events

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from check_ics import check_framing, normalise, normalise_expected, parse_instant  # noqa: E402


class OccurrenceLists(html.parser.HTMLParser):
    """Collects `<ol class="occurrences">` lists: uid, from, datetimes."""

    def __init__(self):
        super().__init__()
        self.lists = []
        self.current = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "ol" and "occurrences" in (a.get("class") or "").split():
            self.current = {"uid": a.get("data-uid"), "from": a.get("data-from"), "starts": []}
            self.lists.append(self.current)
        elif tag == "time" and self.current is not None and a.get("datetime"):
            self.current["starts"].append(a["datetime"])

    def handle_endtag(self, tag):
        if tag == "ol":
            self.current = None


def check_feed(path: pathlib.Path) -> list[str]:
    raw = path.read_bytes()
    problems = [f"{path}: {p}" for p in check_framing(raw)]
    try:
        cal = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    except Exception as error:  # any parser complaint is a failure
        return problems + [f"{path}: does not parse: {error}"]
    single = path.name == "event.ics"
    required = ("VERSION", "PRODID") if single else ("VERSION", "PRODID", "X-WR-CALNAME", "REFRESH-INTERVAL")
    for prop in required:
        if prop not in cal:
            problems.append(f"{path}: no {prop}")
    if single and len(cal.walk("VEVENT")) != 1:
        problems.append(f"{path}: {len(cal.walk('VEVENT'))} events in an event's own file")
    zones = {str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")}
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("UID"))
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            if prop not in ev:
                problems.append(f"{path}: {uid}: no {prop}")
        stamp = ev.decoded("DTSTAMP") if "DTSTAMP" in ev else None
        if isinstance(stamp, dt.datetime) and stamp.utcoffset() != dt.timedelta(0):
            problems.append(f"{path}: {uid}: DTSTAMP is not UTC")
        for prop in ("DTSTART", "DTEND", "EXDATE"):
            values = ev.get(prop)
            for value in values if isinstance(values, list) else [values]:
                if value is None:
                    continue
                tzid = value.params.get("TZID")
                if tzid and tzid not in zones:
                    problems.append(f"{path}: {uid}: {prop} uses TZID {tzid} with no VTIMEZONE")
    return problems


def check_page(page: pathlib.Path, site: pathlib.Path) -> tuple[list[str], int]:
    parser = OccurrenceLists()
    parser.feed(page.read_text(encoding="utf-8"))
    problems, compared = [], 0
    for occ in parser.lists:
        if not occ["starts"]:
            continue
        ics = page.parent / "event.ics"
        if not ics.exists():
            problems.append(f"{page}: lists occurrences but {ics} does not exist")
            continue
        cal = icalendar.Calendar.from_ical(ics.read_text(encoding="utf-8"))
        start = parse_instant(occ["from"])
        want = [normalise_expected(s) for s in occ["starts"]]
        # Expand far enough to cover the page's list, then take as many.
        end = start + dt.timedelta(days=800)
        got = []
        for ev in recurring_ical_events.of(cal).between(start, end):
            if str(ev.get("UID")) == occ["uid"]:
                got.append(normalise(ev.decoded("DTSTART")))
        got = sorted(got)[: len(want)]
        if got != want:
            problems.append(f"{page}: page shows {want}, the feed expands to {got}")
        compared += len(want)
    return problems, compared


def main() -> int:
    args = sys.argv[1:]
    feeds_only = "--feeds-only" in args
    args = [a for a in args if a != "--feeds-only"]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    site = pathlib.Path(args[0])
    feeds = sorted(site.rglob("*.ics"))
    if not feeds:
        print(f"no .ics files under {site}", file=sys.stderr)
        return 1
    problems = []
    for feed in feeds:
        problems += check_feed(feed)
    compared = 0
    for page in [] if feeds_only else sorted(site.rglob("index.html")):
        p, n = check_page(page, site)
        problems += p
        compared += n
    if compared == 0 and not feeds_only:
        problems.append("no event page lists its occurrences: nothing compared with the HTML")
    for p in problems:
        print(f"PROBLEM {p}")
    if problems:
        print(f"check_calendars: {len(problems)} problem(s)")
        return 1
    pages = "event pages not compared (--feeds-only)" if feeds_only else f"{compared} occurrences on event pages match the feeds"
    print(f"check_calendars: {len(feeds)} feeds valid; {pages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
