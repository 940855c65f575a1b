//! Phase timings on stderr, asked for with `HEARTH_TIMINGS`.
//!
//! Loading and building both time their steps, and the profile summary in
//! BENCHMARKS.md comes from these lines, without a profiler. The clock
//! lives on the ground floor so that any layer can time itself without
//! importing the layer that orchestrates it.

/// Whether `HEARTH_TIMINGS` is set (read once: pages ask it as they render).
pub fn enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("HEARTH_TIMINGS").is_some())
}

/// A stopwatch for the steps of one load or build: each lap prints the
/// time since the previous one and the memory held, so a slow or greedy
/// step shows by name.
pub struct Phases {
    on: bool,
    last: std::time::Instant,
}

impl Phases {
    /// Starts the clock (a no-op unless `HEARTH_TIMINGS` is set).
    pub fn start() -> Phases {
        Phases {
            on: enabled(),
            last: std::time::Instant::now(),
        }
    }

    /// Prints the time since the previous lap under `name`.
    pub fn lap(&mut self, name: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!(
                "hearth: {name:<14} {:>8.1} ms {}",
                (now - self.last).as_secs_f64() * 1e3,
                memory_now()
            );
            self.last = now;
        }
    }
}

/// The process's resident and peak memory for the phase timings, so a
/// phase that holds too much shows where (Linux only; empty elsewhere).
fn memory_now() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    format!(
        "rss {:>4} MiB peak {:>4} MiB",
        field("VmRSS:"),
        field("VmHWM:")
    )
}
