//! Data files whose records become pages: a member list exported from a
//! spreadsheet, a YAML file of groups and their meetings, a JSON list of
//! recaps (`[[data]]` in `hearth.toml`).
//!
//! Each record is turned into the same thing a Markdown file is turned
//! into: a [`RawFile`] whose front matter is a spanned [`Node`] table and
//! whose body is Markdown. Everything after that (kinds, tiers, tags,
//! search, feeds, calendars, `@/` links) is the ordinary page pipeline, so
//! a generated page can never behave differently from a written one. The
//! record keeps its own text and line number in the data file, so a bad
//! value is reported at the data file's line and column, with the field.
//!
//! Why a CSV reader of our own rather than the `csv` crate: the crate gives
//! a field's bytes after unquoting, not where they are in the file, and a
//! contributor needs the row and column of a bad cell.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::walk::{Origin, RawFile};
use crate::config::{Config, DataSource};
use crate::diagnostics::{Diagnostic, Related, SourceText, codes, did_you_mean};
use crate::spanned::{self, Key, Node, NodeKind, Span};

/// Front-matter fields that hold lists: a CSV cell `organizer; translator`
/// becomes `["organizer", "translator"]` for these.
const LIST_FIELDS: &[&str] = &["tags", "roles", "hosts", "aliases", "organizers", "exdates"];
/// Front-matter fields that hold integers.
const INT_FIELDS: &[&str] = &["weight", "paginate_by"];

/// What the data files add to a load.
#[derive(Default)]
pub(super) struct DataPages {
    /// One page per record, and a section index for each section a source
    /// makes that has no `_index.md`, by content-relative path.
    pub(super) raws: Vec<RawFile>,
    /// Content-relative folders the pages go in (each with its parents).
    pub(super) dirs: Vec<String>,
    /// The data files read, site-relative, for `serve` to watch.
    pub(super) files: Vec<String>,
}

/// Reads every `[[data]]` source of `config` (paths relative to `root`).
pub(super) fn load(root: &Path, config: &Config, diags: &mut Vec<Diagnostic>) -> DataPages {
    let mut out = DataPages::default();
    let mut seen: HashMap<String, Related> = HashMap::new();
    for source in &config.data {
        out.files.push(source.file.value.clone());
        let Some(text) = read(root, config, source, diags) else {
            continue;
        };
        let Some(tree) = parse(&text, source, config, diags) else {
            continue;
        };
        let file = source.file.value.trim_start_matches("./").to_string();
        let records = match select(&tree, source) {
            Ok(r) => r,
            Err(why) => {
                let at = source
                    .records
                    .as_ref()
                    .map_or(&source.file.span, |r| &r.span);
                diags.push(
                    config
                        .place(
                            Diagnostic::error(crate::config::FILE, codes::DATA_INVALID, why),
                            at,
                        )
                        .with_help("`records` names the list in the file: `groups`, or `groups[].meetings` for a list inside each group"),
                );
                continue;
            }
        };
        let src = SourceText::new(&text);
        let known = known_fields(source.kind.as_ref().map(|k| k.value.as_str()));
        let mut sections_made: Vec<(String, Option<String>)> = Vec::new();
        for (record, parent) in records {
            let Some(page) = record_page(&text, &src, &file, source, &known, record, parent, diags)
            else {
                continue;
            };
            let at = name_span(source, record, parent);
            let here = src.locate(at.start).line;
            if let Some(first) = seen.get(&page.raw.rel) {
                let d = Diagnostic::error(
                    &file,
                    codes::DATA_INVALID,
                    format!(
                        "two records make the page `{}`: this one and the one at {}:{}",
                        page.raw.rel, first.file, first.line
                    ),
                )
                .at(&src, at.clone())
                .with_related(first.clone())
                .with_help(
                    "give each record its own id (or set `slug` in [[data]] to fields that differ)",
                );
                diags.push(d);
                continue;
            }
            seen.insert(
                page.raw.rel.clone(),
                Related::new(
                    &file,
                    format!(
                        "the first record that makes `{}` (line {here})",
                        page.raw.rel
                    ),
                )
                .at(&src, at),
            );
            if !sections_made.iter().any(|(d, _)| *d == page.section) {
                sections_made.push((page.section.clone(), page.section_title.clone()));
            }
            out.raws.push(page.raw);
        }
        for (dir, title) in sections_made {
            for d in parents(&dir) {
                if !out.dirs.contains(&d) {
                    out.dirs.push(d);
                }
            }
            out.raws.push(section_index(&dir, title, source, &file));
        }
    }
    out
}

