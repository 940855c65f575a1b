//! Human descriptions of recurrence ("Every Saturday at 20:00",
//! "每月第一个周日 15:00（柏林时间）") for event pages and listings.
//!
//! The common community patterns get natural phrases in English and
//! Simplified Chinese; anything else falls back to a generic phrase that is
//! still true ("Repeats monthly on a custom schedule") rather than a wrong
//! specific one. Languages other than Chinese get English.

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;

use super::event::EventTime;
use super::recurrence::{Frequency, Rule, Until};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Zh,
}

fn lang_of(tag: &str) -> Lang {
    let t = tag.trim().to_ascii_lowercase();
    if t == "zh" || t.starts_with("zh-") || t.starts_with("zh_") {
        Lang::Zh
    } else {
        Lang::En
    }
}

impl EventTime {
    /// Describes how the event repeats, in `lang` (a BCP 47 tag: `zh`,
    /// `zh-CN`, ... give Chinese, anything else English), without naming
    /// the time zone. `None` for events that do not repeat, so callers can
    /// fall back to showing the date.
    pub fn describe(&self, lang: &str) -> Option<String> {
        describe(self, lang_of(lang), None)
    }

    /// Like [`EventTime::describe`], but names the event's zone when it
    /// differs from `viewer_tz` (normally the site's zone), e.g.
    /// "每月第一个周日 15:00（柏林时间）": a time is only meaningful to a
    /// reader who knows which clock it is on.
    pub fn describe_for(&self, lang: &str, viewer_tz: &TimeZone) -> Option<String> {
        let show_zone = !self.all_day() && viewer_tz.iana_name() != Some(self.tz_name());
        describe(self, lang_of(lang), show_zone.then_some(self.tz_name()))
    }
}

fn describe(event: &EventTime, lang: Lang, zone: Option<&str>) -> Option<String> {
    let rule = event.rule()?;
    let start = event.start_local();
    let mut out = core(rule, start, lang).unwrap_or_else(|| generic(rule, lang));
    if !event.all_day() {
        let time = format!("{:02}:{:02}", start.hour(), start.minute());
        match lang {
            Lang::En => out.push_str(&format!(" at {time}")),
            Lang::Zh => out.push_str(&format!(" {time}")),
        }
    }
    if let Some(zone) = zone {
        match lang {
            Lang::En => out.push_str(&format!(" ({})", zone_name_en(zone))),
            Lang::Zh => out.push_str(&format!("（{}）", zone_name_zh(zone))),
        }
    }
    if let Some(count) = rule.count() {
        match lang {
            Lang::En if count == 1 => out.push_str(", once"),
            Lang::En => out.push_str(&format!(", {count} times")),
            Lang::Zh => out.push_str(&format!("，共{count}次")),
        }
    }
    if let Some(until) = rule.until() {
        let last = match until {
            Until::Date(d) => d,
            Until::Instant(ts) => event.tz().to_datetime(ts).date(),
        };
        match lang {
            Lang::En => out.push_str(&format!(", until {}", date_en(last, true))),
            Lang::Zh => out.push_str(&format!(
                "，至{}年{}月{}日",
                last.year(),
                last.month(),
                last.day()
            )),
        }
    }
    Some(out)
}

const WORKDAYS: [Weekday; 5] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
];

