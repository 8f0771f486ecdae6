use super::{describe, location, short_value};
use crate::report::{Kind, Report};
use std::fmt::Write;

/// A Markdown report: a summary table and one table of findings per environment.
/// Cell text is escaped so config values cannot break the table or inject markup.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Drift report\n");
    let _ = writeln!(out, "Base: `{}`\n", code(&report.base.file));
    let _ = writeln!(
        out,
        "| Environment | File | Changed | Type changed | Added | Removed | Reordered | Total |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|");
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
    for env in &report.environments {
        let _ = writeln!(out, "\n## {}\n", cell(&env.name));
        if env.counts.total == 0 {
            let _ = writeln!(out, "No drift.");
            continue;
        }
        let _ = writeln!(
            out,
            "| Kind | Path | Base | {} | Base location | Env location |",
            cell(&env.name)
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for f in report.findings_for(&env.name) {
            let value = |s: Option<&crate::report::Side>| {
                s.map(|s| format!("`{}`", code(&short_value(&s.value))))
                    .unwrap_or_default()
            };
            let loc = |s: Option<&crate::report::Side>, k: Kind| {
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
                value(f.base.as_ref()),
                value(f.env.as_ref()),
                loc(f.base.as_ref(), f.kind),
                loc(f.env.as_ref(), f.kind),
            );
        }
    }
    if !report.violations.is_empty() {
        let _ = writeln!(out, "\n## Validation\n");
        let _ = writeln!(
            out,
            "| Severity | Rule | Where | Message |\n|---|---|---|---|"
        );
        for v in &report.violations {
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
    out
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
