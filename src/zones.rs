//! Time-zone names as people write them: the one rule for `timezone` in
//! `hearth.toml`, in an event's and in a chapter's front matter.
//!
//! A zone is an IANA name from the time-zone database (`Asia/Shanghai`,
//! `Europe/Berlin`): only a named zone knows a place's daylight-saving
//! changes, and calendars need the name (`TZID`). People write other
//! things: the city they meet in (`Beijing`, `北京`), what their clock says
//! (`PST`, `CEST`, "Berlin time") or an offset (`UTC+8`, `+08:00`). Each of
//! those gets one answer here, so the config and every page suggest the
//! same fix for the same word (before this, `Asia/Beijing` got `Asia/Beirut`
//! in `hearth.toml` and `Asia/Shanghai` in front matter).
//!
//! For an offset the help names both fixes and says which is which: the
//! zone of a place on that offset, and the IANA name of the fixed offset
//! (`Etc/GMT-8` is UTC+8: those names invert the sign).

use jiff::tz::TimeZone;

use crate::text::edit_distance;

/// A `timezone` value that is not a zone, in words for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneError {
    /// What is wrong, quoting the value.
    pub message: String,
    /// What to write instead, and why.
    pub help: String,
}

/// The zone named `name` (case-insensitive), or what is wrong with the name
/// and what to write instead.
pub fn parse(name: &str) -> Result<TimeZone, ZoneError> {
    let text = name.trim();
    if text.is_empty() {
        return Err(ZoneError {
            message: "the time zone is empty".into(),
            help: format!(
                "write an IANA time zone name such as `Asia/Shanghai` or `Europe/Berlin`. {GENERAL}"
            ),
        });
    }
    if let Ok(tz) = TimeZone::get(text)
        && tz.iana_name().is_some()
    {
        return Ok(tz);
    }
    if let Some(offset) = parse_offset(text) {
        return Err(ZoneError {
            message: format!("`{text}` is a UTC offset, not a time zone"),
            help: offset_help(offset),
        });
    }
    let help = match suggest(text) {
        Suggestion::Zone { zone, note } => format!("did you mean `{zone}`? {note}"),
        Suggestion::Either(list) => {
            let list: Vec<String> = list
                .iter()
                .map(|(zone, what)| format!("`{zone}` ({what})"))
                .collect();
            format!("did you mean {}? {GENERAL}", list.join(" or "))
        }
        Suggestion::Near(names) => match names.as_slice() {
            [] => GENERAL.to_string(),
            [one] => format!("did you mean `{one}`? {GENERAL}"),
            many => {
                let list: Vec<String> = many.iter().map(|s| format!("`{s}`")).collect();
                format!("did you mean one of {}? {GENERAL}", list.join(", "))
            }
        },
    };
    Err(ZoneError {
        message: format!("unknown time zone `{text}`"),
        help,
    })
}

/// What every help ends with when it cannot be more precise.
const GENERAL: &str = "time zones are IANA names like `Asia/Shanghai`, `Europe/Berlin` or \
                       `America/New_York` (list: https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)";

/// What a name that is not a zone most likely meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// A name people use for this zone, with a note saying what it is.
    Zone {
        /// The IANA name.
        zone: &'static str,
        /// One sentence about it (its clock changes, or why it is named so).
        note: &'static str,
    },
    /// A name people use for more than one zone: each, with what it is.
    Either(&'static [(&'static str, &'static str)]),
    /// Real names close in spelling, best first (possibly none).
    Near(Vec<String>),
}

