//! UI strings, month and weekday names and date formats in the site's
//! language: the one table every word a reader sees comes from.
//!
//! Chinese and English are built in; `[strings]` in `hearth.toml` overrides
//! any key, so a Traditional Chinese or bilingual hub can reword the theme
//! without copying templates. It sits on the ground floor because words
//! are needed below the theme too: the heading-anchor label (Markdown), the
//! public tier's name (tiers), the postponed prefix of calendar feeds.
//! Templates read it as `hearth.i18n.KEY` with no fallback, so a key the
//! table lacks fails the build with the template's name (H0502) instead of
//! showing a word from another language; Rust asks [`Strings::get`], whose
//! keys are checked against both tables by the tests below.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, codes, did_you_mean};

const ZH: &[(&str, &str)] = &[
    ("skip_to_content", "跳到正文"),
    ("home", "首页"),
    ("menu", "导航"),
    ("read_more", "阅读全文"),
    ("tags", "标签"),
    ("all_tags", "全部标签"),
    ("tagged", "标签"),
    ("previous", "上一页"),
    ("next", "下一页"),
    ("newer", "较新"),
    ("older", "较早"),
    ("pagination", "分页"),
    ("page_of", "第 {n} 页，共 {total} 页"),
    ("published", "发布于"),
    ("updated", "更新于"),
    ("minutes_read", "约 {n} 分钟读完"),
    ("toc", "本页目录"),
    ("subsections", "栏目"),
    ("no_pages", "这里还没有内容。"),
    ("locked", "仅限{tier}"),
    ("gated_notice", "本页仅对{tier}开放。"),
    ("join", "了解如何加入"),
    ("edit_page", "在 GitHub 上编辑此页"),
    ("not_found_title", "页面不存在"),
    ("not_found_text", "你要找的页面不存在，可能已经移动或删除。"),
    ("back_home", "返回首页"),
    ("redirecting", "页面已移动，正在跳转到"),
    ("breadcrumbs", "当前位置"),
    ("sidebar", "本栏目录"),
    ("sidebar_more", "本栏全部内容"),
    ("items", "{n} 篇"),
    ("powered_by", "由 Hearth 生成"),
    ("menu_button", "菜单"),
    ("nav_locked", "（需加入后查看）"),
    ("nav_more", "更多"),
    ("footer_nav", "页脚导航"),
    ("join_us", "加入我们"),
    ("join_tier", "如何成为{tier}"),
    ("next_event", "下一场活动"),
    ("upcoming_events", "近期活动"),
    ("past_events", "往期活动"),
    ("no_upcoming", "暂时没有排定的活动，过几天再来看看。"),
    ("view_all", "查看全部"),
    ("rituals", "固定聚会"),
    ("latest_activities", "最新活动回顾"),
    ("showcases", "成员作品"),
    ("by", "作者"),
    ("recent_updates", "最近更新"),
    ("explore", "逛逛各个栏目"),
    ("rules_revised", "最近修订"),
    ("copy_rule_link", "复制第 {n} 条的链接"),
    ("rule_link_copied", "已复制第 {n} 条的链接"),
    ("print", "打印"),
    ("faq_filter", "搜索问题"),
    ("faq_filter_placeholder", "输入关键词，例如：会费、线上"),
    ("faq_count", "共 {total} 个问题，显示 {shown} 个"),
    (
        "faq_no_results",
        "没有找到相关的问题。换个关键词试试，或者直接问问管理员。",
    ),
    ("event_when", "时间"),
    ("event_where", "地点"),
    ("chapter", "分会"),
    ("hosts", "主持"),
    ("list_sep", "、"),
    ("repeats", "固定时间"),
    ("timezone", "时区"),
    ("all_day", "全天"),
    ("view_map", "查看地图"),
    ("register", "报名参加"),
    ("event_details", "活动信息"),
    ("add_to_calendar", "加入日历"),
    ("calendar_ics", "下载日历文件 (.ics)"),
    ("calendar_google", "添加到 Google 日历"),
    ("calendar_outlook", "添加到 Outlook 日历"),
    ("subscribe_all", "订阅全部活动（自动更新）"),
    ("subscribe", "订阅日历"),
    (
        "subscribe_hint",
        "把活动订阅到你的日历里，时间和地点有变化会自动更新。",
    ),
    (
        "section_calendar_hint",
        "只订阅这一栏目的活动，有变化会自动更新。",
    ),
    ("next_dates", "接下来的日期"),
    ("status_cancelled", "已取消"),
    ("status_postponed", "已延期"),
    ("event_ended", "已结束"),
    ("event_cancelled_notice", "这场活动已取消。"),
    (
        "event_postponed_notice",
        "这场活动已延期，新的时间确定后会在这里更新。",
    ),
    ("recap_available", "活动回顾："),
    ("related_event", "活动页面"),
    ("by_month", "按月查看"),
    ("by_year", "按年份浏览"),
    ("photos", "照片"),
    ("photo_count", "{n} 张"),
    (
        "month_names",
        "1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月",
    ),
    ("team", "团队分工"),
    ("team_more", "另有 {n} 位"),
    ("member_directory", "成员名录"),
    ("member_count", "{n} 位成员"),
    ("members_shown", "显示 {shown} / {total} 位成员"),
    ("filter_role", "按角色"),
    ("filter_chapter", "按分会"),
    ("all_roles", "全部角色"),
    ("all_chapters", "全部分会"),
    ("no_matching_members", "没有符合条件的成员。"),
    ("roles", "角色"),
    ("joined", "{date}加入"),
    ("elsewhere", "在别处"),
    ("showcase", "作品"),
    ("hosted_events", "主持的活动"),
    ("hosted_activities", "带过的活动回顾"),
    ("city", "城市"),
    ("meets", "聚会时间"),
    ("organizers", "组织者"),
    ("chapter_details", "分会信息"),
    ("chapter_members", "分会成员"),
    ("chapter_calendar", "订阅本分会的活动日历"),
    ("visit_chapter", "走进分会"),
    ("want_to_join", "想来参加？"),
    ("your_time", "你的时区"),
    ("link_website", "网站"),
    ("link_blog", "博客"),
    ("link_douban", "豆瓣"),
    ("link_weibo", "微博"),
    ("link_zhihu", "知乎"),
    ("link_bilibili", "哔哩哔哩"),
    ("link_xiaohongshu", "小红书"),
    ("link_wechat", "微信公众号"),
    ("link_github", "GitHub"),
    ("link_mastodon", "Mastodon"),
    ("link_twitter", "X / Twitter"),
    ("link_instagram", "Instagram"),
    ("link_youtube", "YouTube"),
    ("link_goodreads", "Goodreads"),
    ("link_email", "邮箱"),
    (
        "month_names_long",
        "1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月",
    ),
    ("weekday_names", "周一,周二,周三,周四,周五,周六,周日"),
    ("weekday_letters", "一,二,三,四,五,六,日"),
    ("date_format", "{year}年{month}月{day}日"),
    ("month_label", "{year}年{month}月"),
    ("day_with_weekday", "{date} {weekday}"),
    ("date_time_separator", " "),
    ("tier_public", "公开"),
    ("anchor_link", "链接到此处"),
    ("calendar_postponed", "【延期】"),
    ("label_sep", "："),
    ("search_label", "搜索本站"),
    ("search_placeholder", "搜索"),
    ("search_hint", "输入后按向下键浏览结果，按 Esc 关闭。"),
    ("search_results", "搜索结果"),
    ("search_more", "更多结果"),
    ("search_none", "没有找到相关内容"),
    ("search_count", "{n} 条结果"),
    ("search_count_more", "已显示 {n} 条结果，还有更多"),
    ("search_loading", "搜索中…"),
    ("search_error", "搜索暂时不可用"),
    ("language_switch", "语言"),
    ("translation_missing", "{lang}：本页暂无译文，前往首页"),
    (
        "translation_outdated",
        "原文在此译文之后有更新，内容可能已过时。",
    ),
    ("translation_original", "阅读原文"),
];

