#!/usr/bin/env python3
"""Cross-check an iCalendar file written by Hearth against an independent
implementation (the `icalendar` and `recurring-ical-events` packages).

Usage:
    python3 check_ics.py CALENDAR.ics EXPECTED.json [--from ISO] [--until ISO]

EXPECTED.json maps each event UID to the list of its occurrence starts in
the window, as ISO 8601 strings: `2026-03-07T20:00:00+01:00` for timed
occurrences (compared as instants) and `2026-12-12` for all-day ones. It may
be that map itself, or an object {"from": ..., "until": ..., "occurrences":
{...}} which also fixes the window; --from/--until override it. The window
selects occurrences that overlap [from, until), as Hearth's
`EventTime::occurrences` does.

Besides the occurrences, the file's framing is checked octet by octet:
every line ends in CRLF, no physical line exceeds 75 octets, every physical
line is valid UTF-8 on its own and continuation lines start with one space.

Exits 0 when everything matches, 1 on any mismatch, 2 on bad input.

Requires: pip install icalendar recurring-ical-events
"""

import argparse
import datetime as dt
import json
import sys

try:
    import icalendar
    import recurring_ical_events
except ImportError:  # pragma: no cover - depends on the environment
    print("check_ics.py needs: pip install icalendar recurring-ical-events", file=sys.stderr)
    sys.exit(2)


def check_framing(raw: bytes) -> list[str]:
    """Problems with line ends, folding and UTF-8, one message each."""
    problems = []
    if not raw.endswith(b"\r\n"):
        problems.append("the file does not end with CRLF")
    body = raw[:-2] if raw.endswith(b"\r\n") else raw
    for number, line in enumerate(body.split(b"\r\n"), start=1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"physical line {number}: bare CR or LF")
        if len(line) > 75:
            problems.append(f"physical line {number}: {len(line)} octets (limit 75)")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"physical line {number}: not valid UTF-8 on its own (split character?)")
        if line.startswith(b"  "):
            problems.append(f"physical line {number}: continuation starts with more than one space")
        if not line:
            problems.append(f"physical line {number}: empty line")
    return problems


def rename_tzids(text: str) -> str:
    """Gives every zone an unknown name so only the VTIMEZONE can define it."""
    unfolded = text.replace("\r\n ", "")
    names = {line[5:] for line in unfolded.split("\r\n") if line.startswith("TZID:")}
    for name in sorted(names, key=len, reverse=True):
        text_unfolded = unfolded.replace(f"TZID:{name}", f"TZID:X-CHECK-{name}")
        text_unfolded = text_unfolded.replace(f"TZID={name}:", f"TZID=X-CHECK-{name}:")
        unfolded = text_unfolded
    return unfolded


def parse_instant(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return value


def normalise(value) -> str:
    """One comparable string per occurrence start: a date, or a UTC instant."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return "floating " + value.isoformat()
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def normalise_expected(text: str) -> str:
    if len(text) == 10:
        return dt.date.fromisoformat(text).isoformat()
    return normalise(parse_instant(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ics")
    parser.add_argument("expected")
    parser.add_argument("--from", dest="start")
    parser.add_argument("--until", dest="end")
    parser.add_argument(
        "--use-vtimezone",
        action="store_true",
        help="rename every TZID so the checker must use the file's VTIMEZONE definitions instead of "
        "its own tz database (note: icalendar resolves times inside a spring-forward gap backward, "
        "not forward as RFC 5545 says, so such occurrences are expected to differ)",
    )
    args = parser.parse_args()

    try:
        raw = open(args.ics, "rb").read()
        expected_doc = json.load(open(args.expected, encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"cannot read input: {error}", file=sys.stderr)
        return 2

    if isinstance(expected_doc, dict) and "occurrences" in expected_doc:
        expected = expected_doc["occurrences"]
        start_text = args.start or expected_doc.get("from")
        end_text = args.end or expected_doc.get("until")
    else:
        expected = expected_doc
        start_text, end_text = args.start, args.end
    if not start_text or not end_text:
        print("the window is unknown: pass --from and --until", file=sys.stderr)
        return 2
    try:
        start, end = parse_instant(start_text), parse_instant(end_text)
    except ValueError as error:
        print(f"bad window: {error}", file=sys.stderr)
        return 2

    failures = check_framing(raw)

    text = raw.decode("utf-8", errors="replace")
    if args.use_vtimezone:
        text = rename_tzids(text)
    calendar = icalendar.Calendar.from_ical(text)
    actual: dict[str, list[str]] = {}
    for uid in expected:
        actual[uid] = []
    for component in recurring_ical_events.of(calendar).between(start, end):
        uid = str(component.get("UID"))
        actual.setdefault(uid, []).append(normalise(component.decoded("DTSTART")))

    for uid in sorted(set(expected) | set(actual)):
        want = sorted(normalise_expected(s) for s in expected.get(uid, []))
        got = sorted(actual.get(uid, []))
        if uid not in expected:
            failures.append(f"{uid}: in the calendar but not in the expected occurrences")
            continue
        if want != got:
            missing = [s for s in want if s not in got]
            extra = [s for s in got if s not in want]
            failures.append(f"{uid}: occurrences differ; missing {missing}, unexpected {extra}")

    total = sum(len(v) for v in expected.values())
    if failures:
        for failure in failures:
            print(f"MISMATCH {failure}")
        print(f"{len(failures)} problem(s) in {args.ics}")
        return 1
    print(f"ok: {len(expected)} events, {total} occurrences match; framing valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
