//! File names as the engine sees them: the names callers give their sources, usually paths. The
//! engine never touches a file system; these helpers only work on the text of names.

/// Whether a file or folder name found inside a directory is left out of it, as every front door
/// reads directories: hidden ones (`.git`, `.env.local`), and the `FILE.orig` copies `driftwise
/// apply` keeps of the files it changes (read as files of their own, they would be drift the next
/// check reports, or a format it cannot tell).
pub fn left_out_of_directory(name: &str) -> bool {
    name.starts_with('.') || name.ends_with(".orig")
}

/// The file name without folders and without its last extension: `config/prod.yaml` → `prod`.
pub fn file_stem(path: &str) -> &str {
    let file = base_name(path);
    // `.env.production` is production's; `.env` alone is `env`.
    if let Some(rest) = file.strip_prefix(".env") {
        return match rest.strip_prefix('.') {
            Some(name) if !name.is_empty() => name,
            _ if rest.is_empty() => "env",
            _ => file,
        };
    }
    match file.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => file,
    }
}

/// The last component of a name: `config/prod.yaml` → `prod.yaml`.
pub(crate) fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `relative` read from the folder of the file `beside`: `conf/driftwise.yaml` + `argocd/app.yaml`
/// → `conf/argocd/app.yaml`. `.` and `..` components are resolved as far as the names allow;
/// an absolute `relative` stays as it is.
pub(crate) fn join_relative(beside: &str, relative: &str) -> String {
    if relative.starts_with('/') || relative.starts_with('\\') || relative.contains(":\\") {
        return relative.to_string();
    }
    let folder = match beside.rfind(['/', '\\']) {
        Some(i) => &beside[..i],
        None => "",
    };
    let mut parts: Vec<&str> = folder
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let absolute = beside.starts_with('/');
    for part in relative.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The name a file is known by, without a leading `./`, with `/` separators.
pub(crate) fn normalised(name: &str) -> String {
    let name = name.replace('\\', "/");
    let mut rest = name.as_str();
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    rest.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_joins() {
        assert_eq!(file_stem("config/prod.yaml"), "prod");
        assert_eq!(file_stem(".env"), "env");
        assert_eq!(file_stem("conf/.env.production"), "production");
        assert_eq!(file_stem(".envrc"), ".envrc");
        assert_eq!(file_stem("a\\b\\c.json"), "c");
        assert_eq!(
            join_relative("conf/driftwise.yaml", "argocd/app.yaml"),
            "conf/argocd/app.yaml"
        );
        assert_eq!(join_relative("driftwise.yaml", "./a.yaml"), "a.yaml");
        assert_eq!(join_relative("a/b/p.yaml", "../c.yaml"), "a/c.yaml");
        assert_eq!(join_relative("p.yaml", "../c.yaml"), "../c.yaml");
        assert_eq!(join_relative("/x/p.yaml", "c.yaml"), "/x/c.yaml");
        assert_eq!(join_relative("x/p.yaml", "/abs/c.yaml"), "/abs/c.yaml");
        assert_eq!(normalised("./a/./b.yaml"), "a/./b.yaml");
        assert_eq!(base_name("a/b.yaml"), "b.yaml");
    }
}
