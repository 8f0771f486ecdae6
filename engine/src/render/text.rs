use super::{RenderOptions, describe, location, side_values};
use crate::finding::Kind;
use crate::report::Report;
use crate::rule_ref::RuleRef;
use crate::severity::Severity;
use std::fmt::Write;

struct Palette {
    color: bool,
}

impl Palette {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity(&self, severity: Severity, s: &str) -> String {
        let code = match severity {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "2",
        };
        self.paint(code, s)
    }

    fn kind(&self, kind: Kind, s: &str) -> String {
        let code = match kind {
            Kind::Added => "32",
            Kind::Removed => "31",
            Kind::Changed => "33",
            Kind::TypeChanged => "35",
            Kind::Reordered => "36",
        };
        self.paint(code, s)
    }
}

/// The terminal report: one block per environment, one entry per finding with both positions.
pub(super) fn report(report: &Report, options: RenderOptions) -> String {
    let p = Palette {
        color: options.color,
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} base: {}",
        p.paint("1", "driftwise"),
        report.base.file
    );
    for env in &report.environments {
        let c = env.counts;
        let _ = writeln!(out);
        let headline = format!("{} ({})", env.name, env.file.file);
        if c.total == 0 {
            let _ = writeln!(
                out,
                "{}  {}",
                p.paint("1", &headline),
                p.paint("32", "no drift")
            );
            continue;
        }
        let parts: Vec<String> = Kind::ALL
            .iter()
            .filter(|k| c.get(**k) > 0)
            .map(|k| format!("{} {}", c.get(*k), k.name().replace('_', " ")))
            .collect();
        let expected = if env.expected > 0 {
            format!(" ({} expected)", env.expected)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{}  {} drift{expected}: {} · {:.1}% compliant",
            p.paint("1", &headline),
            c.total,
            parts.join(", "),
            env.compliance * 100.0
        );
        for f in report.findings_for(&env.name) {
            let label = format!("{:<12}", describe(f).split(':').next().unwrap_or_default());
            let severity = format!("[{}]", f.severity);
            let severity = if f.expected.is_some() {
                p.paint("2", &severity)
            } else {
                p.severity(f.severity, &severity)
            };
            let path = p.paint("1", &f.keyed_path_or_root());
            let action = f
                .resource_action
                .as_ref()
                .map(|a| format!(" (resource: {a})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {path} {severity}{action}",
                p.kind(f.kind, &label)
            );
            if let Some(e) = &f.expected {
                let note = format!(
                    "expected: {} ({})",
                    e.reason,
                    rule_location(report, &e.rule)
                );
                let _ = writeln!(out, "      {}", p.paint("2", &note));
            }
            if f.kind == Kind::TypeChanged {
                let _ = writeln!(out, "      {}", describe(f));
            }
            let width = env.name.chars().count().max("base".len()) + 1;
            let (base_value, env_value) = side_values(f.base.as_ref(), f.env.as_ref());
            for (label, side, value) in [
                ("base", &f.base, base_value),
                (env.name.as_str(), &f.env, env_value),
            ] {
                if let (Some(side), Some(value)) = (side, value) {
                    let label = format!("{label}:");
                    let at = p.paint("2", &location(side, f.kind));
                    let _ = writeln!(out, "      {label:<width$} {value:<32} {at}", width = width);
                }
            }
        }
    }
    if let Some(policy) = &report.policy {
        if policy.ignored > 0 || !policy.stale.is_empty() || !policy.expired.is_empty() {
            let _ = writeln!(out);
        }
        if policy.ignored > 0 {
            let _ = writeln!(out, "{} finding(s) hidden by ignore rules", policy.ignored);
        }
        for stale in &policy.stale {
            let rule = rule_location(report, &stale.rule);
            let _ = writeln!(
                out,
                "{} {rule} matched nothing: {}",
                p.paint("33", "stale rule"),
                stale.path
            );
        }
        for expired in &policy.expired {
            let rule = rule_location(report, &expired.rule);
            let _ = writeln!(
                out,
                "{} {rule}{} expired after {}: {}",
                p.paint("31", "expired rule"),
                expired
                    .by
                    .as_deref()
                    .map(|b| format!(" (approved by {b})"))
                    .unwrap_or_default(),
                expired.expires,
                expired.path
            );
        }
    }
    if !report.violations.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", p.paint("1", "validation"));
        for line in super::annotations::violations_text(&report.violations).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    let t = report.totals;
    let failing: usize = report.environments.iter().map(|e| e.failing).sum();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} finding(s) across {} environment(s); {} unexpected at {} or above",
        t.total,
        report.environments.len(),
        failing,
        report.fail_on
    );
    if !report.violations.is_empty() {
        let failing = report.failing_violations();
        let _ = writeln!(
            out,
            "{} violation(s); {failing} at {} or above",
            report.violations.len(),
            report.fail_on
        );
    }
    out
}

/// `driftwise.yaml:4` for a policy rule, or the rule's name when the report has no policy file.
pub(super) fn rule_location(report: &Report, rule: &RuleRef) -> String {
    // A rule from an included policy names its own file.
    let file = rule
        .file
        .as_deref()
        .or_else(|| report.policy.as_ref().and_then(|p| p.file.as_deref()));
    match (file, rule.line) {
        (Some(file), Some(line)) => format!("{} at {file}:{line}", rule.rule),
        _ => rule.rule.clone(),
    }
}