/// The data file's text, BOM removed.
fn read(
    root: &Path,
    config: &Config,
    source: &DataSource,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let rel = &source.file.value;
    let bad = rel.split('/').any(|s| s == "..") || Path::new(rel).is_absolute();
    let result = if bad {
        Err("the path leaves the site folder".to_string())
    } else {
        std::fs::read(root.join(rel))
            .map_err(|e| e.to_string())
            .and_then(|b| {
                String::from_utf8(b)
                    .map_err(|e| format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()))
            })
    };
    match result {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.replace_range(..3, "");
            }
            Some(text)
        }
        Err(e) => {
            diags.push(
                config
                    .place(
                        Diagnostic::error(
                            crate::config::FILE,
                            codes::DATA_INVALID,
                            format!("cannot read data file `{rel}`: {e}"),
                        ),
                        &source.file.span,
                    )
                    .with_help("write the path from the site folder, e.g. \"data/members.csv\", and save the file as UTF-8"),
            );
            None
        }
    }
}

/// The file as a spanned tree: CSV and TSV as a list of rows (tables keyed
/// by the header), YAML and JSON (JSON is YAML) and TOML as written.
fn parse(
    text: &str,
    source: &DataSource,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    let file = source.file.value.as_str();
    let ext = file.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let result = match ext.as_str() {
        "csv" => csv(text, b','),
        "tsv" => csv(text, b'\t'),
        "yaml" | "yml" | "json" => {
            spanned::parse_yaml_document(text).map_err(|e| e.into_iter().next())
        }
        "toml" => spanned::parse_toml(text).map_err(|e| e.into_iter().next()),
        _ => {
            diags.push(
                config
                    .place(
                        Diagnostic::error(
                            crate::config::FILE,
                            codes::DATA_INVALID,
                            format!("data file `{file}` is not CSV, TSV, YAML, JSON or TOML"),
                        ),
                        &source.file.span,
                    )
                    .with_help(
                        "name it with its format's extension: .csv, .tsv, .yaml, .json or .toml",
                    ),
            );
            return None;
        }
    };
    match result {
        Ok(node) => Some(node),
        Err(e) => {
            let (message, span) =
                e.map_or(("cannot be read".into(), 0..0), |e| (e.message, e.span));
            diags.push(
                Diagnostic::error(
                    file,
                    codes::DATA_INVALID,
                    format!("invalid {ext}: {message}"),
                )
                .at(&SourceText::new(text), span)
                .with_help("fix the file's syntax at this line"),
            );
            None
        }
    }
}

/// A CSV (or TSV) file as a list of tables: the first row names the
/// columns; quoted fields may hold the separator, `""` and line breaks;
/// CRLF and LF both end a row; empty rows (a spreadsheet's trailing ones)
/// are skipped. Every cell keeps its span, quotes included.
fn csv(text: &str, sep: u8) -> Result<Node, Option<spanned::SyntaxError>> {
    let rows = csv_rows(text, sep)?;
    let mut rows = rows.into_iter();
    let Some(header) = rows.next() else {
        return Ok(Node {
            kind: NodeKind::Array(Vec::new()),
            span: 0..0,
        });
    };
    let names: Vec<Key> = header
        .cells
        .iter()
        .map(|(v, s)| Key {
            name: v.trim().to_string(),
            span: s.clone(),
        })
        .collect();
    let mut items = Vec::new();
    for row in rows {
        let mut entries = Vec::new();
        for (i, (value, span)) in row.cells.into_iter().enumerate() {
            let key = names.get(i).cloned().unwrap_or(Key {
                name: format!("column {}", i + 1),
                span: span.clone(),
            });
            entries.push((
                key,
                Node {
                    kind: NodeKind::Str(value),
                    span,
                },
            ));
        }
        items.push(Node {
            kind: NodeKind::Table(entries),
            span: row.span,
        });
    }
    Ok(Node {
        kind: NodeKind::Array(items),
        span: 0..text.len(),
    })
}

/// One row of a CSV file.
struct Row {
    cells: Vec<(String, Span)>,
    span: Span,
}