/// Names people write for a zone, normalised as [`normalise`] does; the
/// zone; and a note for the help.
const COMMON: &[(&[&str], &str, &str)] = &[
    (
        &[
            "beijing",
            "peking",
            "asia/beijing",
            "asia/peking",
            "china",
            "asia/china",
            "beijing time",
            "china time",
            "china standard time",
            "北京",
            "北京时间",
            "中国",
            "中国时间",
            "上海",
            "上海时间",
            "成都",
        ],
        "Asia/Shanghai",
        "China's time zone is named after Shanghai (UTC+8 all year, no daylight saving time).",
    ),
    (
        &[
            "pt",
            "pst",
            "pdt",
            "pacific",
            "pacific time",
            "pacific standard time",
            "pacific daylight time",
            "los angeles",
            "san francisco",
            "california",
            "洛杉矶",
            "旧金山",
            "美西",
        ],
        "America/Los_Angeles",
        "US Pacific time: UTC-8 in winter (PST), UTC-7 in summer (PDT); the zone knows when it changes.",
    ),
    (
        &[
            "et",
            "edt",
            "eastern",
            "eastern time",
            "eastern standard time",
            "eastern daylight time",
            "new york",
            "纽约",
            "美东",
        ],
        "America/New_York",
        "US Eastern time: UTC-5 in winter (EST), UTC-4 in summer (EDT); the zone knows when it changes.",
    ),
    (
        &[
            "ct",
            "cdt",
            "central",
            "central time",
            "central daylight time",
            "chicago",
        ],
        "America/Chicago",
        "US Central time: UTC-6 in winter, UTC-5 in summer; the zone knows when it changes.",
    ),
    (
        &[
            "mt",
            "mdt",
            "mountain",
            "mountain time",
            "mountain daylight time",
            "denver",
        ],
        "America/Denver",
        "US Mountain time: UTC-7 in winter, UTC-6 in summer (Arizona stays on UTC-7: `America/Phoenix`).",
    ),
    (
        &[
            "cest",
            "central european time",
            "central european summer time",
            "berlin time",
            "germany",
            "europe/germany",
            "german time",
            "柏林",
            "德国",
            "柏林时间",
        ],
        "Europe/Berlin",
        "Central European time: UTC+1 in winter (CET), UTC+2 in summer (CEST); the zone knows when it changes.",
    ),
    (
        &[
            "bst",
            "uk",
            "britain",
            "great britain",
            "england",
            "london time",
            "europe/uk",
            "british time",
            "伦敦",
            "英国",
        ],
        "Europe/London",
        "UK time: UTC+0 in winter (GMT), UTC+1 in summer (BST); the zone knows when it changes.",
    ),
    (
        &["jst", "japan time", "tokyo", "asia/japan", "东京", "日本"],
        "Asia/Tokyo",
        "Japan: UTC+9 all year.",
    ),
    (
        &["kst", "korea", "south korea", "seoul", "首尔", "韩国"],
        "Asia/Seoul",
        "Korea: UTC+9 all year.",
    ),
    (
        &["hkt", "hong kong", "asia/hongkong", "香港"],
        "Asia/Hong_Kong",
        "Hong Kong: UTC+8 all year.",
    ),
    (
        &[
            "taiwan",
            "asia/taiwan",
            "taipei time",
            "台北",
            "台湾",
            "臺北",
            "臺灣",
        ],
        "Asia/Taipei",
        "Taiwan: UTC+8 all year.",
    ),
    (
        &["sgt", "singapore time", "新加坡"],
        "Asia/Singapore",
        "Singapore: UTC+8 all year.",
    ),
    (
        &[
            "ist",
            "india",
            "asia/india",
            "india time",
            "indian standard time",
            "mumbai",
            "delhi",
            "new delhi",
        ],
        "Asia/Kolkata",
        "India: UTC+5:30 all year.",
    ),
    (
        &["aest", "aedt", "sydney time", "悉尼"],
        "Australia/Sydney",
        "Australian Eastern time: UTC+10, UTC+11 in the southern summer; the zone knows when it changes.",
    ),
];

/// Names that mean different zones to different people.
const AMBIGUOUS: &[(&str, &[(&str, &str)])] = &[(
    "cst",
    &[
        ("Asia/Shanghai", "China Standard Time, UTC+8"),
        (
            "America/Chicago",
            "US Central Standard Time, UTC-6, with summer time",
        ),
    ],
)];

