//! UI strings and date formats in the site's language.
//!
//! Chinese and English are built in; `[strings]` in `hearth.toml` overrides
//! any key, so a Traditional Chinese or bilingual hub can reword the theme
//! without copying templates.

use std::collections::BTreeMap;

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
    ("items", "{n} 篇"),
    ("powered_by", "由 Hearth 生成"),
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
    ("items", "{n} items"),
    ("powered_by", "Built with Hearth"),
];

/// The UI strings for a language, with the site's overrides applied.
#[derive(Debug, Clone)]
pub struct Strings {
    map: BTreeMap<String, String>,
    chinese: bool,
}

impl Strings {
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
        Strings { map, chinese }
    }

    /// Every string, for the template context.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.map
    }

    /// The keys the theme knows, to warn about misspelt overrides.
    pub fn known_keys() -> impl Iterator<Item = &'static str> {
        EN.iter().map(|(k, _)| *k)
    }

    /// A string with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self
            .map
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string());
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// A date as people write it: `2026年11月2日` or `2 Nov 2026`.
    pub fn date(&self, d: jiff::civil::Date) -> String {
        if self.chinese {
            format!("{}年{}月{}日", d.year(), d.month(), d.day())
        } else {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!(
                "{} {} {}",
                d.day(),
                MONTHS[(d.month() - 1) as usize],
                d.year()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let zh: Vec<_> = ZH.iter().map(|(k, _)| *k).collect();
        let en: Vec<_> = EN.iter().map(|(k, _)| *k).collect();
        assert_eq!(zh, en);
    }
}