const EN: &[(&str, &str)] = &[
    ("skip_to_content", "Skip to content"),
    ("home", "Home"),
    ("menu", "Navigation"),
    ("read_more", "Read more"),
    ("tags", "Tags"),
    ("all_tags", "All tags"),
    ("tagged", "Tagged"),
    ("previous", "Previous"),
    ("next", "Next"),
    ("newer", "Newer"),
    ("older", "Older"),
    ("pagination", "Pagination"),
    ("page_of", "Page {n} of {total}"),
    ("published", "Published"),
    ("updated", "Updated"),
    ("minutes_read", "{n} min read"),
    ("toc", "On this page"),
    ("subsections", "Sections"),
    ("no_pages", "Nothing here yet."),
    ("locked", "{tier} only"),
    ("gated_notice", "This page is for {tier}."),
    ("join", "How to join"),
    ("edit_page", "Edit this page on GitHub"),
    ("not_found_title", "Page not found"),
    (
        "not_found_text",
        "The page you are looking for does not exist. It may have moved or been removed.",
    ),
    ("back_home", "Back to the home page"),
    ("redirecting", "This page has moved to"),
    ("breadcrumbs", "You are here"),
    ("sidebar", "In this section"),
    ("sidebar_more", "Everything in this section"),
    ("items", "{n} items"),
    ("powered_by", "Built with Hearth"),
    ("menu_button", "Menu"),
    ("nav_locked", "(members only)"),
    ("nav_more", "More"),
    ("footer_nav", "Footer"),
    ("join_us", "Join us"),
    ("join_tier", "How to join"),
    ("next_event", "Next up"),
    ("upcoming_events", "Upcoming events"),
    ("past_events", "Past events"),
    ("no_upcoming", "Nothing scheduled yet — check back soon."),
    ("view_all", "View all"),
    ("rituals", "Regular gatherings"),
    ("latest_activities", "Latest recaps"),
    ("showcases", "Made by members"),
    ("by", "By"),
    ("recent_updates", "Recently updated"),
    ("explore", "Explore"),
    ("rules_revised", "Last revised"),
    ("copy_rule_link", "Copy link to rule {n}"),
    ("rule_link_copied", "Link to rule {n} copied"),
    ("print", "Print"),
    ("faq_filter", "Search questions"),
    (
        "faq_filter_placeholder",
        "Type a keyword, e.g. fees, online",
    ),
    ("faq_count", "Showing {shown} of {total} questions"),
    (
        "faq_no_results",
        "No matching questions. Try another word, or ask a moderator.",
    ),
    ("event_when", "When"),
    ("event_where", "Where"),
    ("chapter", "Chapter"),
    ("hosts", "Hosts"),
    ("list_sep", ", "),
    ("repeats", "Repeats"),
    ("timezone", "Time zone"),
    ("all_day", "All day"),
    ("view_map", "View map"),
    ("register", "Register"),
    ("event_details", "Event details"),
    ("add_to_calendar", "Add to calendar"),
    ("calendar_ics", "Download .ics"),
    ("calendar_google", "Add to Google Calendar"),
    ("calendar_outlook", "Add to Outlook"),
    ("subscribe_all", "Subscribe to all events"),
    ("subscribe", "Subscribe"),
    (
        "subscribe_hint",
        "Subscribe in your calendar app; changes update automatically.",
    ),
    (
        "section_calendar_hint",
        "Subscribe to this section's events alone; changes update automatically.",
    ),
    ("next_dates", "Next dates"),
    ("status_cancelled", "Cancelled"),
    ("status_postponed", "Postponed"),
    ("event_ended", "Ended"),
    ("event_cancelled_notice", "This event has been cancelled."),
    (
        "event_postponed_notice",
        "This event is postponed; the new date will appear here.",
    ),
    ("recap_available", "Recap:"),
    ("related_event", "Event"),
    ("by_month", "By month"),
    ("by_year", "Browse by year"),
    ("photos", "Photos"),
    ("photo_count", "{n} photos"),
    (
        "month_names",
        "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
    ),
    ("team", "Who does what"),
    ("team_more", "and {n} more"),
    ("member_directory", "Member directory"),
    ("member_count", "{n} members"),
    ("members_shown", "Showing {shown} of {total} members"),
    ("filter_role", "Role"),
    ("filter_chapter", "Chapter"),
    ("all_roles", "All roles"),
    ("all_chapters", "All chapters"),
    ("no_matching_members", "No members match."),
    ("roles", "Roles"),
    ("joined", "Joined {date}"),
    ("elsewhere", "Elsewhere"),
    ("showcase", "Work"),
    ("hosted_events", "Events they host"),
    ("hosted_activities", "Recaps of events they led"),
    ("city", "City"),
    ("meets", "Meets"),
    ("organizers", "Organizers"),
    ("chapter_details", "Chapter details"),
    ("chapter_members", "Members"),
    ("chapter_calendar", "Subscribe to this chapter's calendar"),
    ("visit_chapter", "Visit chapter"),
    ("want_to_join", "Want to come along?"),
    ("your_time", "your time"),
    ("link_website", "Website"),
    ("link_blog", "Blog"),
    ("link_douban", "Douban"),
    ("link_weibo", "Weibo"),
    ("link_zhihu", "Zhihu"),
    ("link_bilibili", "Bilibili"),
    ("link_xiaohongshu", "Xiaohongshu"),
    ("link_wechat", "WeChat"),
    ("link_github", "GitHub"),
    ("link_mastodon", "Mastodon"),
    ("link_twitter", "X / Twitter"),
    ("link_instagram", "Instagram"),
    ("link_youtube", "YouTube"),
    ("link_goodreads", "Goodreads"),
    ("link_email", "Email"),
    (
        "month_names_long",
        "January,February,March,April,May,June,July,August,September,October,November,December",
    ),
    ("weekday_names", "Mon,Tue,Wed,Thu,Fri,Sat,Sun"),
    ("weekday_letters", "Mon,Tue,Wed,Thu,Fri,Sat,Sun"),
    ("date_format", "{day} {month_name} {year}"),
    ("month_label", "{month_name_long} {year}"),
    ("day_with_weekday", "{weekday} {date}"),
    ("date_time_separator", ", "),
    ("tier_public", "Public"),
    ("anchor_link", "Link to this section"),
    ("calendar_postponed", "Postponed: "),
    ("label_sep", ": "),
    ("search_label", "Search this site"),
    ("search_placeholder", "Search"),
    (
        "search_hint",
        "Type, then use the down arrow to browse results and Escape to close.",
    ),
    ("search_results", "Search results"),
    ("search_more", "More results"),
    ("search_none", "No results"),
    ("search_count", "{n} results"),
    ("search_count_more", "{n} results shown, more available"),
    ("search_loading", "Searching…"),
    ("search_error", "Search is unavailable right now"),
    ("language_switch", "Language"),
    (
        "translation_missing",
        "{lang}: not translated yet, go to the home page",
    ),
    (
        "translation_outdated",
        "The original has changed since this translation was made; it may be out of date.",
    ),
    ("translation_original", "Read the original"),
];

