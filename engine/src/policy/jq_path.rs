//! The part of jq that Argo CD's `ignoreDifferences.jqPathExpressions` use to name a place, as a
//! driftwise path pattern: `.a.b`, `."x.y"` and `.a["x.y"]`, `.a[]` and `.a[]?` (any item),
//! `.a[2]`, and `.a[] | select(.name == "web")` (the item whose `name` is `web`), followed by more
//! of the path, piped or not. Anything else is refused with the expression named, never guessed.

use crate::pointer::escape_segment;

/// The pattern for one expression, or why it cannot be read.
pub(super) fn to_pattern(expression: &str) -> Result<String, String> {
    let refuse = |why: &str| {
        Err(format!(
            "jqPathExpressions: `{expression}` is outside the subset driftwise reads ({why}); supported: .a.b, .a[], .a[N], .a[] | select(.field == \"value\"), optional ? and |"
        ))
    };
    let chars: Vec<char> = expression.trim().chars().collect();
    let mut i = 0;
    let mut out = String::new();
    // After `[]`: the item, until a `select` names it.
    let mut any_item = false;
    let skip_blanks = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    let quoted = |i: &mut usize| -> Option<String> {
        if chars.get(*i) != Some(&'"') {
            return None;
        }
        let mut s = String::new();
        *i += 1;
        while *i < chars.len() {
            match chars[*i] {
                '"' => {
                    *i += 1;
                    return Some(s);
                }
                '\\' if *i + 1 < chars.len() => {
                    s.push(chars[*i + 1]);
                    *i += 2;
                }
                c => {
                    s.push(c);
                    *i += 1;
                }
            }
        }
        None
    };
    let flush_item = |out: &mut String, any_item: &mut bool| {
        if *any_item {
            out.push_str("/*");
            *any_item = false;
        }
    };
    if chars.first() != Some(&'.') {
        return refuse("it must start with `.`");
    }
    while i < chars.len() {
        skip_blanks(&mut i);
        let Some(&c) = chars.get(i) else { break };
        match c {
            '.' => {
                i += 1;
                flush_item(&mut out, &mut any_item);
                if let Some(key) = quoted(&mut i) {
                    out.push('/');
                    out.push_str(&escape_segment(&key));
                    continue;
                }
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '-')
                {
                    i += 1;
                }
                if i == start {
                    if chars.get(i) == Some(&'[') {
                        continue;
                    }
                    return refuse("a `.` with no name after it");
                }
                out.push('/');
                out.push_str(&escape_segment(&chars[start..i].iter().collect::<String>()));
            }
            '[' => {
                i += 1;
                skip_blanks(&mut i);
                if chars.get(i) == Some(&']') {
                    i += 1;
                    flush_item(&mut out, &mut any_item);
                    any_item = true;
                } else if let Some(key) = quoted(&mut i) {
                    flush_item(&mut out, &mut any_item);
                    out.push('/');
                    out.push_str(&escape_segment(&key));
                    skip_blanks(&mut i);
                    if chars.get(i) != Some(&']') {
                        return refuse("an unclosed `[`");
                    }
                    i += 1;
                } else {
                    let start = i;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                    if i == start || chars.get(i) != Some(&']') {
                        return refuse("only `[]`, `[N]` and `[\"key\"]` index");
                    }
                    flush_item(&mut out, &mut any_item);
                    out.push('/');
                    out.extend(&chars[start..i]);
                    i += 1;
                }
            }
            '?' => i += 1,
            '|' => {
                i += 1;
                skip_blanks(&mut i);
                let rest: String = chars[i..].iter().collect();
                if let Some(after) = rest.strip_prefix("select(") {
                    if !any_item {
                        return refuse("`select` only after `[]`");
                    }
                    let Some(close) = after.find(')') else {
                        return refuse("an unclosed `select(`");
                    };
                    let condition = &after[..close];
                    let Some((field, value)) = condition.split_once("==") else {
                        return refuse("`select` only with `.field == \"value\"`");
                    };
                    let field = field.trim();
                    let Some(field) = field.strip_prefix('.').filter(|f| {
                        !f.is_empty()
                            && f.chars()
                                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                    }) else {
                        return refuse("`select` only on one field of the item");
                    };
                    let value: Vec<char> = value.trim().chars().collect();
                    let text = if value.first() == Some(&'"') {
                        let mut j = 0;
                        let q = {
                            let chars = &value;
                            let mut s = String::new();
                            j += 1;
                            let mut closed = false;
                            while j < chars.len() {
                                match chars[j] {
                                    '"' => {
                                        closed = true;
                                        j += 1;
                                        break;
                                    }
                                    '\\' if j + 1 < chars.len() => {
                                        s.push(chars[j + 1]);
                                        j += 2;
                                    }
                                    c => {
                                        s.push(c);
                                        j += 1;
                                    }
                                }
                            }
                            closed.then_some(s)
                        };
                        match q {
                            Some(s) if j == value.len() => s,
                            _ => return refuse("a `select` value that is not one string"),
                        }
                    } else {
                        let plain: String = value.iter().collect();
                        if plain.is_empty()
                            || !plain
                                .chars()
                                .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
                        {
                            return refuse("a `select` value that is not a string or number");
                        }
                        plain
                    };
                    if text.contains([',', '=', ']', '[']) {
                        return refuse("a `select` value holding `,`, `=` or brackets");
                    }
                    out.push_str(&format!("[{field}={text}]"));
                    any_item = false;
                    i += "select(".len() + after[..close].chars().count() + 1;
                } else if !rest.starts_with('.') {
                    return refuse("after `|` only a path or `select(...)`");
                }
            }
            _ => return refuse(&format!("`{c}` where a path step was expected")),
        }
    }
    flush_item(&mut out, &mut any_item);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::to_pattern;

    #[test]
    fn the_subset_argo_cd_users_write() {
        let cases = [
            (".spec.replicas", "/spec/replicas"),
            (
                ".metadata.annotations[\"argocd.argoproj.io/sync-wave\"]",
                "/metadata/annotations/argocd.argoproj.io~1sync-wave",
            ),
            (
                ".metadata.annotations.\"a.b/c\"",
                "/metadata/annotations/a.b~1c",
            ),
            (
                ".spec.template.spec.containers[]",
                "/spec/template/spec/containers/*",
            ),
            (
                ".spec.template.spec.containers[]?.image",
                "/spec/template/spec/containers/*/image",
            ),
            (".spec.ports[0].nodePort", "/spec/ports/0/nodePort"),
            (
                ".spec.template.spec.initContainers[] | select(.name == \"istio-init\")",
                "/spec/template/spec/initContainers[name=istio-init]",
            ),
            (
                ".spec.template.spec.containers[] | select(.name == \"web\") | .image",
                "/spec/template/spec/containers[name=web]/image",
            ),
            (
                ".webhooks[]?.clientConfig.caBundle",
                "/webhooks/*/clientConfig/caBundle",
            ),
            (
                ".spec.ports[] | select(.port == 443).nodePort",
                "/spec/ports[port=443]/nodePort",
            ),
        ];
        for (expression, pattern) in cases {
            assert_eq!(
                to_pattern(expression).as_deref(),
                Ok(pattern),
                "{expression}"
            );
            crate::pattern::Pattern::parse(pattern).unwrap();
        }
    }

    #[test]
    fn anything_else_is_refused_naming_the_expression() {
        for (expression, why) in [
            (".spec | length", "after `|` only a path or `select(...)`"),
            (
                ".a[] | select(.name | test(\"x\"))",
                "`select` only with `.field == \"value\"`",
            ),
            (".a | select(.name == \"x\")", "`select` only after `[]`"),
            ("spec.replicas", "it must start with `.`"),
            (".", "a `.` with no name after it"),
            (".a[1:3]", "only `[]`, `[N]` and `[\"key\"]` index"),
            (
                ".a[] | select(.b.c == \"x\")",
                "`select` only on one field of the item",
            ),
            (".a + .b", "`+` where a path step was expected"),
        ] {
            let err = to_pattern(expression).unwrap_err();
            assert!(err.contains(&format!("`{expression}`")), "{err}");
            assert!(err.contains(why), "{expression}: {err}");
        }
    }
}