/// The specific phrase for a recognised pattern, or `None`.
fn core(rule: &Rule, start: DateTime, lang: Lang) -> Option<String> {
    let n = rule.interval();
    let by_day = rule.by_day();
    let plain_days: Option<Vec<Weekday>> = by_day
        .iter()
        .map(|d| d.ordinal.is_none().then_some(d.weekday))
        .collect();
    let (bmd, bm, bsp) = (rule.by_month_day(), rule.by_month(), rule.by_set_pos());
    match rule.freq() {
        Frequency::Daily => {
            if !bmd.is_empty() || !bm.is_empty() || !bsp.is_empty() {
                return None;
            }
            if by_day.is_empty() {
                return Some(match (lang, n) {
                    (Lang::En, 1) => "Every day".to_string(),
                    (Lang::En, 2) => "Every other day".to_string(),
                    (Lang::En, _) => format!("Every {n} days"),
                    (Lang::Zh, _) => format!("每{}天", zh_count(n)),
                });
            }
            if n == 1 {
                return Some(weekly(&plain_days?, 1, lang));
            }
            None
        }
        Frequency::Weekly => {
            if !bm.is_empty() || !bsp.is_empty() {
                return None;
            }
            let days = if by_day.is_empty() {
                vec![start.weekday()]
            } else {
                plain_days?
            };
            Some(weekly(&days, n, lang))
        }
        Frequency::Monthly => {
            if !bm.is_empty() {
                return None;
            }
            let every = month_interval(n, lang);
            match (by_day, bmd, bsp) {
                ([single], [], []) => match single.ordinal {
                    Some(ord) => Some(match lang {
                        Lang::En => format!(
                            "{} {} of {}",
                            ordinal_en(ord, true),
                            weekday_en(single.weekday),
                            every
                        ),
                        Lang::Zh => {
                            format!("{every}{}{}", ordinal_zh(ord), weekday_zh(single.weekday))
                        }
                    }),
                    None if n == 1 => Some(weekly(&[single.weekday], 1, lang)),
                    None => None,
                },
                (_, [], [pos]) if by_day.len() > 1 => {
                    let days = plain_days?;
                    if days != WORKDAYS || pos.abs() > 5 {
                        return None;
                    }
                    let pos = *pos as i8;
                    Some(match lang {
                        Lang::En => format!("{} weekday of {every}", ordinal_en(pos, true)),
                        Lang::Zh => format!("{every}{}工作日", ordinal_zh(pos)),
                    })
                }
                ([], days, []) => {
                    let days: Vec<i8> = if days.is_empty() {
                        vec![start.day()]
                    } else {
                        days.to_vec()
                    };
                    Some(match lang {
                        Lang::En => {
                            let list: Vec<String> = days.iter().map(|d| month_day_en(*d)).collect();
                            let prefix = match n {
                                1 => "Every month".to_string(),
                                2 => "Every other month".to_string(),
                                _ => format!("Every {n} months"),
                            };
                            format!("{prefix} on the {}", join_en(&list))
                        }
                        Lang::Zh => {
                            let list: Vec<String> = days.iter().map(|d| month_day_zh(*d)).collect();
                            format!("{every}{}", list.join("、"))
                        }
                    })
                }
                _ => None,
            }
        }
        Frequency::Yearly => {
            if !bsp.is_empty() || bm.len() > 1 {
                return None;
            }
            let prefix = match (lang, n) {
                (Lang::En, 1) => "Every year".to_string(),
                (Lang::En, 2) => "Every other year".to_string(),
                (Lang::En, _) => format!("Every {n} years"),
                (Lang::Zh, 1) => "每年".to_string(),
                (Lang::Zh, _) => format!("每{}年", zh_count(n)),
            };
            match (by_day, bmd) {
                ([single], []) if bm.len() == 1 => {
                    let ord = single.ordinal?;
                    let month = bm[0];
                    Some(match lang {
                        Lang::En => format!(
                            "{prefix} on the {} {} of {}",
                            ordinal_en(ord, false),
                            weekday_en(single.weekday),
                            month_en(month)
                        ),
                        Lang::Zh => format!(
                            "{prefix}{month}月{}{}",
                            ordinal_zh(ord),
                            weekday_zh(single.weekday)
                        ),
                    })
                }
                ([], days) if days.len() <= 1 && !(bm.is_empty() && days.len() == 1) => {
                    let month = bm.first().copied().unwrap_or(start.month());
                    let day = days.first().copied().unwrap_or(start.day());
                    Some(match lang {
                        Lang::En if day > 0 => format!("{prefix} on {} {day}", month_en(month)),
                        Lang::En => format!(
                            "{prefix} on the {} of {}",
                            last_day_en(day),
                            month_en(month)
                        ),
                        Lang::Zh => format!("{prefix}{month}月{}", month_day_zh(day)),
                    })
                }
                _ => None,
            }
        }
    }
}

