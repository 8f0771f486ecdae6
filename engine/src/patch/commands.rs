//! A plan's reverts on network devices, as the commands the device takes: per running
//! configuration, the configuration commands that bring it to the intended one at the findings
//! reverted, and the commands that undo them. Worked out from the trees, so they are masked by
//! masking the trees' secrets.

use super::changes::Files;
use crate::plan::{Action, Plan, Role};
use crate::policy::Policy;
use crate::secrets::FileSecrets;
use crate::tree::{Document, Format, Node};
use serde::{Deserialize, Serialize};

/// The commands for one device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceCommands {
    /// The running configuration the commands change (an environment's file).
    pub file: String,
    /// The device's language: `ios`, `eos`, `junos` or `junos-set` (Junos takes `set` and
    /// `delete` lines either way).
    pub format: Format,
    /// Configuration commands that bring the device to the intended configuration.
    pub commands: String,
    /// Commands that undo them, bringing the device back to what it runs now.
    pub rollback: String,
}

fn root(doc: &Document) -> Node {
    doc.documents
        .first()
        .cloned()
        .unwrap_or_else(|| Node::new(crate::tree::Value::Null, crate::span::TextRange::default()))
}

/// `text` with every secret value of these files masked (the longest first, so one that holds
/// another is masked whole).
fn masked(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for secret in secrets {
        out = out.replace(secret.as_str(), crate::policy::MASK);
    }
    out
}

/// The device commands of the plan's reverts; with `policy`, secret values masked as it says.
pub(crate) fn device_commands(
    plan: &Plan,
    files: &Files<'_>,
    policy: Option<&Policy>,
) -> Vec<DeviceCommands> {
    let Some(base) = plan.file_of(&Role::Base).and_then(|f| files.doc(f)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for input in &plan.inputs {
        let Role::Environment { environment } = &input.role else {
            continue;
        };
        let Some(doc) = files.doc(&input.file).filter(|d| d.format.is_device()) else {
            continue;
        };
        let places: Vec<&str> = plan
            .actions
            .iter()
            .filter(|a| a.action == Action::Revert && &a.finding.environment == environment)
            .map(|a| a.finding.path.as_str())
            .collect();
        if places.is_empty() {
            continue;
        }
        // The secrets' texts, from both files: the commands are worked out from real values and
        // masked after, so a changed secret still gets its command.
        let mut secrets: Vec<String> = Vec::new();
        if let Some(policy) = policy {
            for d in [doc, base] {
                let Some(source) = files.source(&d.name) else {
                    continue;
                };
                for span in FileSecrets::find(d, policy).spans() {
                    let text = &source.text[span.byte_range()];
                    if !text.trim().is_empty() {
                        secrets.push(text.trim().to_string());
                    }
                }
            }
        }
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let (running, intended) = (root(doc), root(base));
        let framed = |body: String, what: &str| -> String {
            if body.is_empty() {
                return String::new();
            }
            let body = masked(&body, &secrets);
            match doc.format {
                Format::Junos | Format::JunosSet => format!("# driftwise: {what}\n{body}"),
                _ => format!("! driftwise: {what}\nconfigure terminal\n{body}end\n"),
            }
        };
        out.push(DeviceCommands {
            file: input.file.clone(),
            format: doc.format,
            commands: framed(
                files
                    .table()
                    .commands(doc.format, &running, &intended, &places),
                &format!("bring the device of {} to {}", input.file, base.name),
            ),
            rollback: framed(
                files
                    .table()
                    .commands(doc.format, &intended, &running, &places),
                &format!(
                    "roll back: undo the commands that bring the device of {} to {}",
                    input.file, base.name
                ),
            ),
        });
    }
    out
}
