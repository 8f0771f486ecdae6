//! Unified diffs of edited files that `git apply` and `patch -p1` accept.

use super::FilePatch;

/// A unified diff of every changed file.
pub(crate) fn unified_diff(patches: &[FilePatch]) -> String {
    let mut out = String::new();
    for p in patches.iter().filter(|p| p.before != p.after) {
        let diff = similar::TextDiff::from_lines(&p.before, &p.after);
        let name = p.file.trim_start_matches("./");
        out.push_str(&format!("diff --git a/{name} b/{name}\n"));
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string(),
        );
    }
    out
}
