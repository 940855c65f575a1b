//! Criterion micro-benchmarks for the hot paths of a build (issue #9):
//! Markdown (with syntect highlighting), the template render of one page,
//! iCalendar writing and search indexing.
//!
//! Everything runs on real sites loaded with `content::load`, so the benches
//! follow the code: the bundled `example-site/` (Chinese-first, with a
//! weekly recurring event) and a 300-page hub written by `bench/gen.py`
//! into a temporary folder at start (python3 is needed).
//!
//! ```text
//! cargo bench --bench hot_paths                 # full run (about 1.5 minutes)
//! cargo bench --bench hot_paths -- --test       # smoke: each bench once
//! cargo bench --bench hot_paths -- markdown/    # one group
//! ```

// The sink closures return the crate's diagnostics, as the library does.
#![allow(clippy::result_large_err)]

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, Throughput, measurement::WallTime};
use hearth::calendar::{self, IcsCalendar, IcsEvent};
use hearth::content::{self, Item, LoadOptions, Page, Site};
use hearth::markdown::Rendered;
use hearth::render::{Job, JobContext, Prepared, PreparedData, Renderer};
use hearth::search::{self, Manifest};

/// The build's "now": 2026-07-01, as `bench/run.sh` sets `SOURCE_DATE_EPOCH`.
const NOW_SECOND: i64 = 1_782_864_000;
/// Pages of the generated hub for the search bench.
const GEN_PAGES: usize = 300;

/// A Chinese prose page with internal links.
const ZH_PAGE: &str = "mission.md";
/// A weekly event (RRULE + EXDATEs) with a Chinese body.
const EVENT_PAGE: &str = "events/saturday-sharing-night.md";
/// The section whose first listing page is rendered.
const LISTING_SECTION: &str = "events";

fn main() {
    let fx = Fixtures::load();
    let mut c = Criterion::default().configure_from_args();
    bench_markdown(&mut c, &fx);
    bench_render(&mut c, &fx);
    bench_ics(&mut c, &fx);
    bench_search(&mut c, &fx);
    c.final_summary();
}

/// A group with the short settings every bench here uses, so a full run
/// stays well under three minutes on two cores.
fn group<'c>(c: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g
}

// ---------------------------------------------------------------------------
// Fixtures

struct Fixtures {
    example: Site,
    generated: Site,
    /// Keeps the generated site on disk while the benches run.
    _tmp: tempfile::TempDir,
}

impl Fixtures {
    fn load() -> Fixtures {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let example = load_site(&repo.join("example-site"));
        let tmp = tempfile::tempdir().expect("temporary folder");
        let status = Command::new("python3")
            .arg(repo.join("bench/gen.py"))
            .args(["--pages", &GEN_PAGES.to_string(), "--seed", "1"])
            .arg("--out")
            .arg(tmp.path())
            .args(["--only", "hearth"])
            .stdout(std::process::Stdio::null())
            .status()
            .expect("running python3 bench/gen.py (python3 is needed for the benches)");
        assert!(status.success(), "bench/gen.py failed: {status}");
        let generated = load_site(&tmp.path().join("hearth"));
        Fixtures {
            example,
            generated,
            _tmp: tmp,
        }
    }
}

fn load_site(dir: &Path) -> Site {
    match content::load(dir, &LoadOptions::default()) {
        Ok((site, _warnings)) => site,
        Err(errors) => panic!("{} does not load: {errors:#?}", dir.display()),
    }
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(NOW_SECOND).expect("valid timestamp")
}

fn page_index(site: &Site, rel: &str) -> usize {
    match site.by_source.get(rel) {
        Some(&Item::Page(i)) => i,
        _ => panic!("{rel} is not a page of {}", site.root.display()),
    }
}

// ---------------------------------------------------------------------------
// Markdown

/// Renders a page's body as the build does.
fn render_page(site: &Site, page: &Page) -> Rendered {
    content::markdown_of(site, &page.src, page.kind)
}

fn bench_markdown(c: &mut Criterion, fx: &Fixtures) {
    let zh = &fx.example.pages[page_index(&fx.example, ZH_PAGE)];
    // The first English page of the generated hub with a code block.
    let en = fx
        .generated
        .pages
        .iter()
        .find(|p| p.md.has_code && !p.src.body().chars().any(hearth::text::is_cjk))
        .expect("gen.py writes English pages with code blocks");
    assert!(render_page(&fx.generated, en).has_code);

    let mut g = group(c, "markdown");
    g.throughput(Throughput::Bytes(zh.src.body().len() as u64));
    g.bench_function("zh_page", |b| {
        b.iter(|| render_page(&fx.example, black_box(zh)))
    });
    g.throughput(Throughput::Bytes(en.src.body().len() as u64));
    g.bench_function("en_page_code", |b| {
        b.iter(|| render_page(&fx.generated, black_box(en)))
    });
    g.finish();
}

// ---------------------------------------------------------------------------
// Template render of one page

