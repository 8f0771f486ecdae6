//! The run log: one appended line per check, so a scheduled driftwise leaves a history to grep.

use driftwise_engine::Report;
use std::io::Write;
use std::path::Path;

pub fn line_for_report(report: &Report, exit: u8) -> String {
    format!(
        "{} check {} exit={exit}",
        jiff::Timestamp::now(),
        counts(report)
    )
}

/// What a reconcile did, besides what it found.
#[derive(Default)]
pub struct Reconciled {
    /// Changes applied, over every file.
    pub applied: usize,
    /// Actions held for approval.
    pub held: usize,
    /// Actions not applicable (conflicts, what a text edit cannot do).
    pub not_applied: usize,
    /// The files written.
    pub files: Vec<String>,
    /// The commit made, if any.
    pub commit: Option<String>,
    /// New violations the result would have had: nothing was written.
    pub refused: usize,
    /// New violations written anyway (--force).
    pub forced: usize,
}

/// A reconcile's line: the counts found (as a check's line has them), what was done, and the
/// unexpected findings left after it.
pub fn line_for_reconcile(found: &Report, done: &Reconciled, after: &Report, exit: u8) -> String {
    let files = if done.files.is_empty() {
        "-".to_string()
    } else {
        done.files.join(",")
    };
    format!(
        "{} reconcile {} applied={} held={} not_applied={} refused={} forced={} written={files} commit={} left={} exit={exit}",
        jiff::Timestamp::now(),
        counts(found),
        done.applied,
        done.held,
        done.not_applied,
        done.refused,
        done.forced,
        done.commit.as_deref().unwrap_or("-"),
        after.environments.iter().map(|e| e.failing).sum::<usize>(),
    )
}

fn counts(report: &Report) -> String {
    let t = report.totals;
    format!(
        "base={} environments={} changed={} type_changed={} added={} removed={} reordered={} total={} expected={} failing={}",
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

/// A run that failed: what it was (`check`, `reconcile`) and the error, quoted.
pub fn line_for_error(what: &str, message: &str, exit: u8) -> String {
    format!(
        "{} {what} error={:?} exit={exit}",
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
