//! Plugins: a command in any language that reads the loaded site as JSON
//! on stdin and answers, on stdout, with extra pages (and diagnostics), in
//! the manner of mdBook's preprocessors. For data no `[[data]]` source can
//! express: a calendar API export, a members database, a changelog.
//!
//! The protocol (docs/data.md): Hearth writes
//! `{"hearth": {"version"}, "config": {...}, "pages": [{"path", "front_matter", "body"}]}`
//! and reads `{"pages": [{"path", "front_matter", "body"}], "diagnostics": [...]}`.
//! A plugin that fails to start, exits with an error, runs past its time
//! limit or answers with something that is not that JSON stops the build
//! with a diagnostic that says which: a half-built site is never written.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::walk::{Origin, RawFile};
use crate::config::{Config, PluginDef};
use crate::diagnostics::{Diagnostic, codes};

/// One page a plugin returns.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PluginPage {
    /// Content-relative path of a Markdown file: `news/changelog.md`.
    path: String,
    #[serde(default)]
    front_matter: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    body: String,
}

/// One problem a plugin reports.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PluginDiagnostic {
    #[serde(default)]
    severity: Option<String>,
    message: String,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    line: Option<usize>,
    #[serde(default)]
    help: Option<String>,
}

/// What a plugin answers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    #[serde(default)]
    pages: Vec<PluginPage>,
    #[serde(default)]
    diagnostics: Vec<PluginDiagnostic>,
}

/// Runs every plugin in order; each sees the pages read so far (Markdown,
/// data records and earlier plugins' pages) and adds its own.
pub(super) fn run(
    root: &Path,
    config: &Config,
    raws: &BTreeMap<String, RawFile>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<RawFile> {
    let mut added: Vec<RawFile> = Vec::new();
    for plugin in &config.plugins {
        let input = site_json(config, raws.values().chain(added.iter()));
        match call(root, plugin, &input) {
            Ok(answer) => {
                for d in answer.diagnostics {
                    diags.push(plugin_diagnostic(plugin, d));
                }
                for page in answer.pages {
                    match page_file(plugin, page) {
                        Ok(raw) => added.push(raw),
                        Err(d) => diags.push(d),
                    }
                }
            }
            Err(why) => diags.push(
                config
                    .place(
                        Diagnostic::error(
                            crate::config::FILE,
                            codes::PLUGIN,
                            format!("plugin `{}` {why}", plugin.name),
                        ),
                        &plugin.command.span,
                    )
                    .with_help("run the command by hand with the site's JSON on stdin (docs/data.md#plugins) to see what it does"),
            ),
        }
    }
    added
}

/// The loaded site as a plugin reads it.
fn site_json<'a>(config: &Config, raws: impl Iterator<Item = &'a RawFile>) -> Vec<u8> {
    let pages: Vec<serde_json::Value> = raws
        .filter(|r| !r.unread)
        .map(|r| {
            serde_json::json!({
                "path": r.rel,
                "front_matter": r.node.as_ref().map_or(serde_json::Value::Object(Default::default()), super::data::to_json),
                "body": &r.text[r.body_offset.min(r.text.len())..],
            })
        })
        .collect();
    let v = serde_json::json!({
        "hearth": {"version": env!("CARGO_PKG_VERSION")},
        "config": {
            "title": config.title,
            "description": config.description,
            "base_url": config.base_url.value,
            "language": config.language.value,
            "timezone": config.timezone.value,
            "extra": config.extra,
        },
        "pages": pages,
    });
    serde_json::to_vec(&v).unwrap_or_default()
}

/// Starts the command in the site folder, writes `input`, and reads its
/// answer within its time limit.
fn call(root: &Path, plugin: &PluginDef, input: &[u8]) -> Result<Answer, String> {
    let argv = &plugin.command.value;
    let Some((program, args)) = argv.split_first() else {
        return Err("has an empty `command`".into());
    };
    let mut child = std::process::Command::new(program)
        .args(args)
        .current_dir(root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{program}`: {e}"))?;
    let mut stdin = child.stdin.take();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            // A plugin that does not read its input closes the pipe: fine.
            let _ = s.write_all(&input);
        }
    });
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut buf);
        }
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut buf);
        }
        buf
    });
    let limit = Duration::from_secs(plugin.timeout_secs.max(1));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "did not finish within {} s (`timeout_secs` in [[plugins]])",
                    limit.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("could not be waited for: {e}")),
        }
    };
    let _ = writer.join();
    let stdout = reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    if !status.success() {
        let tail: String = String::from_utf8_lossy(&stderr)
            .lines()
            .rev()
            .take(5)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join(" | ");
        return Err(format!(
            "failed ({status}){}",
            if tail.is_empty() {
                String::new()
            } else {
                format!(": {tail}")
            }
        ));
    }
    if stdout.iter().all(u8::is_ascii_whitespace) {
        return Err(
            "wrote nothing on stdout; it must answer with JSON such as {\"pages\": []}".into(),
        );
    }
    serde_json::from_slice::<Answer>(&stdout)
        .map_err(|e| format!("answered with output that is not the plugin JSON Hearth reads: {e}"))
}

fn plugin_diagnostic(plugin: &PluginDef, d: PluginDiagnostic) -> Diagnostic {
    let file = d
        .file
        .unwrap_or_else(|| format!("plugin `{}`", plugin.name));
    let message = format!("{} (plugin `{}`)", d.message, plugin.name);
    let mut out = match d.severity.as_deref() {
        Some("warning") => Diagnostic::warning(file, codes::PLUGIN, message),
        _ => Diagnostic::error(file, codes::PLUGIN, message),
    };
    if let Some(line) = d.line {
        out = out.at_line(line, 1);
    }
    match d.help {
        Some(h) => out.with_help(h),
        None => out,
    }
}

/// A returned page as a file of the site, or why it cannot be one.
fn page_file(plugin: &PluginDef, page: PluginPage) -> Result<RawFile, Diagnostic> {
    let path = page.path.trim_start_matches('/').to_string();
    let bad = path.is_empty()
        || !path.ends_with(".md")
        || path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        || path.contains('\\');
    if bad {
        return Err(Diagnostic::error(
            format!("plugin `{}`", plugin.name),
            codes::PLUGIN,
            format!(
                "page path `{}` is not a Markdown file inside content/",
                page.path
            ),
        )
        .with_help(
            "return paths such as \"news/changelog.md\" (content-relative, ending in .md)",
        ));
    }
    let node = super::data::json_node(&serde_json::Value::Object(page.front_matter));
    Ok(RawFile {
        rel: path,
        file: format!("plugin `{}`", plugin.name),
        text: page.body,
        body_offset: 0,
        node,
        unread: false,
        origin: Some(Origin {
            file: format!("plugin `{}`", plugin.name),
            first_line: 1,
            body_at: None,
        }),
    })
}
