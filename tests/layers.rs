//! The layers of docs/architecture.md, checked in the imports: no module of
//! `src/` names a module of a higher layer (`crate::render` from content,
//! `crate::build` from anywhere below it). A layer may use its own and every
//! lower one. Test code (after `#[cfg(test)]`) may reach anywhere.

use std::path::Path;

/// Each top-level module's layer, lowest first. A module missing here fails
/// the test: a new module must be given its place.
const LAYERS: &[(&str, u8)] = &[
    // Ground floor: text rules, diagnostics, spans, the config, the clock,
    // time-zone names.
    ("text", 0),
    ("diagnostics", 0),
    ("spanned", 0),
    ("config", 0),
    ("i18n", 0),
    ("timings", 0),
    ("zones", 0),
    // The model and the domains it is made of.
    ("content", 1),
    ("markdown", 1),
    ("tiers", 1),
    ("calendar", 1),
    ("images", 1),
    // What is made from the model.
    ("render", 2),
    ("outputs", 2),
    ("search", 2),
    // Orchestration, and the commands built on it.
    ("build", 3),
    ("scaffold", 3),
    ("serve", 4),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

#[test]
fn no_module_imports_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "lib.rs" || rel == "main.rs" {
            continue;
        }
        files += 1;
        let module = rel.split('/').next().unwrap().trim_end_matches(".rs");
        let Some(own) = layer(module) else {
            problems.push(format!(
                "src/{rel}: module `{module}` has no layer in tests/layers.rs"
            ));
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if let Some(theirs) = layer(&name)
                    && theirs > own
                {
                    problems.push(format!(
                        "src/{rel}:{}: `{module}` (layer {own}) uses `crate::{name}` (layer {theirs})",
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(files > 40, "only {files} source files found under src/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