fn weekly(days: &[Weekday], n: u32, lang: Lang) -> String {
    let workdays = days == WORKDAYS;
    match lang {
        Lang::En => {
            let list: Vec<String> = days.iter().map(|d| weekday_en(*d).to_string()).collect();
            let list = join_en(&list);
            match (n, workdays) {
                (1, true) => "Every weekday".to_string(),
                (1, false) => format!("Every {list}"),
                (2, true) => "Every other week on weekdays".to_string(),
                (2, false) => format!("Every other {list}"),
                (_, true) => format!("Every {n} weeks on weekdays"),
                (_, false) => format!("Every {n} weeks on {list}"),
            }
        }
        Lang::Zh => {
            let list: Vec<&str> = days.iter().map(|d| weekday_zh(*d)).collect();
            let list = list.join("、");
            match (n, workdays) {
                (1, true) => "每个工作日".to_string(),
                (1, false) => format!("每{list}"),
                (_, true) => format!("每{}周的工作日", zh_count(n)),
                (_, false) => format!("每{}周的{list}", zh_count(n)),
            }
        }
    }
}

fn month_interval(n: u32, lang: Lang) -> String {
    match (lang, n) {
        (Lang::En, 1) => "every month".to_string(),
        (Lang::En, 2) => "every other month".to_string(),
        (Lang::En, _) => format!("every {n} months"),
        (Lang::Zh, 1) => "每月".to_string(),
        (Lang::Zh, _) => format!("每{}个月的", zh_count(n)),
    }
}

fn generic(rule: &Rule, lang: Lang) -> String {
    let n = rule.interval();
    match lang {
        Lang::En => {
            let unit = match rule.freq() {
                Frequency::Daily => ("daily", "days"),
                Frequency::Weekly => ("weekly", "weeks"),
                Frequency::Monthly => ("monthly", "months"),
                Frequency::Yearly => ("yearly", "years"),
            };
            if n == 1 {
                format!("Repeats {} on a custom schedule", unit.0)
            } else {
                format!("Repeats every {n} {} on a custom schedule", unit.1)
            }
        }
        Lang::Zh => {
            let unit = match rule.freq() {
                Frequency::Daily => "天",
                Frequency::Weekly => "周",
                Frequency::Monthly => "个月",
                Frequency::Yearly => "年",
            };
            let every = match (rule.freq(), n) {
                (Frequency::Monthly, 1) => "每月".to_string(),
                _ if n == 1 => format!("每{unit}"),
                _ => format!("每{}{unit}", zh_count(n)),
            };
            format!("按自定义规则{every}重复")
        }
    }
}

/// "两" for 2 (每两周), digits otherwise (每3周), as written in Chinese.
fn zh_count(n: u32) -> String {
    match n {
        1 => String::new(),
        2 => "两".to_string(),
        _ => n.to_string(),
    }
}

fn weekday_en(w: Weekday) -> &'static str {
    super::recurrence::weekday_name(w)
}

fn weekday_zh(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "周一",
        Weekday::Tuesday => "周二",
        Weekday::Wednesday => "周三",
        Weekday::Thursday => "周四",
        Weekday::Friday => "周五",
        Weekday::Saturday => "周六",
        Weekday::Sunday => "周日",
    }
}

/// "First", "Last", "Second-to-last", ... (`capital` for sentence starts).
fn ordinal_en(n: i8, capital: bool) -> String {
    let word = match n {
        1 => "first".to_string(),
        2 => "second".to_string(),
        3 => "third".to_string(),
        4 => "fourth".to_string(),
        5 => "fifth".to_string(),
        -1 => "last".to_string(),
        -2 => "second-to-last".to_string(),
        -3 => "third-to-last".to_string(),
        n if n > 0 => number_ordinal_en(i32::from(n)),
        n => format!("{}-to-last", number_ordinal_en(-i32::from(n))),
    };
    if capital {
        let mut chars = word.chars();
        match chars.next() {
            Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
            None => word,
        }
    } else {
        word
    }
}