/// Languages' names for themselves, for the language switcher when the
/// config gives none: a reader looks for their language in its own script.
const ENDONYMS: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("de", "Deutsch"),
    ("en", "English"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fr", "Français"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("ta", "தமிழ்"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("zh-cn", "简体中文"),
    ("zh-hk", "繁體中文（香港）"),
    ("zh-tw", "繁體中文"),
];

/// The language's own name (`ar` → `العربية`), trying the whole tag then
/// its primary language.
pub fn endonym(tag: &str) -> Option<&'static str> {
    let lower = tag.to_ascii_lowercase();
    let primary = lower.split('-').next().unwrap_or("");
    ENDONYMS
        .iter()
        .find(|(k, _)| *k == lower)
        .or_else(|| ENDONYMS.iter().find(|(k, _)| *k == primary))
        .map(|(_, v)| *v)
}

/// Whether text in `tag` runs right to left (`dir="rtl"` on its pages):
/// Arabic, Hebrew, Persian, Urdu and the other scripts written so, or a
/// tag that names such a script.
pub fn is_rtl(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    let mut parts = lower.split('-');
    let primary = parts.next().unwrap_or("");
    if lower
        .split('-')
        .any(|p| matches!(p, "arab" | "hebr" | "thaa" | "syrc" | "nkoo" | "adlm"))
    {
        return true;
    }
    if lower.split('-').any(|p| matches!(p, "latn" | "cyrl")) {
        return false;
    }
    matches!(
        primary,
        "ar" | "he" | "iw" | "fa" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb" | "ku" | "syr"
    )
}

