use super::{describe, location, side_values};
use crate::finding::{Kind, Side};
use crate::report::Report;
use crate::violation::{Validation, Violation};
use std::fmt::Write;

/// Text made safe for HTML element content and quoted attribute values. Configuration values are
/// data, never markup: `<img src=x onerror=...>` must arrive on the page as those characters.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;margin:2rem;max-width:1200px}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}\
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f5f7}\
td.n{text-align:right}code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}\
.kind{font-weight:600;white-space:nowrap}.changed{color:#8a5300}.type_changed{color:#7a2e9a}.added{color:#116329}\
.removed{color:#b3261e}.reordered{color:#0b5a8a}.loc{color:#57606a;font-size:12px}";

/// The page's head and title, up to the opening of its body.
fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<title>{}</title><style>{STYLE}</style></head><body>\n",
        escape_html(title)
    );
}

/// A self-contained HTML report (no scripts, no outside resources) that can be mailed or archived.
pub(super) fn report(report: &Report) -> String {
    let mut out = String::new();
    head(&mut out, &format!("Drift report: {}", report.base.file));
    let _ = write!(
        out,
        "<h1>Drift report</h1>\n<p>Base: <code>{}</code></p>\n",
        escape_html(&report.base.file)
    );
    out.push_str("<table><thead><tr><th>Environment</th><th>File</th>");
    for kind in Kind::ALL {
        let _ = write!(out, "<th>{}</th>", describe_kind(kind));
    }
    out.push_str("<th>Total</th><th>Expected</th><th>Compliance</th></tr></thead><tbody>\n");
    for env in &report.environments {
        let _ = write!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td>",
            escape_html(&env.name),
            escape_html(&env.file.file)
        );
        for kind in Kind::ALL {
            let _ = write!(out, "<td class=\"n\">{}</td>", env.counts.get(kind));
        }
        let _ = writeln!(
            out,
            "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}%</td></tr>",
            env.counts.total,
            env.expected,
            env.compliance * 100.0
        );
    }
    out.push_str("</tbody></table>\n");
    for env in &report.environments {
        let _ = writeln!(out, "<h2>{}</h2>", escape_html(&env.name));
        if env.counts.total == 0 {
            out.push_str("<p>No drift.</p>\n");
            continue;
        }
        let _ = writeln!(
            out,
            "<table><thead><tr><th>Kind</th><th>Severity</th><th>Path</th><th>Base</th><th>{}</th><th>Expected</th></tr></thead><tbody>",
            escape_html(&env.name)
        );
        for f in report.findings_for(&env.name) {
            let shown = side_values(f.base.as_ref(), f.env.as_ref());
            let cell = |side: Option<&Side>, value: Option<String>| match (side, value) {
                (Some(s), Some(value)) => format!(
                    "<code>{}</code><div class=\"loc\">{}</div>",
                    escape_html(&value),
                    escape_html(&location(s, f.kind))
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "<tr><td class=\"kind {}\">{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                f.kind.name(),
                escape_html(&describe(f)),
                f.severity,
                escape_html(&f.keyed_path_or_root()),
                cell(f.base.as_ref(), shown.0),
                cell(f.env.as_ref(), shown.1),
                f.expected
                    .as_ref()
                    .map(|e| escape_html(&e.reason))
                    .unwrap_or_default(),
            );
        }
        out.push_str("</tbody></table>\n");
    }
    if !report.violations.is_empty() {
        out.push_str("<h2>Validation</h2>\n");
        violations_table(&mut out, &report.violations);
    }
    out.push_str("</body></html>\n");
    out
}

/// A self-contained HTML page of a validation result.
pub(super) fn validation(validation: &Validation) -> String {
    let mut out = String::new();
    head(&mut out, "Validation");
    out.push_str("<h1>Validation</h1>\n<ul>\n");
    for file in &validation.files {
        let _ = writeln!(out, "<li><code>{}</code></li>", escape_html(file));
    }
    let failing = validation.failing();
    let _ = writeln!(
        out,
        "</ul>\n<p>{} violation(s), {failing} at {} or above</p>",
        validation.violations.len(),
        validation.fail_on
    );
    if !validation.violations.is_empty() {
        violations_table(&mut out, &validation.violations);
    }
    out.push_str("</body></html>\n");
    out
}

fn violations_table(out: &mut String, violations: &[Violation]) {
    out.push_str("<table><thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Message</th></tr></thead><tbody>\n");
    for v in violations {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td class=\"loc\">{}</td><td>{}</td></tr>",
            v.severity,
            escape_html(&v.rule),
            escape_html(&v.place()),
            escape_html(&v.message),
        );
    }
    out.push_str("</tbody></table>\n");
}

fn describe_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Changed => "Changed",
        Kind::TypeChanged => "Type changed",
        Kind::Added => "Added",
        Kind::Removed => "Removed",
        Kind::Reordered => "Reordered",
    }
}

#[cfg(test)]
mod tests {
    use crate::{Environment, Request, Source, run};

    #[test]
    fn values_are_escaped_and_the_page_loads_nothing() {
        let base = Source::new("base.yaml", "banner: hello\n");
        let env = Source::new("prod<x>.yaml", "banner: \"<img src=x onerror=alert(1)>\"\n");
        let request = Request::new(base, vec![Environment::new("p\"rod", env)]);
        let html = super::report(&run(&request).unwrap().report);
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!html.contains("<img"));
        assert!(html.contains("<h2>p&quot;rod</h2>"));
        assert!(html.contains("prod&lt;x&gt;.yaml:1:9"));
        assert!(
            !html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=")
        );
    }
}