/// Places on a whole or half-hour offset, for an offset's help: the zone a
/// person writing that offset most likely lives in.
const PLACE_OF_OFFSET: &[(i32, &str, &str)] = &[
    (8 * 60, "Asia/Shanghai", "China, UTC+8 all year"),
    (9 * 60, "Asia/Tokyo", "Japan, UTC+9 all year"),
    (
        7 * 60,
        "Asia/Bangkok",
        "Thailand and Vietnam, UTC+7 all year",
    ),
    (5 * 60 + 30, "Asia/Kolkata", "India, UTC+5:30 all year"),
    (3 * 60, "Europe/Moscow", "Moscow, UTC+3 all year"),
    (
        60,
        "Europe/Berlin",
        "Central Europe: UTC+1 in winter, UTC+2 in summer",
    ),
    (
        2 * 60,
        "Europe/Berlin",
        "Central Europe in summer: UTC+2, UTC+1 in winter",
    ),
    (
        0,
        "Europe/London",
        "the UK: UTC+0 in winter, UTC+1 in summer; `UTC` for no change at all",
    ),
    (
        -5 * 60,
        "America/New_York",
        "US Eastern: UTC-5 in winter, UTC-4 in summer",
    ),
    (
        -8 * 60,
        "America/Los_Angeles",
        "US Pacific: UTC-8 in winter, UTC-7 in summer",
    ),
    (10 * 60, "Australia/Brisbane", "Queensland, UTC+10 all year"),
];

/// Lowercase, `_` and `-` as spaces, one space between words, and the
/// words people add that name no zone ("time zone", a trailing "zone").
fn normalise(text: &str) -> String {
    let lower = text.trim().to_lowercase().replace(['_', '-'], " ");
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut joined = words.join(" ");
    for suffix in [" time zone", " timezone", " zone", "时区"] {
        if let Some(rest) = joined.strip_suffix(suffix) {
            joined = rest.trim_end().to_string();
            if suffix != "时区"
                && !joined.ends_with(" time")
                && !COMMON_BARE.contains(&joined.as_str())
            {
                joined.push_str(" time");
            }
        }
    }
    joined
}

/// Names in [`COMMON`] that stand alone without "time" (a suffix "zone"
/// after them is dropped, not turned into "time").
const COMMON_BARE: &[&str] = &[
    "pt", "pst", "pdt", "et", "edt", "ct", "cdt", "mt", "mdt", "cest", "bst", "jst", "kst", "hkt",
    "sgt", "ist", "aest", "aedt", "cst", "pacific", "eastern", "central", "mountain",
];

/// What `text` (not a zone) most likely meant: a common name for a zone,
/// a name that means several, or real names close in spelling.
pub fn suggest(text: &str) -> Suggestion {
    let wanted = normalise(text);
    if let Some((_, zones)) = AMBIGUOUS.iter().find(|(n, _)| *n == wanted) {
        return Suggestion::Either(zones);
    }
    if let Some((_, zone, note)) = COMMON
        .iter()
        .find(|(names, _, _)| names.contains(&wanted.as_str()))
    {
        return Suggestion::Zone { zone, note };
    }
    let near_names = near(&wanted.replace(' ', "_"));
    if !near_names.is_empty() {
        return Suggestion::Near(near_names);
    }
    // A misspelt common name (`Bejing`, `Asia/Pekin`): one typo in a word
    // of five letters or more, none in the short abbreviations.
    let typo = COMMON.iter().find(|(names, _, _)| {
        names
            .iter()
            .any(|n| n.chars().count() >= 5 && edit_distance(&wanted, n) == 1)
    });
    match typo {
        Some((_, zone, note)) => Suggestion::Zone { zone, note },
        None => Suggestion::Near(Vec::new()),
    }
}

