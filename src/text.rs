//! Text rules that must give the same answer wherever they are asked: which
//! characters are CJK, how full-width forms fold, how a name becomes a URL
//! segment and a heading becomes an anchor, how far apart two words are,
//! and how text is escaped for HTML.
//!
//! Each rule had grown a copy in the module that first needed it, and the
//! copies drifted: reading time and search disagreed on whether `々` and
//! `〇` are Chinese, and one edit distance suggested `tier` for `titel`. A
//! rule here is the only one; `tests/fixtures/text-vectors.json` pins the
//! CJK class and the search tokenizer built on it, and
//! `tools/check-text-vectors.mjs` checks the browser's copy in
//! `themes/default/static/search.js` against the same vectors.
//!
//! Ground floor: this module imports nothing of Hearth.

/// Whether `c` is written without spaces between words: Han (with the
/// iteration mark `々` and the ideographic zero `〇`, as in 人々 and
/// 二〇二六), kana, Hangul syllables and the CJK extensions up to G.
///
/// Reading time counts these one word per character, and search indexes
/// them by character pairs instead of by words; both ask here, and the
/// search script mirrors this list exactly.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005 | 0x3007 | 0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Full-width ASCII (`Ｂｅｒｌｉｎ`, `２０２６`) as ASCII and the ideographic
/// space as a space: Chinese input methods produce both, and a reader may
/// type either form of what a page wrote in the other.
pub fn fold(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// How a name becomes one word of a URL or an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slug {
    /// A URL segment from a file, folder or tag name: every run of other
    /// characters is one dash, so `don't` stays two words (`don-t`), and
    /// only ASCII is lowercased, so a URL keeps the case a name was
    /// written in.
    Url,
    /// A heading's anchor, the way GitHub makes them so that a link written
    /// for the repository works on the site: spaces, `-`, `.` and `/`
    /// separate words, other punctuation is dropped (`dont`), and every
    /// letter is lowercased.
    Anchor,
}

/// Letters, digits and `_` of every script kept (`读书会` stays `读书会`),
/// words joined with single dashes, never a leading or trailing dash.
fn slug_with(text: &str, style: Slug) -> String {
    let mut s = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            if dash && !s.is_empty() {
                s.push('-');
            }
            dash = false;
            match style {
                Slug::Url if !c.is_ascii() => s.push(c),
                Slug::Url => s.push(c.to_ascii_lowercase()),
                Slug::Anchor => s.extend(c.to_lowercase()),
            }
        } else {
            dash |= match style {
                Slug::Url => !c.is_control(),
                Slug::Anchor => c.is_whitespace() || matches!(c, '-' | '.' | '/'),
            };
        }
    }
    s
}

/// A URL segment from a file, folder or tag name (`Reading Night` →
/// `reading-night`, `读书会 第1期` → `读书会-第1期`), or `None` when no
/// letter or digit is left: Chinese names never collapse to an empty or
/// shared slug, and the caller asks for an explicit one instead.
pub fn slugify(name: &str) -> Option<String> {
    let s = slug_with(name, Slug::Url);
    if s.is_empty() { None } else { Some(s) }
}

/// A heading's anchor id (`活动规则` stays `活动规则`, `Don't panic` →
/// `dont-panic`), `section` when nothing is left: GitHub's rule, so links
/// such as `rules.md#be-kind` mean the same on GitHub and on the site.
pub fn anchor(heading: &str) -> String {
    let s = slug_with(heading, Slug::Anchor);
    if s.is_empty() { "section".into() } else { s }
}

/// A heading's anchor id as GitHub makes it (its documented algorithm,
/// the one `github-slugger` implements): lowercase; remove every character
/// that is not a letter, a combining mark, a number, connector punctuation
/// (`_`), `-` or a space; then each space becomes `-` (so `a  b` is
/// `a--b`, and `🎉 Party` is `-party`). Nothing is ever added: an empty
/// result stays empty, as on GitHub.
///
/// Repository mode uses it instead of [`anchor`] because the Markdown was
/// written against GitHub: `#motivation-objective` for `Motivation/Objective`
/// must be the id the site gives it, and combining marks (the Devanagari
/// virama `्`, the Tamil pulli `்`) are part of a word there, not
/// separators. Duplicates are made unique by the caller (`-1`, `-2`, …).
pub fn github_anchor(heading: &str) -> String {
    use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};
    let mut s = String::with_capacity(heading.len());
    for c in heading.trim().chars().flat_map(char::to_lowercase) {
        if c == ' ' || c == '-' {
            s.push('-');
            continue;
        }
        let keep = matches!(
            c.general_category_group(),
            GeneralCategoryGroup::Letter
                | GeneralCategoryGroup::Mark
                | GeneralCategoryGroup::Number
        ) || c.general_category() == GeneralCategory::ConnectorPunctuation;
        if keep {
            s.push(c);
        }
    }
    s
}

