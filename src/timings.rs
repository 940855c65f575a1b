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
    /// CPU time of the whole process at the previous lap, so a lap shows
    /// how well its step used the cores (CPU over wall time).
    cpu: f64,
}

impl Phases {
    /// Starts the clock (a no-op unless `HEARTH_TIMINGS` is set).
    pub fn start() -> Phases {
        let on = enabled();
        Phases {
            on,
            last: std::time::Instant::now(),
            cpu: if on { cpu_seconds() } else { 0.0 },
        }
    }

    /// Prints the time since the previous lap under `name`.
    pub fn lap(&mut self, name: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let cpu = cpu_seconds();
            let wall = (now - self.last).as_secs_f64();
            eprintln!(
                "hearth: {name:<14} {:>8.1} ms cpu {:>4.1}× {}",
                wall * 1e3,
                (cpu - self.cpu) / wall.max(1e-9),
                memory_now()
            );
            self.last = now;
            self.cpu = cpu;
        }
    }
}

/// User and system time of all the process's threads, in seconds (Linux
/// only, in clock ticks of 10 ms; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The command name may hold spaces; the fields after it do not.
    let Some((_, rest)) = stat.rsplit_once(") ") else {
        return 0.0;
    };
    // utime and stime are fields 14 and 15, 12 and 13 after the name.
    let mut f = rest.split(' ').skip(11);
    let mut tick = || f.next().and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick() + tick()) / 100.0
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