/// Up to three real zone names close to `wanted` (lowercase, `_` for
/// spaces), best first, ties by name: a city under any region first, then
/// small edit distances of the whole name or its last part.
fn near(wanted: &str) -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .filter(|n| !n.starts_with("posix") && !n.starts_with("right/"))
        .collect();
    names.sort();
    names.dedup();

    // A bare city, or a city under the wrong region.
    let city = wanted.rsplit('/').next().unwrap_or(wanted);
    let by_city: Vec<String> = names
        .iter()
        .filter(|n| n.contains('/'))
        .filter(|n| {
            n.rsplit('/')
                .next()
                .is_some_and(|c| c.to_lowercase() == city)
        })
        .cloned()
        .collect();
    if !by_city.is_empty() {
        return by_city.into_iter().take(3).collect();
    }

    let limit = (wanted.chars().count() / 4).clamp(1, 4);
    let mut scored: Vec<(usize, &String)> = names
        .iter()
        .map(|n| {
            let lower = n.to_lowercase();
            let whole = edit_distance(wanted, &lower);
            let last = if wanted.contains('/') {
                usize::MAX
            } else {
                lower
                    .rsplit('/')
                    .next()
                    .map_or(usize::MAX, |c| edit_distance(wanted, c))
            };
            (whole.min(last), n)
        })
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    let Some(&(best, _)) = scored.first() else {
        return Vec::new();
    };
    scored
        .into_iter()
        .filter(|(d, _)| *d == best)
        .take(3)
        .map(|(_, n)| n.clone())
        .collect()
}

/// An offset in minutes east of UTC, from `UTC+8`, `GMT+8`, `UTC+08:00`,
/// `+08:00`, `+0800`, `UTC-5`, `GMT+5:30` (with or without spaces).
fn parse_offset(text: &str) -> Option<i32> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = t.to_ascii_lowercase();
    let rest = ["utc", "gmt", "ut"]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
        .unwrap_or(&lower);
    let (sign, digits) = match rest.chars().next()? {
        '+' => (1, &rest[1..]),
        '-' | '−' => (-1, &rest[rest.char_indices().nth(1)?.0..]),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    if h.is_empty() || h.len() > 2 || !h.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if m.is_empty() || m.len() > 2 || !m.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m >= 60 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// `+8`, `+5:30`, `-5`: an offset as people write it after `UTC`.
fn show_offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
    if m == 0 {
        format!("{sign}{h}")
    } else {
        format!("{sign}{h}:{m:02}")
    }
}