fn csv_rows(text: &str, sep: u8) -> Result<Vec<Row>, Option<spanned::SyntaxError>> {
    let b = text.as_bytes();
    let mut rows = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let row_start = i;
        let mut cells = Vec::new();
        loop {
            let cell_start = i;
            let mut value = String::new();
            if i < b.len() && b[i] == b'"' {
                i += 1;
                let mut piece = i;
                loop {
                    match b.get(i) {
                        None => {
                            return Err(Some(spanned::SyntaxError {
                                message: "a quoted field is never closed".into(),
                                span: cell_start..cell_start + 1,
                            }));
                        }
                        Some(b'"') if b.get(i + 1) == Some(&b'"') => {
                            value.push_str(&text[piece..=i]);
                            i += 2;
                            piece = i;
                        }
                        Some(b'"') => {
                            value.push_str(&text[piece..i]);
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                // Anything between the closing quote and the separator is kept.
                let rest = i;
                while i < b.len() && b[i] != sep && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                value.push_str(&text[rest..i]);
            } else {
                while i < b.len() && b[i] != sep && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                value.push_str(&text[cell_start..i]);
            }
            let value = value.replace("\r\n", "\n");
            cells.push((value, cell_start..i));
            if i < b.len() && b[i] == sep {
                i += 1;
                continue;
            }
            break;
        }
        let row_end = i;
        if i < b.len() && b[i] == b'\r' {
            i += 1;
        }
        if i < b.len() && b[i] == b'\n' {
            i += 1;
        }
        if cells.iter().any(|(v, _)| !v.trim().is_empty()) {
            rows.push(Row {
                cells,
                span: row_start..row_end,
            });
        }
    }
    Ok(rows)
}

/// The records `source.records` names, each with the record it is inside
/// (`groups[].meetings`: each meeting, with its group).
fn select<'t>(
    tree: &'t Node,
    source: &DataSource,
) -> Result<Vec<(&'t Node, Option<&'t Node>)>, String> {
    let path = source
        .records
        .as_ref()
        .map(|r| r.value.as_str())
        .unwrap_or("");
    let mut current: Vec<(&Node, Option<&Node>)> = vec![(tree, None)];
    for seg in path.split('.').filter(|s| !s.is_empty()) {
        let (name, each) = match seg.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (seg, false),
        };
        let mut next = Vec::new();
        for (node, parent) in current {
            let child = node.get(name).ok_or_else(|| {
                let keys: Vec<&str> = node
                    .entries()
                    .iter()
                    .map(|(k, _)| k.name.as_str())
                    .collect();
                match did_you_mean(name, keys.iter().copied()) {
                    Some(k) => format!("the data has no `{name}` (did you mean `{k}`?)"),
                    None => format!("the data has no `{name}`; it has: {}", keys.join(", ")),
                }
            });
            let child = match child {
                Ok(c) => c,
                // A group without meetings has none, not an error.
                Err(_) if parent.is_some() || !next.is_empty() => continue,
                Err(e) => return Err(e),
            };
            if each {
                match &child.kind {
                    NodeKind::Array(items) => next.extend(items.iter().map(|i| (i, Some(i)))),
                    _ => return Err(format!("`{name}` is not a list")),
                }
            } else {
                next.push((child, parent));
            }
        }
        current = next;
    }
    let mut records = Vec::new();
    for (node, parent) in current {
        match &node.kind {
            NodeKind::Array(items) => records.extend(items.iter().map(|i| (i, parent))),
            NodeKind::Table(_) if path.ends_with("[]") => records.push((node, parent)),
            _ => {
                return Err(if path.is_empty() {
                    "the file is not a list of records; set `records` to the list inside it".into()
                } else {
                    format!("`{path}` is not a list of records")
                });
            }
        }
    }
    Ok(records)
}

/// The front-matter fields a page of `kind` has: written record fields
/// with these names are front matter; any other goes to `extra`. With no
/// `kind`, the section decides the kind (`events/` holds events), so a
/// field of any kind is front matter, as it would be in a Markdown file.
fn known_fields(kind: Option<&str>) -> Vec<&'static str> {
    use super::frontmatter::{ActivityFm, ChapterFm, EventFm, MemberFm, PageFm};
    let mut f: Vec<&'static str> = spanned::struct_fields::<PageFm>().to_vec();
    let kinds: &[&[&'static str]] = match kind {
        Some("event") => &[spanned::struct_fields::<EventFm>()],
        Some("activity") => &[spanned::struct_fields::<ActivityFm>()],
        Some("member") => &[spanned::struct_fields::<MemberFm>()],
        Some("chapter") => &[spanned::struct_fields::<ChapterFm>()],
        Some(_) => &[],
        None => &[
            spanned::struct_fields::<EventFm>(),
            spanned::struct_fields::<ActivityFm>(),
            spanned::struct_fields::<MemberFm>(),
            spanned::struct_fields::<ChapterFm>(),
        ],
    };
    for k in kinds {
        for name in k.iter() {
            if !f.contains(name) {
                f.push(name);
            }
        }
    }
    f
}

/// One record's page.
struct RecordPage {
    raw: RawFile,
    section: String,
    section_title: Option<String>,
}