fn ordinal_zh(n: i8) -> String {
    const DIGITS: [&str; 6] = ["", "一", "二", "三", "四", "五"];
    match n {
        -1 => "最后一个".to_string(),
        1..=5 => format!("第{}个", DIGITS[n as usize]),
        n if n > 0 => format!("第{n}个"),
        -5..=-2 => format!("倒数第{}个", DIGITS[(-n) as usize]),
        n => format!("倒数第{}个", -i32::from(n)),
    }
}

/// 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, ...
fn number_ordinal_en(n: i32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn month_day_en(d: i8) -> String {
    if d > 0 {
        number_ordinal_en(i32::from(d))
    } else {
        last_day_en(d)
    }
}

fn last_day_en(d: i8) -> String {
    match d {
        -1 => "last day".to_string(),
        _ => format!("{}-to-last day", number_ordinal_en(-i32::from(d))),
    }
}

fn month_day_zh(d: i8) -> String {
    match d {
        -1 => "最后一天".to_string(),
        d if d < 0 => format!("倒数第{}天", -i32::from(d)),
        d => format!("{d}日"),
    }
}

fn month_en(m: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    usize::try_from(m - 1)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("?")
}

fn date_en(d: Date, with_year: bool) -> String {
    if with_year {
        format!("{} {}, {}", month_en(d.month()), d.day(), d.year())
    } else {
        format!("{} {}", month_en(d.month()), d.day())
    }
}

/// "a", "a and b", "a, b and c".
fn join_en(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Chinese names of common zones (`Asia/Shanghai` is 北京时间, not 上海时间).
const ZONES_ZH: &[(&str, &str)] = &[
    ("Asia/Shanghai", "北京时间"),
    ("Asia/Chongqing", "北京时间"),
    ("Asia/Urumqi", "乌鲁木齐时间"),
    ("Asia/Hong_Kong", "香港时间"),
    ("Asia/Macau", "澳门时间"),
    ("Asia/Taipei", "台北时间"),
    ("Asia/Tokyo", "东京时间"),
    ("Asia/Seoul", "首尔时间"),
    ("Asia/Singapore", "新加坡时间"),
    ("Asia/Kuala_Lumpur", "吉隆坡时间"),
    ("Asia/Bangkok", "曼谷时间"),
    ("Asia/Kolkata", "印度时间"),
    ("Asia/Dubai", "迪拜时间"),
    ("Europe/Berlin", "柏林时间"),
    ("Europe/London", "伦敦时间"),
    ("Europe/Paris", "巴黎时间"),
    ("Europe/Amsterdam", "阿姆斯特丹时间"),
    ("Europe/Zurich", "苏黎世时间"),
    ("Europe/Vienna", "维也纳时间"),
    ("Europe/Madrid", "马德里时间"),
    ("Europe/Rome", "罗马时间"),
    ("Europe/Stockholm", "斯德哥尔摩时间"),
    ("Europe/Moscow", "莫斯科时间"),
    ("America/New_York", "纽约时间"),
    ("America/Chicago", "芝加哥时间"),
    ("America/Denver", "丹佛时间"),
    ("America/Los_Angeles", "洛杉矶时间"),
    ("America/Toronto", "多伦多时间"),
    ("America/Vancouver", "温哥华时间"),
    ("America/Sao_Paulo", "圣保罗时间"),
    ("Australia/Sydney", "悉尼时间"),
    ("Australia/Melbourne", "墨尔本时间"),
    ("Pacific/Auckland", "奥克兰时间"),
    ("UTC", "UTC"),
    ("Etc/UTC", "UTC"),
];

/// A time zone as a reader of `lang` names it: `北京时间`, `Berlin time`.
/// Pages show this; the IANA name stays in feeds and `datetime` values.
pub fn zone_name(tzid: &str, lang: &str) -> String {
    match lang_of(lang) {
        Lang::Zh => zone_name_zh(tzid),
        Lang::En => zone_name_en(tzid),
    }
}

fn zone_name_zh(tzid: &str) -> String {
    match ZONES_ZH.iter().find(|(id, _)| *id == tzid) {
        Some((_, name)) => (*name).to_string(),
        None => format!("{} 时间", city(tzid)),
    }
}

fn zone_name_en(tzid: &str) -> String {
    match tzid {
        "UTC" | "Etc/UTC" => "UTC".to_string(),
        "Asia/Shanghai" | "Asia/Chongqing" => "Beijing time".to_string(),
        _ => format!("{} time", city(tzid)),
    }
}

/// `America/Los_Angeles` → `Los Angeles`.
fn city(tzid: &str) -> String {
    tzid.rsplit('/').next().unwrap_or(tzid).replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::super::event::EventTime;
    use super::super::parse::{parse_local, parse_tz};
    use super::super::recurrence::parse_rrule;
    use super::*;

    fn ev(start: &str, tz: &str, rule: Option<&str>) -> EventTime {
        let tz = parse_tz(tz).unwrap();
        let st = parse_local(start).unwrap();
        let rule = rule.map(|r| parse_rrule(r, &st, &tz).unwrap());
        EventTime::new(st, None, false, tz, rule, &[]).unwrap()
    }

    fn both(start: &str, rule: &str) -> (String, String) {
        let e = ev(start, "Europe/Berlin", Some(rule));
        (e.describe("en").unwrap(), e.describe("zh-CN").unwrap())
    }

    #[test]
    fn common_patterns() {
        let cases = [
            (
                "2026-03-07T20:00",
                "FREQ=WEEKLY;BYDAY=SA",
                "Every Saturday at 20:00",
                "每周六 20:00",
            ),
            (
                "2026-03-07T20:00",
                "FREQ=WEEKLY",
                "Every Saturday at 20:00",
                "每周六 20:00",
            ),
            (
                "2026-03-02T19:30",
                "FREQ=WEEKLY;BYDAY=MO,WE",
                "Every Monday and Wednesday at 19:30",
                "每周一、周三 19:30",
            ),
            (
                "2026-03-02T19:30",
                "FREQ=WEEKLY;BYDAY=MO,WE,FR",
                "Every Monday, Wednesday and Friday at 19:30",
                "每周一、周三、周五 19:30",
            ),
            (
                "2026-03-02T09:00",
                "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
                "Every weekday at 09:00",
                "每个工作日 09:00",
            ),
            (
                "2026-03-07T20:00",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA",
                "Every other Saturday at 20:00",
                "每两周的周六 20:00",
            ),
            (
                "2026-03-07T20:00",
                "FREQ=WEEKLY;INTERVAL=3",
                "Every 3 weeks on Saturday at 20:00",
                "每3周的周六 20:00",
            ),
            (
                "2026-03-07T08:00",
                "FREQ=DAILY",
                "Every day at 08:00",
                "每天 08:00",
            ),
            (
                "2026-03-07T08:00",
                "FREQ=DAILY;INTERVAL=3",
                "Every 3 days at 08:00",
                "每3天 08:00",
            ),
            (
                "2026-03-01T15:00",
                "FREQ=MONTHLY;BYDAY=1SU",
                "First Sunday of every month at 15:00",
                "每月第一个周日 15:00",
            ),
            (
                "2026-01-30T19:00",
                "FREQ=MONTHLY;BYDAY=-1FR",
                "Last Friday of every month at 19:00",
                "每月最后一个周五 19:00",
            ),
            (
                "2026-03-01T15:00",
                "FREQ=MONTHLY;INTERVAL=2;BYDAY=1SU",
                "First Sunday of every other month at 15:00",
                "每两个月的第一个周日 15:00",
            ),
            (
                "2026-01-23T19:00",
                "FREQ=MONTHLY;BYDAY=-2FR",
                "Second-to-last Friday of every month at 19:00",
                "每月倒数第二个周五 19:00",
            ),
            (
                "2026-01-30T18:00",
                "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
                "Last weekday of every month at 18:00",
                "每月最后一个工作日 18:00",
            ),
            (
                "2026-03-15T19:00",
                "FREQ=MONTHLY",
                "Every month on the 15th at 19:00",
                "每月15日 19:00",
            ),
            (
                "2026-01-31T19:00",
                "FREQ=MONTHLY;BYMONTHDAY=-1",
                "Every month on the last day at 19:00",
                "每月最后一天 19:00",
            ),
            (
                "2026-03-01T19:00",
                "FREQ=MONTHLY;BYMONTHDAY=1,15",
                "Every month on the 1st and 15th at 19:00",
                "每月1日、15日 19:00",
            ),
            (
                "2026-03-29T11:00",
                "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                "Every year on the last Sunday of March at 11:00",
                "每年3月最后一个周日 11:00",
            ),
            (
                "2026-12-12T10:00",
                "FREQ=YEARLY",
                "Every year on December 12 at 10:00",
                "每年12月12日 10:00",
            ),
            (
                "2026-03-07T20:00",
                "FREQ=WEEKLY;COUNT=10",
                "Every Saturday at 20:00, 10 times",
                "每周六 20:00，共10次",
            ),
            (
                "2026-03-07T20:00",
                "FREQ=WEEKLY;UNTIL=20261231",
                "Every Saturday at 20:00, until December 31, 2026",
                "每周六 20:00，至2026年12月31日",
            ),
            (
                "2026-03-07T20:00",
                "FREQ=WEEKLY;BYMONTH=3,4",
                "Repeats weekly on a custom schedule at 20:00",
                "按自定义规则每周重复 20:00",
            ),
            (
                "2026-03-07T20:00",
                "FREQ=MONTHLY;INTERVAL=2;BYDAY=1SA,3SA",
                "Repeats every 2 months on a custom schedule at 20:00",
                "按自定义规则每两个月重复 20:00",
            ),
        ];
        for (start, rule, en, zh) in cases {
            assert_eq!(
                both(start, rule),
                (en.to_string(), zh.to_string()),
                "{rule}"
            );
        }
    }

    #[test]
    fn all_day_and_zone_suffix() {
        let e = ev("2026-12-24", "Europe/Berlin", Some("FREQ=YEARLY"));
        assert_eq!(e.describe("en").unwrap(), "Every year on December 24");
        assert_eq!(e.describe("zh").unwrap(), "每年12月24日");

        let e = ev(
            "2026-03-01T15:00",
            "Europe/Berlin",
            Some("FREQ=MONTHLY;BYDAY=1SU"),
        );
        let shanghai = parse_tz("Asia/Shanghai").unwrap();
        assert_eq!(
            e.describe_for("zh-CN", &shanghai).unwrap(),
            "每月第一个周日 15:00（柏林时间）"
        );
        assert_eq!(
            e.describe_for("en", &shanghai).unwrap(),
            "First Sunday of every month at 15:00 (Berlin time)"
        );
        let berlin = parse_tz("Europe/Berlin").unwrap();
        assert_eq!(
            e.describe_for("en", &berlin).unwrap(),
            "First Sunday of every month at 15:00"
        );

        let e = ev(
            "2026-03-07T20:00",
            "Asia/Shanghai",
            Some("FREQ=WEEKLY;UNTIL=20261231"),
        );
        assert_eq!(
            e.describe_for("zh", &berlin).unwrap(),
            "每周六 20:00（北京时间），至2026年12月31日"
        );
        let e = ev(
            "2026-03-07T20:00",
            "America/Los_Angeles",
            Some("FREQ=WEEKLY"),
        );
        assert_eq!(
            e.describe_for("en", &berlin).unwrap(),
            "Every Saturday at 20:00 (Los Angeles time)"
        );
        assert_eq!(
            e.describe_for("zh", &berlin).unwrap(),
            "每周六 20:00（洛杉矶时间）"
        );

        assert_eq!(
            ev("2026-03-07T20:00", "Europe/Berlin", None).describe("en"),
            None
        );
    }

    #[test]
    fn helpers() {
        let ords: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31]
            .iter()
            .map(|n| number_ordinal_en(*n))
            .collect();
        assert_eq!(
            ords,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"
            ]
        );
        assert_eq!(ordinal_zh(-3), "倒数第三个");
        assert_eq!(ordinal_en(-4, true), "4th-to-last");
        assert_eq!(join_en(&[]), "");
        assert_eq!(lang_of("ZH_cn"), Lang::Zh);
        assert_eq!(lang_of("zhx"), Lang::En);
        assert_eq!(lang_of("de"), Lang::En);
    }
}
