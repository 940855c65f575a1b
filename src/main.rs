//! The `hearth` command line: argument parsing and exit codes only.
//!
//! The clap types live here, not in the library: the library's enums
//! (`diagnostics::Format`, `scaffold::NewKind`) are what the code means,
//! the ones below are how a command line spells them, and a library user
//! (tests, `serve`) never pulls in a parser's derive to use them.

#![allow(clippy::result_large_err)]

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use hearth::build::{self, BuildOptions};
use hearth::content::LoadOptions;
use hearth::diagnostics::{self, Diagnostic, Format};
use hearth::scaffold::{self, NewKind};
use hearth::serve::{self, ServeOptions};

/// A build allocates millions of small strings and template values from two
/// threads at once; mimalloc's per-thread heaps make that about a tenth of
/// the CPU time cheaper than glibc's malloc (BENCHMARKS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code for content errors.
const EXIT_CONTENT: u8 = 1;
/// Exit code for usage errors (clap uses it too).
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "hearth",
    version,
    about = "Build static sites for community knowledge hubs",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder (public/ by default).
    Build {
        /// The site folder (with hearth.toml).
        #[arg(default_value = ".")]
        site: PathBuf,
        /// Where to write the site (default: SITE/public).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Publish under this URL instead of the config's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Build as of this time (RFC 3339); defaults to SOURCE_DATE_EPOCH, else the clock.
        #[arg(long)]
        now: Option<String>,
        /// Build the site as this tier sees it: nothing above it is written.
        #[arg(long)]
        audience: Option<String>,
        /// The host that serves the output (netlify, cloudflare, nginx, caddy,
        /// static); overrides [deploy] host. Hosts that gate get every page and
        /// their rules; static, or none named, gets the public pages only.
        #[arg(long)]
        host: Option<String>,
        /// How to print problems.
        #[arg(long, value_enum, default_value = "human")]
        format: FormatArg,
    },
    /// Check the site without writing anything: every problem, with file and line.
    Check {
        /// The site folder (with hearth.toml).
        #[arg(default_value = ".")]
        site: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value = "human")]
        format: FormatArg,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Include pages marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// List the pages not translated into each language and the
        /// translations older than their source (with `--format json`, as
        /// one JSON object for a dashboard).
        #[arg(long)]
        translations: bool,
    },
    /// Preview the site: build it in memory, serve it, rebuild and reload on every change.
    Serve {
        /// The site folder (with hearth.toml).
        #[arg(default_value = ".")]
        site: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; 0.0.0.0 shares the preview with your network.
        #[arg(long, default_value = "127.0.0.1", value_parser = parse_bind)]
        bind: std::net::IpAddr,
        /// Preview the site as this tier sees it.
        #[arg(long)]
        audience: Option<String>,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked draft = true.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new hub with a config, home, mission, rules, FAQ, an event and a member.
    Init {
        /// The folder to create (must be empty unless --force); with
        /// --here, the repository (default: the current folder).
        #[arg(required_unless_present = "here")]
        dir: Option<PathBuf>,
        /// Write only a hearth.toml for the repository of Markdown in DIR
        /// (repository mode), from its README; no file is moved or added.
        #[arg(long, conflicts_with = "force")]
        here: bool,
        /// Add the starter files to a non-empty folder; existing files are never overwritten.
        #[arg(long)]
        force: bool,
        /// Language of the starter text and UI (BCP 47, e.g. zh-CN or en).
        #[arg(long, default_value = "zh-CN")]
        language: String,
        /// "Today" for the starter event's date (RFC 3339); defaults to
        /// SOURCE_DATE_EPOCH, else the clock.
        #[arg(long)]
        now: Option<String>,
    },
    /// Create a new event, activity recap, member or page with the right front matter.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: NewKindArg,
        /// Its title (a member's display name); the file name is made from it.
        title: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// Date for the event or recap (YYYY-MM-DD); today in the site's time
        /// zone by default (SOURCE_DATE_EPOCH, else the clock).
        #[arg(long)]
        date: Option<String>,
    },
}

/// `--format`, as the command line spells [`Format`].
#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Source line with a caret, for people at a terminal.
    Human,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
    /// One JSON object per line.
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Github => Format::Github,
            FormatArg::Json => Format::Json,
        }
    }
}

/// `hearth new KIND`, as the command line spells [`NewKind`].
#[derive(Clone, Copy, ValueEnum)]
enum NewKindArg {
    /// An event in the events section.
    Event,
    /// An activity recap (a page bundle, so photos sit beside it).
    Activity,
    /// A member profile.
    Member,
    /// A plain page at the top of content/.
    Page,
}