/// Warnings for `[strings]` keys the table does not know, each on its
/// line of `hearth.toml` with the nearest known key: a misspelt override
/// would otherwise change nothing, silently.
pub fn unknown_keys(config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (tag, def) in &config.languages {
        let table = format!("[languages.{tag}.strings]");
        let at = config.languages_at.get(tag).cloned().unwrap_or_default();
        for key in def.strings.keys() {
            out.extend(unknown_key(config, &table, key, &at));
        }
    }
    for key in config.strings.keys() {
        let at = config.strings_at.get(key).cloned().unwrap_or_default();
        out.extend(unknown_key(config, "[strings]", key, &at));
    }
    out
}

/// The warning for `key` of `table` when the table of UI strings lacks it.
fn unknown_key(
    config: &Config,
    table: &str,
    key: &str,
    at: &crate::spanned::Span,
) -> Option<Diagnostic> {
    if Strings::known_keys().any(|k| k == key) {
        return None;
    }
    let help = match did_you_mean(key, Strings::known_keys()) {
        Some(k) => format!("did you mean `{k}`?"),
        None => "docs/configuration.md lists the UI string keys".into(),
    };
    let d = Diagnostic::warning(
        crate::config::FILE,
        codes::CONFIG_UNKNOWN_KEY,
        format!("`{table}` has no key `{key}`"),
    )
    .with_help(help);
    Some(config.place(d, at))
}

