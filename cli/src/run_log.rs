//! The run log: one appended line per check, so a scheduled driftwise leaves a history to grep.

use driftwise_engine::Report;
use std::io::Write;
use std::path::Path;

pub fn line_for_report(report: &Report, exit: u8) -> String {
    let t = report.totals;
    format!(
        "{} check base={} environments={} changed={} type_changed={} added={} removed={} reordered={} total={} expected={} failing={} exit={exit}",
        jiff::Timestamp::now(),
        report.base.file,
        report.environments.len(),
        t.changed,
        t.type_changed,
        t.added,
        t.removed,
        t.reordered,
        t.total,
        report
            .environments
            .iter()
            .map(|e| e.expected)
            .sum::<usize>(),
        report.environments.iter().map(|e| e.failing).sum::<usize>(),
    )
}

pub fn line_for_error(message: &str, exit: u8) -> String {
    format!(
        "{} check error={:?} exit={exit}",
        jiff::Timestamp::now(),
        message
    )
}

/// Appends one line to the log, creating it if needed.
pub fn append(path: &Path, line: &str) -> Result<(), driftwise_engine::Error> {
    let name = path.display().to_string();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| crate::files::io_error("cannot append to the log", &name, e))?;
    // One write call per line, so concurrent runs appending to the same log do not interleave.
    file.write_all(format!("{line}\n").as_bytes())
        .map_err(|e| crate::files::io_error("cannot append to the log", &name, e))
}