impl From<NewKindArg> for NewKind {
    fn from(k: NewKindArg) -> NewKind {
        match k {
            NewKindArg::Event => NewKind::Event,
            NewKindArg::Activity => NewKind::Activity,
            NewKindArg::Member => NewKind::Member,
            NewKindArg::Page => NewKind::Page,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build {
            site,
            output,
            base_url,
            drafts,
            now,
            audience,
            host,
            format,
        } => {
            let format = Format::from(format);
            let now = match build::resolve_now(now.as_deref()) {
                Ok(n) => n,
                Err(m) => {
                    eprintln!("error: {m}");
                    return ExitCode::from(EXIT_USAGE);
                }
            };
            let out = output.unwrap_or_else(|| site.join("public"));
            if let Err(d) = build::check_output_dir(&site, &out) {
                report(&[d], format, &site);
                return ExitCode::from(EXIT_USAGE);
            }
            let opts = BuildOptions {
                load: LoadOptions {
                    drafts,
                    base_url,
                    audience,
                    host,
                    publish: true,
                    images: None,
                },
                now,
            };
            let started = std::time::Instant::now();
            match build::build_to(&site, &opts, &out) {
                Ok(built) => {
                    report(&built.warnings, format, &site);
                    let others: String = built
                        .languages
                        .iter()
                        .map(|(tag, p, s)| format!(", {tag}: {p} pages and {s} sections"))
                        .collect();
                    eprintln!(
                        "Built {} pages and {} sections{others} into {} ({}) in {} ms",
                        built.site.pages.len(),
                        built.site.sections.len(),
                        out.display(),
                        built.footprint.summary(),
                        started.elapsed().as_millis()
                    );
                    if let Some(line) = &built.gating {
                        eprintln!("{line}");
                    }
                    // The process ends here: freeing the model page by page
                    // would only delay the exit (tens of ms at 10k pages).
                    std::mem::forget(built);
                    ExitCode::SUCCESS
                }
                Err(mut diags) => {
                    diagnostics::sort(&mut diags);
                    let errors = diags.iter().filter(|d| d.is_error()).count();
                    report(&diags, format, &site);
                    eprintln!(
                        "Build failed: {errors} error(s); {} was not changed.",
                        out.display()
                    );
                    ExitCode::from(EXIT_CONTENT)
                }
            }
        }
        Command::Serve {
            site,
            port,
            bind,
            audience,
            open,
            drafts,
        } => {
            let opts = ServeOptions {
                site,
                bind,
                port,
                audience,
                drafts,
                open,
                color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            match serve::run(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        Command::Init {
            dir, here: true, ..
        } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("."));
            match scaffold::init_here(&dir) {
                Ok(path) => {
                    println!("created {}", path.display());
                    eprintln!("Next: hearth serve {}", dir.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        Command::Init {
            dir,
            force,
            language,
            now,
            ..
        } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("."));
            match build::resolve_now(now.as_deref())
                .map_err(scaffold::ScaffoldError)
                .and_then(|now| scaffold::init(&dir, force, &language, now))
            {
                Ok(written) => {
                    for p in &written {
                        println!("created {}", p.display());
                    }
                    eprintln!("Next: hearth build {}", dir.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        Command::New {
            kind,
            title,
            site,
            date,
        } => {
            let date = match date {
                Some(d) => match d.parse::<jiff::civil::Date>() {
                    Ok(d) => Some(d),
                    Err(_) => {
                        eprintln!("error: --date `{d}` is not a date; write it as YYYY-MM-DD");
                        return ExitCode::from(EXIT_USAGE);
                    }
                },
                None => None,
            };
            let now = match build::resolve_now(None) {
                Ok(n) => n,
                Err(m) => {
                    eprintln!("error: {m}");
                    return ExitCode::from(EXIT_USAGE);
                }
            };
            match scaffold::new(&site, kind.into(), &title, date, now) {
                Ok(created) => {
                    // Stdout is the new file only, for scripts; the
                    // section index is news for the person.
                    if let Some(index) = &created.section_index {
                        eprintln!("created {} (the section's page)", index.display());
                    }
                    println!("{}", created.path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        Command::Check {
            site,
            format,
            deny_warnings,
            drafts,
            translations,
        } => {
            let format = Format::from(format);
            let now = build::resolve_now(None).unwrap_or_else(|_| jiff::Timestamp::now());
            let opts = BuildOptions {
                load: LoadOptions {
                    drafts,
                    base_url: None,
                    audience: None,
                    host: None,
                    publish: false,
                    images: None,
                },
                now,
            };
            let mut tr_report = None;
            let diags = match build::produce(&site, &opts, &build::Discard) {
                Ok(produced) => {
                    // As after a build: the process ends, the OS frees it.
                    std::mem::forget(produced.site);
                    tr_report = Some(produced.translations);
                    produced.warnings
                }
                Err(d) => d,
            };
            if translations {
                let Some(report) = tr_report else {
                    self::report(&diags, format, &site);
                    return ExitCode::from(EXIT_CONTENT);
                };
                if format == Format::Json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&report).unwrap_or_default()
                    );
                } else {
                    print!("{}", report.human());
                }
                return ExitCode::SUCCESS;
            }
            if format == Format::Human
                && let Some(r) = &tr_report
                && let Some(line) = r.summary()
            {
                eprintln!("{line}");
            }
            let mut diags = diags;
            diagnostics::sort(&mut diags);
            report(&diags, format, &site);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            if format == Format::Human {
                eprintln!("{errors} error(s), {warnings} warning(s)");
            }
            if errors > 0 || (deny_warnings && warnings > 0) {
                ExitCode::from(EXIT_CONTENT)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

/// `--bind`: an IP address, or `localhost` as people often type it.
fn parse_bind(s: &str) -> Result<std::net::IpAddr, String> {
    if s.eq_ignore_ascii_case("localhost") {
        return Ok(std::net::Ipv4Addr::LOCALHOST.into());
    }
    s.parse()
        .map_err(|_| format!("`{s}` is not an IP address (e.g. 127.0.0.1, 0.0.0.0 or ::1)"))
}

/// Prints diagnostics to stderr (human) or stdout (machine formats).
fn report(diags: &[Diagnostic], format: Format, site: &Path) {
    if diags.is_empty() {
        return;
    }
    let color = format == Format::Human
        && std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let prefix = site.strip_prefix(".").unwrap_or(site);
    let text = diagnostics::render(diags, format, prefix, color);
    match format {
        Format::Human => eprint!("{text}"),
        _ => print!("{text}"),
    }
}