/// The UI strings for a language, with the site's overrides applied.
#[derive(Debug, Clone)]
pub struct Strings {
    map: BTreeMap<String, String>,
}

impl Strings {
    /// The site's table: its language's built-in strings (Chinese for
    /// `zh…`, English otherwise), overridden by `[strings]`.
    pub fn for_config(config: &Config) -> Strings {
        Strings::new(config.is_chinese(), &config.strings)
    }

    /// Strings for `chinese` or English, overridden by `overrides`.
    pub fn new(chinese: bool, overrides: &BTreeMap<String, String>) -> Strings {
        let base = if chinese { ZH } else { EN };
        let mut map: BTreeMap<String, String> = base
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for (k, v) in overrides {
            map.insert(k.clone(), v.clone());
        }
        Strings { map }
    }

    /// Every string, for the template context.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.map
    }

    /// The keys the table knows, to warn about misspelt overrides.
    pub fn known_keys() -> impl Iterator<Item = &'static str> {
        EN.iter().map(|(k, _)| *k)
    }

    /// One string. Rust asks only for keys both built-in tables have (a
    /// test holds every call site to it), so a miss is a bug: it shows as
    /// an empty string rather than a panic in a reader's build.
    pub fn get(&self, key: &str) -> &str {
        self.map.get(key).map_or("", String::as_str)
    }

    /// A string with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        // One pass over the string: every card and page fills a date or a
        // reading time, and a value is never searched again for names.
        let text = self.get(key);
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let known = after.find('}').and_then(|close| {
                let name = &after[..close];
                let (_, value) = args.iter().find(|(n, _)| *n == name)?;
                Some((close, *value))
            });
            match known {
                Some((close, value)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The `i`-th (0-based) item of a comma-separated list string.
    fn nth(&self, key: &str, i: usize) -> &str {
        self.get(key).split(',').nth(i).unwrap_or("").trim()
    }

    /// A month's short name (`date_format`'s `{month_name}`), 1-based.
    pub fn month_name(&self, month: i8) -> &str {
        self.nth("month_names", (month.clamp(1, 12) - 1) as usize)
    }

    /// A month's full name, 1-based.
    pub fn month_name_long(&self, month: i8) -> &str {
        self.nth("month_names_long", (month.clamp(1, 12) - 1) as usize)
    }

    /// A weekday's short name.
    pub fn weekday(&self, day: jiff::civil::Weekday) -> &str {
        self.nth("weekday_names", day.to_monday_zero_offset() as usize)
    }

    /// A month grid's column heads, Monday first.
    pub fn weekday_letters(&self) -> Vec<&str> {
        self.get("weekday_letters")
            .split(',')
            .map(str::trim)
            .collect()
    }

    /// A date as people write it: `2026年11月2日` or `2 Nov 2026`.
    pub fn date(&self, d: jiff::civil::Date) -> String {
        self.fill(
            "date_format",
            &[
                ("year", &d.year().to_string()),
                ("month", &d.month().to_string()),
                ("day", &d.day().to_string()),
                ("month_name", self.month_name(d.month())),
                ("month_name_long", self.month_name_long(d.month())),
            ],
        )
    }

    /// A date with its weekday: `2026年12月12日 周六` / `Sat 12 Dec 2026`.
    pub fn date_with_weekday(&self, d: jiff::civil::Date) -> String {
        self.fill(
            "day_with_weekday",
            &[
                ("date", &self.date(d)),
                ("weekday", self.weekday(d.weekday())),
            ],
        )
    }

    /// A month heading: `2026年11月` / `November 2026`.
    pub fn month_label(&self, year: i16, month: i8) -> String {
        self.fill(
            "month_label",
            &[
                ("year", &year.to_string()),
                ("month", &month.to_string()),
                ("month_name", self.month_name(month)),
                ("month_name_long", self.month_name_long(month)),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_string_keys_warn_on_their_own_line() {
        let text = "title = \"x\"\nbase_url = \"https://a.org\"\ndescription = \"d\"\n[strings]\nread_more = \"更多\"\ndescription = \"d\"\n\"reed more\" = \"x\"\n";
        let config = crate::config::parse(text).unwrap();
        let w = unknown_keys(&config);
        let got: Vec<(usize, usize, &str)> = w
            .iter()
            .map(|d| (d.line, d.col, d.help.as_deref().unwrap_or("")))
            .collect();
        // Found by their place in [strings], not by searching the text
        // (which found the top-level `description` and could not find a
        // quoted key at all).
        assert_eq!(
            got,
            [
                (6, 1, "docs/configuration.md lists the UI string keys"),
                (7, 1, "did you mean `read_more`?"),
            ]
        );
        assert_eq!(w[0].message, "`[strings]` has no key `description`");
        assert!(!w[0].is_error());
    }

    #[test]
    fn dates_follow_the_language() {
        let d = jiff::civil::date(2026, 11, 2);
        assert_eq!(
            Strings::new(true, &BTreeMap::new()).date(d),
            "2026年11月2日"
        );
        assert_eq!(Strings::new(false, &BTreeMap::new()).date(d), "2 Nov 2026");
    }

    #[test]
    fn overrides_and_placeholders() {
        let mut o = BTreeMap::new();
        o.insert("read_more".to_string(), "繼續閱讀".to_string());
        let s = Strings::new(true, &o);
        assert_eq!(s.fill("read_more", &[]), "繼續閱讀");
        assert_eq!(s.fill("minutes_read", &[("n", "3")]), "约 3 分钟读完");
        // Names are filled once each where they stand; braces that name
        // nothing given, and braces inside a value, stay as written.
        o.insert(
            "date_format".to_string(),
            "{day}.{month}.{year} {x} {{day}} {".to_string(),
        );
        let s = Strings::new(false, &o);
        assert_eq!(
            s.fill(
                "date_format",
                &[("day", "{month}"), ("month", "7"), ("year", "2026")]
            ),
            "{month}.7.2026 {x} {{month}} {"
        );
    }

    #[test]
    fn month_and_weekday_words_come_from_the_table() {
        let zh = Strings::new(true, &BTreeMap::new());
        let en = Strings::new(false, &BTreeMap::new());
        let d = jiff::civil::date(2026, 12, 12);
        assert_eq!(zh.date_with_weekday(d), "2026年12月12日 周六");
        assert_eq!(en.date_with_weekday(d), "Sat 12 Dec 2026");
        assert_eq!(zh.month_label(2026, 11), "2026年11月");
        assert_eq!(en.month_label(2026, 11), "November 2026");
        assert_eq!(en.weekday_letters().len(), 7);
        let mut o = BTreeMap::new();
        o.insert(
            "month_names".to_string(),
            "jan,feb,mar,apr,mai,jun,jul,aug,sep,okt,nov,dez".to_string(),
        );
        o.insert(
            "date_format".to_string(),
            "{day}. {month_name} {year}".to_string(),
        );
        assert_eq!(
            Strings::new(false, &o).date(jiff::civil::date(2026, 5, 1)),
            "1. mai 2026"
        );
    }

    #[test]
    fn every_key_rust_and_templates_ask_for_is_in_both_tables() {
        let known: std::collections::BTreeSet<&str> = Strings::known_keys().collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut asked = Vec::new();
        let files = walkdir::WalkDir::new(root.join("src"))
            .into_iter()
            .chain(walkdir::WalkDir::new(root.join("themes")));
        for entry in files {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() || entry.path().ends_with("i18n.rs") {
                continue;
            }
            let mut text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            // Test code asks for wrong keys on purpose.
            if let Some(i) = text.find("#[cfg(test)]") {
                text.truncate(i);
            }
            // Templates read `hearth.i18n.KEY`; Rust asks `strings.get("KEY")`
            // or `.fill("KEY", …)`.
            for pat in ["i18n.", "strings.get(\"", ".fill(\""] {
                for (i, _) in text.match_indices(pat) {
                    let key: String = text[i + pat.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if !key.is_empty() {
                        asked.push((entry.path().display().to_string(), key));
                    }
                }
            }
        }
        let missing: Vec<_> = asked
            .iter()
            .filter(|(_, k)| !known.contains(k.as_str()))
            .collect();
        assert!(missing.is_empty(), "keys not in the table: {missing:?}");
        assert!(asked.len() > 100, "found only {} uses", asked.len());
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let zh: Vec<_> = ZH.iter().map(|(k, _)| *k).collect();
        let en: Vec<_> = EN.iter().map(|(k, _)| *k).collect();
        assert_eq!(zh, en);
    }
}