/// The help for an offset: the zone of a place on it, when one is known,
/// and the fixed-offset zone when the offset is whole hours (IANA has no
/// others); each said for what it is.
fn offset_help(minutes: i32) -> String {
    let shown = show_offset(minutes);
    let mut ways = Vec::new();
    if let Some((_, zone, what)) = PLACE_OF_OFFSET.iter().find(|(m, _, _)| *m == minutes) {
        ways.push(format!(
            "for the time of a place, write its zone, e.g. `{zone}` ({what}): a zone follows the place's daylight-saving changes"
        ));
    } else {
        ways.push("for the time of a place, write its zone, e.g. `Asia/Shanghai`: a zone follows the place's daylight-saving changes".to_string());
    }
    if minutes % 60 == 0 {
        let hours = minutes / 60;
        let fixed = if hours == 0 {
            "Etc/UTC".to_string()
        } else {
            // The POSIX-style names count west as positive.
            format!(
                "Etc/GMT{}{}",
                if hours > 0 { '-' } else { '+' },
                hours.abs()
            )
        };
        ways.push(format!(
            "for a fixed UTC{shown} all year, write `{fixed}` (the IANA name of that fixed offset; its sign is inverted)"
        ));
    } else {
        ways.push(format!("IANA has no fixed-offset name for UTC{shown}"));
    }
    ways.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(name: &str) -> String {
        parse(name).unwrap_err().help
    }

    #[test]
    fn real_names_are_zones_in_any_case() {
        for name in [
            "Asia/Shanghai",
            "europe/berlin",
            "UTC",
            "Etc/GMT-8",
            "CET",
            "EST",
        ] {
            assert!(parse(name).is_ok(), "{name}");
        }
        assert_eq!(
            parse(" Asia/Shanghai ").unwrap().iana_name(),
            Some("Asia/Shanghai")
        );
    }

    #[test]
    fn the_names_people_type_get_the_zone_they_mean() {
        for (typed, zone) in [
            ("Asia/Beijing", "Asia/Shanghai"),
            ("Beijing", "Asia/Shanghai"),
            ("北京时间", "Asia/Shanghai"),
            ("PST", "America/Los_Angeles"),
            ("PDT", "America/Los_Angeles"),
            ("PT", "America/Los_Angeles"),
            ("Pacific", "America/Los_Angeles"),
            ("Pacific Time", "America/Los_Angeles"),
            ("pacific time zone", "America/Los_Angeles"),
            ("ET", "America/New_York"),
            ("EDT", "America/New_York"),
            ("Eastern", "America/New_York"),
            ("CEST", "Europe/Berlin"),
            ("Berlin time", "Europe/Berlin"),
            ("Central European Time", "Europe/Berlin"),
            ("BST", "Europe/London"),
        ] {
            assert_eq!(
                suggest(typed),
                Suggestion::Zone {
                    zone,
                    note: COMMON.iter().find(|c| c.1 == zone).unwrap().2
                },
                "{typed}"
            );
            assert!(
                help(typed).starts_with(&format!("did you mean `{zone}`? ")),
                "{typed}: {}",
                help(typed)
            );
        }
        // Not Beirut, which is closer in letters.
        assert!(!help("Asia/Beijing").contains("Beirut"));
        // A misspelt common name.
        assert!(
            help("Bejing").starts_with("did you mean `Asia/Shanghai`?"),
            "{}",
            help("Bejing")
        );
        assert!(help("Asia/Pekin").starts_with("did you mean `Asia/Shanghai`?"));
        // A city under any region, or a near spelling.
        assert!(help("Berlin").contains("`Europe/Berlin`"));
        assert!(help("Europ/Berlin").contains("`Europe/Berlin`"));
        assert!(help("Asia/Shangai").contains("did you mean `Asia/Shanghai`"));
        assert!(!help("Qwxzv/Plmkj").contains("did you mean"));
    }

    #[test]
    fn an_ambiguous_name_gets_each_zone_with_what_it_is() {
        let h = help("CST");
        assert!(
            h.starts_with(
                "did you mean `Asia/Shanghai` (China Standard Time, UTC+8) or `America/Chicago`"
            ),
            "{h}"
        );
    }

    #[test]
    fn offsets_get_a_place_and_a_fixed_offset_each_said_for_what_it_is() {
        for typed in ["UTC+8", "GMT+8", "UTC+08:00", "+08:00", "+0800", "utc + 8"] {
            let e = parse(typed).unwrap_err();
            assert_eq!(
                e.message,
                format!("`{}` is a UTC offset, not a time zone", typed.trim())
            );
            assert_eq!(
                e.help,
                "for the time of a place, write its zone, e.g. `Asia/Shanghai` (China, UTC+8 all year): \
                 a zone follows the place's daylight-saving changes; for a fixed UTC+8 all year, write \
                 `Etc/GMT-8` (the IANA name of that fixed offset; its sign is inverted)",
                "{typed}"
            );
            // What it suggests is a zone.
            assert!(parse("Etc/GMT-8").is_ok());
        }
        assert!(
            help("UTC-5").contains("`America/New_York`") && help("UTC-5").contains("`Etc/GMT+5`")
        );
        assert!(help("GMT+5:30").contains("`Asia/Kolkata`"));
        assert!(help("GMT+5:30").contains("no fixed-offset name for UTC+5:30"));
        assert!(help("UTC+11").contains("`Etc/GMT-11`"));
        assert!(
            parse("+99:00")
                .unwrap_err()
                .message
                .starts_with("unknown time zone")
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for odd in [
            "", " ", "+", "-", "UTC+", "GMT−8", "+8:", "+:30", "时区", "/", "a/b/c/d", "\u{0}",
        ] {
            let _ = parse(odd);
        }
    }
}
