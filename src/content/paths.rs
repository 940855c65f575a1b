//! URL paths of content: date prefixes of file names, percent-encoding,
//! and the checks that keep a slug or an alias inside the site. (How a name
//! becomes a URL segment is a text rule: [`crate::text::slugify`].)

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Splits a `2026-11-02-` prefix off a file stem: the date text and the rest.
pub fn date_prefix(stem: &str) -> Option<(&str, &str)> {
    let b = stem.as_bytes();
    if b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b[10] == b'-' || b[10] == b'_')
    {
        Some((&stem[..10], &stem[11..]))
    } else {
        None
    }
}

/// Characters left as they are in URL paths; everything else is percent-encoded.
const PATH_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a URL path (`/活动/` → `/%E6%B4%BB%E5%8A%A8/`).
pub fn encode_path(path: &str) -> String {
    join_encoded("", path)
}

/// `base` followed by `path` percent-encoded: a URL is made for every card
/// and link of every page, so without a formatter or a string in between.
pub fn join_encoded(base: &str, path: &str) -> String {
    let mut url = String::with_capacity(base.len() + path.len() + 8);
    url.push_str(base);
    url.extend(utf8_percent_encode(path, PATH_KEEP));
    url
}

/// Whether a user-written slug is one safe path segment.
pub fn is_safe_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.contains(['/', '\\', '\0', ':'])
        && !s.chars().any(char::is_control)
}

/// Checks a user-written site path (an alias), returning it normalised as
/// `/a/b/` or an explanation.
pub fn clean_site_path(p: &str) -> Result<String, String> {
    let trimmed = p.trim();
    if trimmed.is_empty() {
        return Err("the path is empty".into());
    }
    if trimmed.contains(['\\', '\0', '?', '#']) || trimmed.chars().any(char::is_control) {
        return Err(format!("`{p}` has characters a path cannot have"));
    }
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return Err(format!(
            "`{p}` is a URL; write a path on this site such as /old/page/"
        ));
    }
    let mut segs = Vec::new();
    for seg in trimmed.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(format!("`{p}` climbs out with `..`")),
            s => segs.push(s),
        }
    }
    if segs.is_empty() {
        return Err(format!("`{p}` is the site root"));
    }
    let last = segs.last().copied().unwrap_or("");
    if last.ends_with(".html") || last.ends_with(".htm") {
        Ok(format!("/{}", segs.join("/")))
    } else {
        Ok(format!("/{}/", segs.join("/")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_prefixes_split() {
        assert_eq!(
            date_prefix("2026-11-02-night"),
            Some(("2026-11-02", "night"))
        );
        assert_eq!(date_prefix("2026-11-02"), None);
        assert_eq!(date_prefix("night"), None);
    }

    #[test]
    fn paths_are_encoded_and_checked() {
        assert_eq!(encode_path("/活动/a b/"), "/%E6%B4%BB%E5%8A%A8/a%20b/");
        assert_eq!(clean_site_path("old/page").unwrap(), "/old/page/");
        assert!(clean_site_path("../../etc/passwd").is_err());
        assert!(clean_site_path("https://evil.example/").is_err());
        assert!(!is_safe_segment(".."));
    }
}
