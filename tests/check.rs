//! `hearth check` on a copy of the example site with typical contributor
//! mistakes planted: each is reported at its line with a fix, and nothing else.

mod common;

use common::*;

/// One planted mistake: in `file`, replace `from` with `to`; expect `code` on
/// the line where `marker` ends up.
struct Mistake {
    file: &'static str,
    from: &'static str,
    to: &'static str,
    marker: &'static str,
    code: &'static str,
}

const MISTAKES: &[Mistake] = &[
    // A typo in a field name.
    Mistake {
        file: "content/members/zhou-yutong.md",
        from: "[[showcase]]",
        to: "chaptr = \"shanghai\"\n\n[[showcase]]",
        marker: "chaptr",
        code: "H0203",
    },
    // An unclosed `+++`.
    Mistake {
        file: "content/news/2026-05-06-new-logo.md",
        from: "\n+++\n",
        to: "\n\n",
        marker: "+++",
        code: "H0201",
    },
    // A date that does not exist.
    Mistake {
        file: "content/news/2026-11-20-reading-festival-2026.md",
        from: "updated = 2026-11-22",
        to: "updated = 2026-13-01",
        marker: "updated =",
        code: "H0206",
    },
    // A link to a page that moved.
    Mistake {
        file: "content/faq.md",
        from: "[加入我们](@/join.md#成为会员)",
        to: "[加入我们](@/joining.md#成为会员)",
        marker: "@/joining.md",
        code: "H0301",
    },
    // An anchor that does not exist.
    Mistake {
        file: "content/faq.md",
        from: "(rules.md#rule-2)",
        to: "(rules.md#rule-22)",
        marker: "rule-22",
        code: "H0302",
    },
    // A member id that does not exist.
    Mistake {
        file: "data/meetings.yaml",
        from: "- song-wenjie\n",
        to: "- song-wenjei\n",
        marker: "song-wenjei",
        code: "H0403",
    },
    // A chapter that does not exist.
    Mistake {
        file: "data/meetings.yaml",
        from: "- id: online\n",
        to: "- id: onlin\n",
        marker: "onlin",
        code: "H0404",
    },
    // A photo that is missing.
    Mistake {
        file: "content/activities/2026-09-26-zine-workshop/index.md",
        from: "{ file = \"photo-2.jpg\"",
        to: "{ file = \"photo-3.jpg\"",
        marker: "photo-3.jpg",
        code: "H0304",
    },
    // A photo without alt text (a warning).
    Mistake {
        file: "content/activities/2026-09-26-zine-workshop/index.md",
        from: "{ file = \"photo-1.jpg\", alt = \"长桌上摊开的彩色纸张、剪刀、胶棒和旧杂志\" }",
        to: "{ file = \"photo-1.jpg\" }",
        marker: "photo-1.jpg",
        code: "H0305",
    },
    // An unknown role.
    Mistake {
        file: "data/members.csv",
        from: "organizer,chengdu,2023-09-09",
        to: "organiser,chengdu,2023-09-09",
        marker: "organiser",
        code: "H0405",
    },
    // An unknown tier.
    Mistake {
        file: "content/news/2026-02-20-berlin-chapter.md",
        from: "+++\ntitle",
        to: "+++\ntier = \"members\"\ntitle",
        marker: "tier = \"members\"",
        code: "H0401",
    },
    // A string without its closing quote.
    Mistake {
        file: "content/values.md",
        from: "title = \"",
        to: "title = ",
        marker: "title = ",
        code: "H0202",
    },
    // An activity whose event is not an event page.
    Mistake {
        file: "content/activities/2026-09-26-zine-workshop/index.md",
        from: "event = \"@/events/zine-workshop.md\"",
        to: "event = \"@/events/zine.md\"",
        marker: "@/events/zine.md",
        code: "H0406",
    },
    // A UI string the theme does not know (a warning, on its line of hearth.toml).
    Mistake {
        file: "hearth.toml",
        from: "[extra]",
        to: "[strings]\nread_mroe = \"继续阅读\"\n\n[extra]",
        marker: "read_mroe",
        code: "H0102",
    },
    // A brand colour too light to read as text (a warning).
    Mistake {
        file: "hearth.toml",
        from: "accent = \"#a0621a\"",
        to: "accent = \"#f5c623\"",
        marker: "accent = ",
        code: "H0104",
    },
];

fn line_of(text: &str, marker: &str) -> usize {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("marker {marker:?} not found"));
    text[..at].matches('\n').count() + 1
}

#[test]
fn example_site_is_clean() {
    let o = hearth()
        .arg("check")
        .arg(example_site())
        .args(["--deny-warnings"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn planted_mistakes_are_each_reported_at_their_line_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&example_site(), &site);
    let mut expected = Vec::new();
    for m in MISTAKES {
        let path = site.join(m.file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(m.from), "{}: {:?} not found", m.file, m.from);
        let changed = text.replacen(m.from, m.to, 1);
        std::fs::write(&path, &changed).unwrap();
        expected.push((m.file.to_string(), m.marker, m.code));
    }
    // Lines are computed on the final files, after every mistake is in place.
    let mut expected: Vec<(String, usize, String)> = expected
        .into_iter()
        .map(|(file, marker, code)| {
            let text = std::fs::read_to_string(site.join(&file)).unwrap();
            let line = if code == "H0201" {
                1
            } else {
                line_of(&text, marker)
            };
            (file, line, code.to_string())
        })
        .collect();
    expected.sort();

    let o = hearth()
        .current_dir(&site)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let diags: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut got: Vec<(String, usize, String)> = diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap() as usize,
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, expected, "diagnostics: {diags:#?}");
    for d in &diags {
        let help = d["help"].as_str().unwrap_or("");
        assert!(!help.is_empty(), "every diagnostic suggests a fix: {d}");
        assert!(
            d["col"].as_u64().unwrap() >= 1,
            "every diagnostic has a column: {d}"
        );
    }
    // Suggestions that name the likely intent.
    let help_of = |code: &str| {
        diags.iter().find(|d| d["code"] == code).unwrap()["help"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(help_of("H0203"), "did you mean `chapter`?");
    assert_eq!(help_of("H0403"), "did you mean \"song-wenjie\"?");
    assert_eq!(help_of("H0405"), "did you mean \"organizer\"?");
    assert_eq!(help_of("H0401"), "did you mean \"member\"?");
    assert_eq!(help_of("H0102"), "did you mean `read_more`?");
}