/// The template a job renders with, falling back as the build does.
fn template_for(renderer: &Renderer, template: String, job: &Job) -> String {
    if renderer.has(&template) {
        return template;
    }
    let fallback = hearth::build::fallback_template(&template)
        .filter(|f| renderer.has(f))
        .unwrap_or_else(|| panic!("no template for {job:?}"));
    fallback.to_string()
}

fn bench_render(c: &mut Criterion, fx: &Fixtures) {
    let site = &fx.example;
    let renderer = Renderer::new(site).unwrap_or_else(|e| panic!("templates: {e:#?}"));
    let data = PreparedData::new(site, site.audience, now());
    let prepared = Prepared::new(site, &data);
    let events = site
        .sections
        .iter()
        .position(|s| s.dir == LISTING_SECTION)
        .expect("the example site has an events section");
    let cases = [
        ("page_event", Job::Page(page_index(site, EVENT_PAGE))),
        ("listing_events", Job::Section(events, 1)),
    ];

    let mut g = group(c, "render");
    for (name, job) in &cases {
        let JobContext { template, ctx, .. } = prepared
            .context(job)
            .unwrap_or_else(|| panic!("{job:?} writes nothing"));
        let template = template_for(&renderer, template, job);
        renderer
            .render(&template, &ctx)
            .unwrap_or_else(|e| panic!("{job:?}: {e:?}"));
        // Context and render together: what one page costs a build. The
        // prepared data fills its caches (cards, event times) on first use,
        // so this is the cost of a page once those are warm, as for all but
        // the first pages of a build.
        g.bench_function(*name, |b| {
            b.iter(|| {
                let JobContext { template, ctx, .. } =
                    prepared.context(black_box(job)).expect("context");
                let template = template_for(&renderer, template, job);
                renderer.render(&template, &ctx).expect("render")
            })
        });
        // The Tera render alone, context built once.
        g.bench_function(format!("{name}_template_only"), |b| {
            b.iter(|| renderer.render(&template, black_box(&ctx)).expect("render"))
        });
    }
    g.finish();
}

// ---------------------------------------------------------------------------
// iCalendar

fn bench_ics(c: &mut Criterion, fx: &Fixtures) {
    let site = &fx.example;
    let mut cal = IcsCalendar::new(format!("-//Hearth//{}//EN", site.config.title));
    cal.name = Some(site.config.title.clone());
    cal.description = Some(site.config.description.clone());
    cal.timezone_hint = Some(site.config.timezone.value.clone());
    cal.postponed_prefix = "【延期】".into();
    // Every event of the site (the calendar a core member subscribes to).
    let events: Vec<IcsEvent> = site
        .pages
        .iter()
        .filter_map(|p| hearth::outputs::calendars::ics_event(site, p))
        .collect();
    assert!(
        events.iter().any(|e| e.time.rule().is_some()),
        "the example site has a recurring event"
    );
    let weekly = &site.pages[page_index(site, EVENT_PAGE)];
    let cjk = weekly.md.plain.clone();
    assert!(cjk.chars().any(hearth::text::is_cjk));

    let mut g = group(c, "ics");
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function("write_calendar_example_events", |b| {
        b.iter(|| calendar::write_calendar(black_box(&cal), black_box(&events)))
    });
    // Every feed of the example site, as the build writes them.
    let data = PreparedData::new(site, site.audience, now());
    let times = data.event_times(site);
    let feeds = hearth::outputs::calendars::calendars(site, site.audience, times).len() as u64;
    g.throughput(Throughput::Elements(feeds));
    g.bench_function("all_feeds_example_site", |b| {
        b.iter(|| hearth::outputs::calendars::calendars(black_box(site), site.audience, times))
    });
    g.throughput(Throughput::Bytes(cjk.len() as u64));
    g.bench_function("fold_escape_cjk_description", |b| {
        b.iter(|| {
            calendar::fold_line(&format!(
                "DESCRIPTION:{}",
                calendar::escape_text(black_box(&cjk))
            ))
        })
    });
    g.finish();
}

// ---------------------------------------------------------------------------
// Search indexing

fn bench_search(c: &mut Criterion, fx: &Fixtures) {
    let site = &fx.generated;
    let audience = site.audience;
    // Documents indexed, read back from each bundle's manifest.
    let docs: u64 = search::bundles(site, audience)
        .expect("search bundles")
        .iter()
        .filter(|file| file.path.ends_with("/index.json"))
        .map(|file| {
            let m: Manifest = serde_json::from_slice(&file.bytes).expect("manifest");
            u64::from(m.docs)
        })
        .sum();
    assert!(docs >= GEN_PAGES as u64, "only {docs} documents indexed");

    let mut g = group(c, "search");
    g.throughput(Throughput::Elements(docs));
    g.bench_function(format!("bundles_{GEN_PAGES}_pages"), |b| {
        b.iter(|| {
            search::bundles_into(black_box(site), audience, &|file| {
                black_box(file);
                Ok(())
            })
        })
    });
    g.finish();
}
