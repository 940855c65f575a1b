// Check every calendar file of a built Hearth site with ical.js (Mozilla's
// iCalendar library, the one Thunderbird's calendar is built on): a second
// parser beside check_calendars.py's Python `icalendar`, and one that takes
// time zones from the file's own VTIMEZONE blocks, as calendar apps do,
// rather than from a tz database.
//
// usage: node tools/check-ical-js.mjs SITE_DIR [--feeds-only]
//
// For every *.ics file: it parses; it is a VCALENDAR; every VEVENT has a UID
// and a DTSTART; every TZID it uses has a VTIMEZONE in the same file.
// For every event page that lists its occurrences (<ol class="occurrences"
// data-uid data-from> with <time datetime> items), the event's own event.ics
// is expanded with ical.js from data-from on; its first occurrences must be
// the page's, as UTC instants (dates for all-day events). --feeds-only
// skips that (bench/gen.py's event pages list no occurrences).
// Exits 1 on any problem.

import fs from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Parses one file, its zones registered (and only its zones). */
function load(file) {
  const comp = new ICAL.Component(ICAL.parse(fs.readFileSync(file, 'utf8')));
  ICAL.TimezoneService.reset();
  for (const vtz of comp.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
  }
  return comp;
}

function checkFile(file) {
  const problems = [];
  let comp;
  try {
    comp = load(file);
  } catch (e) {
    return [`${file}: does not parse: ${e.message}`];
  }
  if (comp.name !== 'vcalendar') problems.push(`${file}: top component is ${comp.name}`);
  for (const prop of ['version', 'prodid']) {
    if (!comp.hasProperty(prop)) problems.push(`${file}: no ${prop.toUpperCase()}`);
  }
  for (const vevent of comp.getAllSubcomponents('vevent')) {
    const uid = vevent.getFirstPropertyValue('uid');
    if (!uid) problems.push(`${file}: an event has no UID`);
    if (!vevent.hasProperty('dtstart')) problems.push(`${file}: ${uid}: no DTSTART`);
    for (const name of ['dtstart', 'dtend', 'exdate']) {
      for (const prop of vevent.getAllProperties(name)) {
        const tzid = prop.getParameter('tzid');
        if (tzid && !ICAL.TimezoneService.has(tzid)) {
          problems.push(`${file}: ${uid}: ${name.toUpperCase()} uses TZID ${tzid} with no VTIMEZONE`);
        }
      }
    }
  }
  return problems;
}

/** One comparable string per occurrence start: a date, or a UTC instant. */
function normalise(time) {
  if (time.isDate) return time.toString();
  return time.toJSDate().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function normaliseExpected(text) {
  if (text.length === 10) return text;
  return new Date(text).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function checkPage(page) {
  const html = fs.readFileSync(page, 'utf8');
  const problems = [];
  let compared = 0;
  for (const m of html.matchAll(/<ol class="occurrences"([^>]*)>([\s\S]*?)<\/ol>/g)) {
    const uid = /data-uid="([^"]*)"/.exec(m[1])?.[1];
    const from = /data-from="([^"]*)"/.exec(m[1])?.[1];
    const want = [...m[2].matchAll(/<time[^>]*datetime="([^"]*)"/g)].map((t) => normaliseExpected(t[1]));
    if (!want.length || !uid || !from) continue;
    const ics = path.join(path.dirname(page), 'event.ics');
    if (!fs.existsSync(ics)) {
      problems.push(`${page}: lists occurrences but ${ics} does not exist`);
      continue;
    }
    const comp = load(ics);
    const vevent = comp.getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('uid') === uid);
    if (!vevent) {
      problems.push(`${page}: ${ics} has no event ${uid}`);
      continue;
    }
    const event = new ICAL.Event(vevent);
    const start = new Date(from).getTime();
    const until = start + 800 * 86400e3;
    const got = [];
    const it = event.iterator();
    for (let n = 0, t; got.length < want.length && n < 100000 && (t = it.next()); n++) {
      const d = event.getOccurrenceDetails(t);
      const s = d.startDate.toJSDate().getTime();
      if (s >= until) break;
      // Overlap with [from, ...), as the page counts an event under way.
      if (d.endDate.toJSDate().getTime() > start || s >= start) got.push(normalise(d.startDate));
    }
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      problems.push(`${page}: page shows ${JSON.stringify(want)}, ical.js expands the feed to ${JSON.stringify(got)}`);
    }
    compared += want.length;
  }
  return [problems, compared];
}

const feedsOnly = process.argv.includes('--feeds-only');
const site = process.argv.slice(2).find((a) => a !== '--feeds-only');
if (!site) {
  console.error('usage: node tools/check-ical-js.mjs SITE_DIR [--feeds-only]');
  process.exit(2);
}
const files = walk(site);
const feeds = files.filter((f) => f.endsWith('.ics')).sort();
if (!feeds.length) {
  console.error(`no .ics files under ${site}`);
  process.exit(1);
}
const problems = [];
let events = 0;
for (const f of feeds) {
  problems.push(...checkFile(f));
  try {
    events += load(f).getAllSubcomponents('vevent').length;
  } catch {
    // reported above
  }
}
let compared = 0;
for (const page of feedsOnly ? [] : files.filter((f) => path.basename(f) === 'index.html').sort()) {
  const [p, n] = checkPage(page);
  problems.push(...p);
  compared += n;
}
if (compared === 0 && !feedsOnly) problems.push('no event page lists its occurrences: nothing compared with the HTML');
for (const p of problems) console.log(`PROBLEM ${p}`);
if (problems.length) {
  console.log(`check-ical-js: ${problems.length} problem(s)`);
  process.exit(1);
}
const pages = feedsOnly ? 'event pages not compared (--feeds-only)' : `${compared} occurrences on event pages match`;
console.log(`check-ical-js: ${feeds.length} files, ${events} events parsed by ical.js; ${pages}`);