/// The edit distance between two strings, in characters, counting a swap
/// of two neighbours as one edit (optimal string alignment).
///
/// Typos are mostly swapped letters: plain Levenshtein counts `titel` two
/// edits from both `title` and `tier` and suggested `tier`; with swaps it
/// is one edit from `title`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let n = b.len();
    // Three rows: the current one, the previous, and the one before (swaps).
    let mut before: Vec<usize> = vec![0; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur = vec![0; n + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n]
}

/// A key that sorts titles as their readers would: Chinese characters by
/// their pinyin (a reader looks for 活动 under h, not at code point 6D3B),
/// letters without regard to case. Compare keys, then the titles
/// themselves, for a total order.
pub fn collation_key(title: &str) -> String {
    use pinyin::ToPinyin;
    let mut key = String::with_capacity(title.len() * 2);
    for c in title.chars() {
        match c.to_pinyin() {
            Some(p) => {
                key.push_str(p.plain());
                // A separator below every letter keeps "xi an" (西安)
                // before "xian" (先).
                key.push('\u{1}');
            }
            None => key.extend(c.to_lowercase()),
        }
    }
    key
}

/// Escapes text for HTML, in element content and in attribute values
/// alike (`&`, `<`, `>`, `"` and `'`): one function for both, so a value
/// never reaches an attribute escaped for text only. The result is valid
/// XML too (`&#39;` is a character reference in both), so feeds and
/// sitemaps use it as well.
pub fn escape_html(s: &str) -> String {
    escape(s, true)
}

/// Escapes element content only (`&`, `<`, `>`), leaving quotes as written:
/// for code blocks, where `"` and `'` are the common case and must read as
/// themselves in the page source too.
pub fn escape_html_text(s: &str) -> String {
    escape(s, false)
}

/// The one escaper behind both: `quotes` adds `"` and `'`.
fn escape(s: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quotes => out.push_str("&quot;"),
            '\'' if quotes => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The shared vectors; the search tokenizer's are checked in
    /// `search.rs`, the browser's in `tools/check-text-vectors.mjs`.
    fn vectors() -> Value {
        serde_json::from_str(include_str!("../tests/fixtures/text-vectors.json"))
            .expect("text-vectors.json is JSON")
    }

    fn str_of(v: &Value) -> &str {
        v.as_str().expect("a string")
    }

    #[test]
    fn cjk_class_matches_the_vectors() {
        for case in vectors()["is_cjk"].as_array().unwrap() {
            let text = str_of(&case["char"]);
            let c = text.chars().next().unwrap();
            assert_eq!(text.chars().count(), 1, "{text}");
            assert_eq!(
                is_cjk(c),
                case["cjk"].as_bool().unwrap(),
                "{text} (U+{:04X}): {}",
                c as u32,
                case["why"]
            );
        }
    }

    #[test]
    fn slugs_and_anchors_match_the_vectors() {
        let v = vectors();
        for case in v["slugify"].as_array().unwrap() {
            let want = case[1].as_str();
            assert_eq!(slugify(str_of(&case[0])).as_deref(), want, "{case}");
        }
        for case in v["anchor"].as_array().unwrap() {
            assert_eq!(anchor(str_of(&case[0])), str_of(&case[1]), "{case}");
        }
        for case in v["github_anchor"].as_array().unwrap() {
            assert_eq!(github_anchor(str_of(&case[0])), str_of(&case[1]), "{case}");
        }
    }

    #[test]
    fn edit_distance_matches_the_vectors_and_is_symmetric() {
        for case in vectors()["edit_distance"].as_array().unwrap() {
            let (a, b) = (str_of(&case[0]), str_of(&case[1]));
            let want = case[2].as_u64().unwrap() as usize;
            assert_eq!(edit_distance(a, b), want, "{a} → {b}");
            assert_eq!(edit_distance(b, a), want, "{b} → {a}");
        }
    }

    #[test]
    fn escaping_matches_the_vectors() {
        for case in vectors()["escape"].as_array().unwrap() {
            let text = str_of(&case["text"]);
            assert_eq!(escape_html(text), str_of(&case["html"]), "{text}");
            assert_eq!(escape_html_text(text), str_of(&case["html_text"]), "{text}");
        }
    }

    #[test]
    fn fold_maps_full_width_forms_only() {
        let folded: String = "Ｂｅｒｌｉｎ　２０２６，读书".chars().map(fold).collect();
        assert_eq!(folded, "Berlin 2026,读书");
    }
}