/// The text of field `name` of a record (`parent.name`: of the record it
/// is inside), for slugs, titles and section names.
fn field_text(record: &Node, parent: Option<&Node>, name: &str) -> Option<String> {
    let (node, name) = match name.strip_prefix("parent.") {
        Some(n) => (parent?, n),
        None => (record, name),
    };
    match &node.get(name)?.kind {
        NodeKind::Str(s) | NodeKind::Datetime(s) => Some(s.trim().to_string()),
        NodeKind::Int(i) => Some(i.to_string()),
        NodeKind::Float(f) => Some(f.to_string()),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// `{field}` and `{parent.field}` filled in from the record; `None` when a
/// named field is missing.
fn fill(template: &str, record: &Node, parent: Option<&Node>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else {
            return Err(format!("`{template}` has a `{{` without `}}`"));
        };
        let name = &rest[i + 1..i + j];
        out.push_str(
            &field_text(record, parent, name)
                .ok_or_else(|| format!("the record has no `{name}`"))?,
        );
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Why a record cannot fill a `defaults` template: the message, where
/// (a cell, or the record), and the fix.
type FillError = (String, Option<Span>, String);

/// A `defaults` template filled in from the record, each field's text
/// mapped through its `values` table (so `{day}` with
/// `[data.values.day]` gives a date, even when `fields` drops `day` from
/// the page), with where the first field named is written (the place a
/// bad result is reported at).
fn fill_mapped(
    template: &str,
    record: &Node,
    parent: Option<&Node>,
    source: &DataSource,
) -> Result<(String, Option<Span>), FillError> {
    let mut out = String::new();
    let mut at = None;
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else {
            return Err((
                format!("`{template}` has a `{{` without `}}`"),
                None,
                "close each `{field}` in the template".into(),
            ));
        };
        let name = &rest[i + 1..i + j];
        let (node, field) = match name.strip_prefix("parent.") {
            Some(n) => (parent, n),
            None => (Some(record), name),
        };
        let span = node.and_then(|n| n.get(field)).map(|n| n.span.clone());
        let text = field_text(record, parent, name).ok_or_else(|| {
            (
                format!("the record has no `{name}`, which the template `{template}` in [data.defaults] needs"),
                None,
                format!("give every record a `{name}`, or write the field the template makes in the record"),
            )
        })?;
        let table = match source.fields.get(name).map(String::as_str) {
            Some(t) if !t.is_empty() => t,
            _ => name,
        };
        let text = match source.values.get(table) {
            Some(map) => match map.get(&text) {
                Some(v) => v.clone(),
                None if map.values().any(|v| *v == text) => text,
                None => {
                    let help = match did_you_mean(&text, map.keys().map(String::as_str)) {
                        Some(m) => format!(
                            "did you mean \"{m}\"? Or add `\"{text}\" = \"…\"` to [data.values.{table}] in hearth.toml"
                        ),
                        None => format!(
                            "add `\"{text}\" = \"…\"` to [data.values.{table}] in hearth.toml (it knows: {})",
                            map.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    };
                    return Err((
                        format!(
                            "`{text}` in `{name}` is not one of the values [data.values.{table}] maps"
                        ),
                        span,
                        help,
                    ));
                }
            },
            None => text,
        };
        if at.is_none() {
            at = span;
        }
        out.push_str(&text);
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    Ok((out, at))
}

/// Front matter with dotted names (`location.url`, `links.github`, from
/// `fields`) as the nested tables they name.
fn nest(entries: Vec<(Key, Node)>) -> Vec<(Key, Node)> {
    let mut out: Vec<(Key, Node)> = Vec::new();
    for (k, v) in entries {
        insert_path(&mut out, &k.name, k.span.clone(), v);
    }
    out
}

fn insert_path(table: &mut Vec<(Key, Node)>, name: &str, span: Span, value: Node) {
    let Some((head, tail)) = name.split_once('.') else {
        table.push((
            Key {
                name: name.to_string(),
                span,
            },
            value,
        ));
        return;
    };
    let i = match table.iter().position(|(k, _)| k.name == head) {
        Some(i) => i,
        None => {
            table.push((
                Key {
                    name: head.to_string(),
                    span: span.clone(),
                },
                Node {
                    kind: NodeKind::Table(Vec::new()),
                    span: span.clone(),
                },
            ));
            table.len() - 1
        }
    };
    if let NodeKind::Table(inner) = &mut table[i].1.kind {
        insert_path(inner, tail, span, value);
    }
}

#[allow(clippy::too_many_arguments)]
fn record_page(
    text: &str,
    src: &SourceText<'_>,
    file: &str,
    source: &DataSource,
    known: &[&str],
    record: &Node,
    parent: Option<&Node>,
    diags: &mut Vec<Diagnostic>,
) -> Option<RecordPage> {
    // The record's own lines: diagnostics show them with the file's numbers.
    // A TOML `[[table]]`'s own span is its header: the fields are below.
    // A meeting's fields taken from its group (`parent.tz`) are reported
    // where the group writes them, so the slice reaches back to them.
    let mut whole = extent(record);
    if let Some(p) = parent {
        let templates = source.defaults.values().filter_map(|v| v.as_str());
        let named = source
            .fields
            .keys()
            .filter_map(|k| k.strip_prefix("parent."))
            .map(str::to_string)
            .chain(templates.flat_map(|t| {
                t.split('{')
                    .skip(1)
                    .filter_map(|x| x.split_once('}'))
                    .filter_map(|(n, _)| n.strip_prefix("parent.").map(str::to_string))
                    .collect::<Vec<_>>()
            }));
        for name in named {
            if let Some((k, v)) = p.entries().iter().find(|(k, _)| k.name == name) {
                whole.start = whole.start.min(k.span.start);
                whole.end = whole.end.max(extent(v).end);
            }
        }
    }
    let start = src.line_start(src.locate(whole.start).line);
    let end = src.locate(whole.end.max(whole.start)).line_end;
    let slice = &text[start..end.max(start)];
    let first_line = src.locate(start).line;
    let place = |span: &Span| -> Span {
        if span.start >= start && span.end <= end && span.start <= span.end {
            span.start - start..span.end - start
        } else {
            0..0
        }
    };
    let error = |message: String, span: &Span, help: &str| {
        Diagnostic::error(file, codes::DATA_INVALID, message)
            .at(src, span.clone())
            .with_help(help.to_string())
    };
    if !matches!(record.kind, NodeKind::Table(_)) {
        diags.push(error(
            "a record is not a table of fields".into(),
            &record.span,
            "write each record as `field: value` pairs (a row of a CSV file, a mapping in YAML)",
        ));
        return None;
    }
    let title_field = source.title.as_deref().unwrap_or("title");
    let title = field_text(record, parent, title_field).or_else(|| {
        (source.title.is_none())
            .then(|| field_text(record, parent, "name"))
            .flatten()
    });
    let body_field = source.body.as_deref();
    let mut entries: Vec<(Key, Node)> = Vec::new();
    let key = |name: &str, span: Span| Key {
        name: name.to_string(),
        span,
    };
    if let Some(kind) = &source.kind {
        entries.push((key("kind", 0..0), str_node(&kind.value, 0..0)));
    }
    let mut extra: Vec<(Key, Node)> = Vec::new();
    let mut mapped: Vec<(&str, &Node, &Key)> = Vec::new();
    for (k, v) in record.entries() {
        if Some(k.name.as_str()) == body_field {
            continue;
        }
        let target = source
            .fields
            .get(&k.name)
            .map(String::as_str)
            .unwrap_or(&k.name);
        if target.is_empty() {
            continue;
        }
        mapped.push((target, v, k));
    }
    for (from, to) in &source.fields {
        if let Some(name) = from.strip_prefix("parent.")
            && let Some(p) = parent
            && let Some(v) = p.get(name)
            && !to.is_empty()
        {
            let k = p
                .entries()
                .iter()
                .find(|(k, _)| k.name == name)
                .map(|(k, _)| k);
            if let Some(k) = k {
                mapped.push((to, v, k));
            }
        }
    }
    let mut bad = false;
    for (target, value, k) in mapped {
        // An empty cell is an absent field.
        if matches!(&value.kind, NodeKind::Str(s) if s.trim().is_empty())
            || value.kind == NodeKind::Null
        {
            continue;
        }
        let mut value = value.clone();
        if let Some(map) = source.values.get(target)
            && let NodeKind::Str(s) = &value.kind
        {
            match map.get(s.trim()) {
                Some(to) => value.kind = NodeKind::Str(to.clone()),
                None if map.values().any(|v| v == s.trim()) => {}
                None => {
                    let help = match did_you_mean(s.trim(), map.keys().map(String::as_str)) {
                        Some(m) => format!(
                            "did you mean \"{m}\"? Or add `\"{}\" = \"…\"` to [data.values.{target}] in hearth.toml",
                            s.trim()
                        ),
                        None => format!(
                            "add `\"{}\" = \"…\"` to [data.values.{target}] in hearth.toml (it knows: {})",
                            s.trim(),
                            map.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    };
                    diags.push(error(
                        format!(
                            "`{}` in `{}` is not one of the values [data.values.{target}] maps",
                            s.trim(),
                            k.name
                        ),
                        &value.span,
                        &help,
                    ));
                    bad = true;
                    continue;
                }
            }
        }
        let value = typed(target, value);
        let value = rebase(value, &place);
        let k = Key {
            name: target.to_string(),
            span: place(&k.span),
        };
        if target == title_field && target != "title" {
            continue;
        }
        if known.contains(&target) || target.contains('.') {
            if target == "title" && title.is_some() {
                continue;
            }
            entries.push((k, value));
        } else {
            extra.push((k, value));
        }
    }
    if bad {
        return None;
    }
    if let Some(t) = &title {
        let span = record
            .get(title_field)
            .map(|n| place(&n.span))
            .unwrap_or(0..0);
        entries.insert(0, (key("title", span.clone()), str_node(t, span)));
    }
    for (k, v) in &source.defaults {
        if entries.iter().any(|(e, _)| e.name == *k) {
            continue;
        }
        // `start = "{day}T{time}"`: a default may be put together from the
        // record's fields, each read through its `values` table.
        if let serde_json::Value::String(t) = v
            && t.contains('{')
        {
            match fill_mapped(t, record, parent, source) {
                Ok((text, at)) => {
                    let node = str_node(&text, at.map(|s| place(&s)).unwrap_or(0..0));
                    if known.contains(&k.as_str()) {
                        entries.push((key(k, 0..0), node));
                    } else {
                        extra.push((key(k, 0..0), node));
                    }
                }
                Err((why, at, help)) => {
                    diags.push(error(why, at.as_ref().unwrap_or(&record.span), &help));
                    bad = true;
                }
            }
            continue;
        }
        if let Some(node) = json_node(v) {
            if known.contains(&k.as_str()) {
                entries.push((key(k, 0..0), node));
            } else {
                extra.push((key(k, 0..0), node));
            }
        }
    }
    if bad {
        return None;
    }
    let mut entries = nest(entries);
    if !extra.is_empty() {
        let written = entries.iter_mut().find(|(k, _)| k.name == "extra");
        match written {
            Some((
                _,
                Node {
                    kind: NodeKind::Table(t),
                    ..
                },
            )) => t.extend(extra),
            _ => entries.push((
                key("extra", 0..0),
                Node {
                    kind: NodeKind::Table(extra),
                    span: 0..0,
                },
            )),
        }
    }
    let slug = match &source.slug {
        Some(t) => fill(&t.value, record, parent),
        None => field_text(record, parent, "slug")
            .or_else(|| field_text(record, parent, "id"))
            .or_else(|| title.clone())
            .ok_or_else(|| {
                "the record has no `slug`, `id` or title to name its page by".to_string()
            }),
    };
    let slug = match slug.map(|s| crate::text::slugify(&s)) {
        Ok(Some(s)) => s,
        Ok(None) | Err(_) => {
            let why = match &slug_err(source, record, parent) {
                Some(e) => e.clone(),
                None => "the record's page name is empty".into(),
            };
            diags.push(error(
                why,
                &record.span,
                "give the record an `id` (or a title), or set `slug` in [[data]] to a field it has",
            ));
            return None;
        }
    };
    let section = match fill(&source.section.value, record, parent) {
        Ok(s) => s
            .split('/')
            .filter(|s| !s.is_empty())
            .filter_map(crate::text::slugify)
            .collect::<Vec<_>>()
            .join("/"),
        Err(why) => {
            diags.push(error(
                why,
                &record.span,
                "the record needs the fields `section` names",
            ));
            return None;
        }
    };
    // An event made from a record keeps one calendar UID for as long as its
    // id stays, whatever else changes in the file.
    let is_event = source.kind.as_ref().is_some_and(|k| k.value == "event");
    let has_uid = |entries: &[(Key, Node)]| entries.iter().any(|(k, _)| k.name == "uid");
    if is_event
        && !has_uid(&entries)
        && let Some(id) = field_text(record, parent, "id")
    {
        let uid = format!(
            "{}-{}",
            section.replace('/', "-"),
            crate::text::slugify(&id).unwrap_or(id)
        );
        entries.push((key("uid", 0..0), str_node(&uid, 0..0)));
    }
    let section_title = source
        .section_title
        .as_deref()
        .and_then(|t| fill(t, record, parent).ok());
    let body_node = body_field.and_then(|b| record.get(b));
    let body = match body_node.map(|n| &n.kind) {
        Some(NodeKind::Str(s)) => s.clone(),
        _ => String::new(),
    };
    let mut page_text = String::with_capacity(slice.len() + body.len() + 2);
    page_text.push_str(slice);
    page_text.push_str("\n\n");
    let body_offset = page_text.len();
    page_text.push_str(&body);
    let rel = if section.is_empty() {
        format!("{slug}.md")
    } else {
        format!("{section}/{slug}.md")
    };
    Some(RecordPage {
        raw: RawFile {
            rel,
            file: file.to_string(),
            text: page_text,
            body_offset,
            node: Some(Node {
                kind: NodeKind::Table(entries),
                span: 0..slice.len(),
            }),
            unread: false,
            origin: Some(Origin {
                file: file.to_string(),
                first_line,
                body_at: body_node.map(|n| place(&n.span)),
            }),
        },
        section,
        section_title,
    })
}

/// Where the field that names a record's page is written (its `id`, or
/// the first field `slug` names), for a duplicate's diagnostic.
fn name_span(source: &DataSource, record: &Node, parent: Option<&Node>) -> Span {
    let first = source
        .slug
        .as_ref()
        .and_then(|t| t.value.split_once('{'))
        .and_then(|(_, r)| r.split_once('}'))
        .map(|(n, _)| n.to_string());
    let names = match &first {
        Some(n) => vec![n.as_str()],
        None => vec![
            "slug",
            "id",
            source.title.as_deref().unwrap_or("title"),
            "name",
        ],
    };
    for name in names {
        let (node, field) = match name.strip_prefix("parent.") {
            Some(n) => (parent, n),
            None => (Some(record), name),
        };
        if let Some(n) = node.and_then(|n| n.get(field)) {
            return n.span.clone();
        }
    }
    record.span.clone()
}

/// The bytes a node and the values in it are written on.
fn extent(node: &Node) -> Span {
    let mut span = node.span.clone();
    let mut widen = |s: &Span| {
        if s.start < s.end || s.start > 0 {
            span.start = span.start.min(s.start);
            span.end = span.end.max(s.end);
        }
    };
    match &node.kind {
        NodeKind::Array(items) => items.iter().for_each(|n| widen(&extent(n))),
        // Values only: a CSV row's keys are the header's cells.
        NodeKind::Table(entries) => entries.iter().for_each(|(_, v)| widen(&extent(v))),
        _ => {}
    }
    span
}

/// Why a slug template could not be filled, if that is why.
fn slug_err(source: &DataSource, record: &Node, parent: Option<&Node>) -> Option<String> {
    let t = source.slug.as_ref()?;
    fill(&t.value, record, parent).err()
}

/// A string node.
fn str_node(s: &str, span: Span) -> Node {
    Node {
        kind: NodeKind::Str(s.to_string()),
        span,
    }
}

/// Text as a spreadsheet writes it, in the type the field wants: lists
/// split on `;`, `,` or `、`, integers and `true`/`false` as such.
fn typed(field: &str, node: Node) -> Node {
    let NodeKind::Str(s) = &node.kind else {
        return node;
    };
    let t = s.trim();
    let kind = if LIST_FIELDS.contains(&field) {
        let items = t
            .split([';', ',', '、', '\n'])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(|x| str_node(x, node.span.clone()))
            .collect();
        NodeKind::Array(items)
    } else if INT_FIELDS.contains(&field)
        && let Ok(i) = t.parse::<i64>()
    {
        NodeKind::Int(i)
    } else if t == "true" || t == "false" {
        NodeKind::Bool(t == "true")
    } else {
        NodeKind::Str(t.to_string())
    };
    Node {
        kind,
        span: node.span,
    }
}

/// `node` with every span moved into the record's own text (`place`).
fn rebase(mut node: Node, place: &impl Fn(&Span) -> Span) -> Node {
    node.span = place(&node.span);
    node.kind = match node.kind {
        NodeKind::Array(items) => {
            NodeKind::Array(items.into_iter().map(|n| rebase(n, place)).collect())
        }
        NodeKind::Table(entries) => NodeKind::Table(
            entries
                .into_iter()
                .map(|(mut k, v)| {
                    k.span = place(&k.span);
                    (k, rebase(v, place))
                })
                .collect(),
        ),
        other => other,
    };
    node
}

/// A default from `hearth.toml` as a node (not placed: it is the same for
/// every record).
pub(super) fn json_node(v: &serde_json::Value) -> Option<Node> {
    let kind = match v {
        serde_json::Value::Null => return None,
        serde_json::Value::Bool(b) => NodeKind::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => NodeKind::Int(i),
            None => NodeKind::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => NodeKind::Str(s.clone()),
        serde_json::Value::Array(a) => NodeKind::Array(a.iter().filter_map(json_node).collect()),
        serde_json::Value::Object(m) => NodeKind::Table(
            m.iter()
                .filter_map(|(k, v)| {
                    json_node(v).map(|n| {
                        (
                            Key {
                                name: k.clone(),
                                span: 0..0,
                            },
                            n,
                        )
                    })
                })
                .collect(),
        ),
    };
    Some(Node { kind, span: 0..0 })
}

/// `a/b/c` → `a`, `a/b`, `a/b/c`.
pub(super) fn parents(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        if !cur.is_empty() {
            cur.push('/');
        }
        cur.push_str(seg);
        out.push(cur.clone());
    }
    out
}

/// The `_index.md` of a section a data source makes: its title (from
/// `section_title`), and `calendar = true` when the source asks for one.
fn section_index(dir: &str, title: Option<String>, source: &DataSource, file: &str) -> RawFile {
    let mut entries = Vec::new();
    let key = |n: &str| Key {
        name: n.to_string(),
        span: 0..0,
    };
    if let Some(t) = title {
        entries.push((key("title"), str_node(&t, 0..0)));
    }
    if source.calendar {
        entries.push((
            key("calendar"),
            Node {
                kind: NodeKind::Bool(true),
                span: 0..0,
            },
        ));
    }
    RawFile {
        rel: if dir.is_empty() {
            "_index.md".into()
        } else {
            format!("{dir}/_index.md")
        },
        file: file.to_string(),
        text: String::new(),
        body_offset: 0,
        node: Some(Node {
            kind: NodeKind::Table(entries),
            span: 0..0,
        }),
        unread: false,
        origin: Some(Origin {
            file: file.to_string(),
            first_line: 1,
            body_at: None,
        }),
    }
}

/// Merges generated pages into what the walk read: a Markdown file at the
/// same path (or the same page's bundle `index.md`) keeps what it writes
/// and takes the rest from the record, so an organizer can write a longer
/// profile for one member of the spreadsheet. Returns the paths of the
/// pages records made or extended.
pub(super) fn merge(
    raws: &mut BTreeMap<String, RawFile>,
    pages: &mut Vec<(String, Option<super::walk::BundleFiles>)>,
    dirs: &mut Vec<String>,
    data: DataPages,
) -> BTreeSet<String> {
    let mut touched = BTreeSet::new();
    for d in data.dirs {
        if !dirs.contains(&d) {
            dirs.push(d);
        }
    }
    // In the walk's order (a folder, then what is in it, by name), so a
    // generated section is listed where a written one would be.
    dirs.sort_by(|a, b| a.split('/').cmp(b.split('/')));
    for raw in data.raws {
        let bundle = raw.rel.strip_suffix(".md").map(|s| format!("{s}/index.md"));
        let written = [Some(raw.rel.clone()), bundle]
            .into_iter()
            .flatten()
            .find(|r| raws.contains_key(r));
        match written {
            Some(rel) => {
                if let Some(file) = raws.get_mut(&rel) {
                    extend(file, &raw);
                }
                touched.insert(rel);
            }
            None => {
                touched.insert(raw.rel.clone());
                if !raw.rel.ends_with("_index.md") {
                    pages.push((raw.rel.clone(), None));
                }
                raws.insert(raw.rel.clone(), raw);
            }
        }
    }
    // Pages in the walk's order too: what comes first in a listing or a
    // calendar never depends on where a page came from.
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    touched
}

/// `file` (written) takes the fields it lacks from `record`, unplaced:
/// they are not in its text.
fn extend(file: &mut RawFile, record: &RawFile) {
    let Some(Node {
        kind: NodeKind::Table(theirs),
        ..
    }) = &record.node
    else {
        return;
    };
    let node = file.node.get_or_insert_with(|| Node {
        kind: NodeKind::Table(Vec::new()),
        span: 0..0,
    });
    let NodeKind::Table(mine) = &mut node.kind else {
        return;
    };
    for (k, v) in theirs {
        if !mine.iter().any(|(m, _)| m.name == k.name) {
            let mut v = v.clone();
            v = rebase(v, &|_| 0..0);
            mine.push((
                Key {
                    name: k.name.clone(),
                    span: 0..0,
                },
                v,
            ));
        }
    }
    if file.text[file.body_offset..].trim().is_empty()
        && !record.text[record.body_offset..].trim().is_empty()
    {
        file.text.push_str(&record.text[record.body_offset..]);
    }
}

/// A data file as plain data for templates (`load_data`): CSV and TSV as a
/// list of rows keyed by the header, the others as written. The same
/// readers as `[[data]]`, so a file that builds pages reads the same.
pub fn read_value(root: &Path, rel: &str) -> Result<serde_json::Value, String> {
    if rel.split('/').any(|s| s == "..") || Path::new(rel).is_absolute() {
        return Err(format!("`{rel}` leaves the site folder"));
    }
    let bytes = std::fs::read(root.join(rel)).map_err(|e| format!("cannot read `{rel}`: {e}"))?;
    let mut text = String::from_utf8(bytes).map_err(|_| format!("`{rel}` is not UTF-8"))?;
    if text.starts_with('\u{feff}') {
        text.replace_range(..3, "");
    }
    let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let node = match ext.as_str() {
        "csv" => csv(&text, b','),
        "tsv" => csv(&text, b'\t'),
        "yaml" | "yml" | "json" => {
            spanned::parse_yaml_document(&text).map_err(|e| e.into_iter().next())
        }
        "toml" => spanned::parse_toml(&text).map_err(|e| e.into_iter().next()),
        _ => return Err(format!("`{rel}` is not CSV, TSV, YAML, JSON or TOML")),
    }
    .map_err(|e| {
        let line = e
            .as_ref()
            .map_or(0, |e| SourceText::new(&text).locate(e.span.start).line);
        format!(
            "`{rel}` line {line}: {}",
            e.map_or_else(|| "cannot be read".to_string(), |e| e.message)
        )
    })?;
    Ok(to_json(&node))
}

/// A spanned tree as plain JSON.
pub(super) fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.kind {
        NodeKind::Null => J::Null,
        NodeKind::Str(s) | NodeKind::Datetime(s) => J::String(s.clone()),
        NodeKind::Int(i) => J::from(*i),
        NodeKind::Float(f) => J::from(*f),
        NodeKind::Bool(b) => J::Bool(*b),
        NodeKind::Array(items) => J::Array(items.iter().map(to_json).collect()),
        NodeKind::Table(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
    }
}
