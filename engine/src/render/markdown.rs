use super::{describe, location, side_values};
use crate::finding::Kind;
use crate::report::Report;
use crate::violation::{Validation, Violation};
use std::fmt::Write;

/// A Markdown report: a summary table and one table of findings per environment.
/// Cell text is escaped so config values cannot break the table or inject markup.
pub(super) fn report(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Drift report\n");
    let _ = writeln!(out, "Base: `{}`\n", code(&report.base.file));
    let _ = writeln!(
        out,
        "| Environment | File | Changed | Type changed | Added | Removed | Reordered | Total | Expected | Compliance |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for env in &report.environments {
        let c = env.counts;
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} | {} | {} | {} | {:.1}% |",
            cell(&env.name),
            code(&env.file.file),
            c.changed,
            c.type_changed,
            c.added,
            c.removed,
            c.reordered,
            c.total,
            env.expected,
            env.compliance * 100.0
        );
    }
    if let Some(policy) = &report.policy
        && !policy.stale.is_empty()
    {
        let _ = writeln!(out, "\nStale policy rules (matched nothing):\n");
        for stale in &policy.stale {
            let _ = writeln!(
                out,
                "- `{}` {}",
                code(&stale.path),
                cell(&super::text::rule_location(report, &stale.rule))
            );
        }
    }
    if let Some(policy) = &report.policy
        && !policy.expired.is_empty()
    {
        let _ = writeln!(out, "\nExpired exceptions (no longer classify anything):\n");
        for expired in &policy.expired {
            let _ = writeln!(
                out,
                "- `{}` {}, expired after {}{}",
                code(&expired.path),
                cell(&super::text::rule_location(report, &expired.rule)),
                cell(&expired.expires),
                expired
                    .by
                    .as_deref()
                    .map(|b| format!(", approved by {}", cell(b)))
                    .unwrap_or_default()
            );
        }
    }
    for env in &report.environments {
        let _ = writeln!(out, "\n## {}\n", cell(&env.name));
        if env.counts.total == 0 {
            let _ = writeln!(out, "No drift.");
            continue;
        }
        let _ = writeln!(
            out,
            "| Kind | Severity | Path | Base | {} | Base location | Env location | Expected |",
            cell(&env.name)
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
        for f in report.findings_for(&env.name) {
            let shown = side_values(f.base.as_ref(), f.env.as_ref());
            let value =
                |s: Option<String>| s.map(|s| format!("`{}`", code(&s))).unwrap_or_default();
            let loc = |s: Option<&crate::finding::Side>, k: Kind| {
                s.map(|s| code(&location(s, k))).unwrap_or_default()
            };
            let expected = f
                .expected
                .as_ref()
                .map(|e| cell(&e.reason))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} | {} | {} | {} | {expected} |",
                cell(&describe(f)),
                f.severity,
                code(&f.keyed_path_or_root()),
                value(shown.0),
                value(shown.1),
                loc(f.base.as_ref(), f.kind),
                loc(f.env.as_ref(), f.kind),
            );
        }
    }
    if !report.violations.is_empty() {
        let _ = writeln!(out, "\n## Validation\n");
        violations_table(&mut out, &report.violations);
    }
    out
}

/// A Markdown validation result: what was validated, then every violation.
pub(super) fn validation(validation: &Validation) -> String {
    let mut out = String::from("# Validation\n\n");
    for file in &validation.files {
        let _ = writeln!(out, "- `{}`", code(file));
    }
    let failing = validation.failing();
    let _ = writeln!(
        out,
        "\n{} violation(s), {failing} at {} or above\n",
        validation.violations.len(),
        validation.fail_on
    );
    if !validation.violations.is_empty() {
        violations_table(&mut out, &validation.violations);
    }
    out
}

fn violations_table(out: &mut String, violations: &[Violation]) {
    let _ = writeln!(
        out,
        "| Severity | Rule | Where | Message |\n|---|---|---|---|"
    );
    for v in violations {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            v.severity,
            code(&v.rule),
            cell(&v.place()),
            cell(&v.message)
        );
    }
}

/// Text for a table cell: pipes, newlines and HTML-significant characters escaped.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

/// Text inside a code span in a table cell: backticks cannot be escaped in code spans, so they are
/// replaced with a look-alike; pipes still need escaping inside tables.
fn code(s: &str) -> String {
    s.replace('`', "ˋ")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}
