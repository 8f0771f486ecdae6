//! Every construct of the expression language with the value or the error it gives, one line each,
//! over a document and variables holding every kind of value.

use super::Expr;
use crate::{Source, parse};

const DOC: &str = "\
replicas: 3
ratio: 0.5
price: 1.10
nothing: null
flag: true
name: web-1
labels: {app: web}
ports: [80, 443]
nested: [[1, 2], [3]]
vast: 123456789012345678901234567890
";

fn run(expr: &str) -> Result<String, String> {
    let doc = parse(&Source::new("t.yaml", DOC)).unwrap();
    let root = &doc.documents[0];
    let vars = serde_json::json!({
        "env": "prod",
        "regions": ["a", "b"],
        "limits": {"max": 5},
        "unset": null,
        "on": true,
        "share": 1.5,
        "big": i64::MAX,
        "huge": u64::MAX,
    });
    let vars = vars.as_object().unwrap();
    let expr = Expr::parse(expr).map_err(|e| e.to_string())?;
    expr.eval(root, root, vars)
        .0
        .map(|v| v.show())
        .map_err(|e| e.to_string())
}

fn check(cases: &[(&str, Result<&str, &str>)]) {
    for (expr, want) in cases {
        let got = run(expr);
        let got = got.as_ref().map(String::as_str).map_err(String::as_str);
        assert_eq!(got, *want, "{expr}");
    }
}

#[test]
fn types_and_how_values_show() {
    check(&[
        ("type(nothing)", Ok("null")),
        ("type(flag)", Ok("bool")),
        ("type(replicas)", Ok("int")),
        ("type(ratio)", Ok("double")),
        ("type(price)", Ok("double")),
        ("type(vast) + string(vast > 1e29)", Ok("doubletrue")),
        ("2.5E-1 + 1e+1 + 3e0", Ok("13.25")),
        ("1e", Err("unexpected 'e' (at character 2)")),
        ("type(name)", Ok("string")),
        ("type(ports)", Ok("list")),
        ("type(labels)", Ok("map")),
        ("type([1])", Ok("list")),
        ("type(unset)", Ok("null")),
        ("type(on)", Ok("bool")),
        ("type(big)", Ok("int")),
        ("type(share)", Ok("double")),
        ("type(huge)", Ok("double")),
        ("type(env)", Ok("string")),
        ("type(regions)", Ok("list")),
        ("type(limits)", Ok("map")),
        ("type(null)", Ok("null")),
        ("nothing", Ok("null")),
        ("ratio", Ok("0.5")),
        ("labels", Ok(r#"{"app":"web"}"#)),
        ("limits", Ok(r#"{"max":5}"#)),
        ("regions", Ok(r#"["a","b"]"#)),
        (
            "[1, 'a', [2.5, null, true]]",
            Ok("[1, a, [2.5, null, true]]"),
        ),
        ("string(replicas) + '!'", Ok("3!")),
    ]);
}

#[test]
fn names_members_and_indexes() {
    check(&[
        ("self.replicas + root.replicas", Ok("6")),
        ("env", Ok("prod")),
        ("missing", Err("no such key: missing")),
        ("labels.app", Ok("web")),
        ("labels['app']", Ok("web")),
        ("labels['x']", Err("no such key: x")),
        ("labels.x", Err("no such key: x")),
        ("limits.max", Ok("5")),
        ("limits['max']", Ok("5")),
        ("regions.x", Err("no such key: x")),
        ("name.x", Err("no such key: x")),
        ("(1).x", Err("a int has no fields (looking up 'x')")),
        ("ports[1]", Ok("443")),
        ("nested[0][1]", Ok("2")),
        ("regions[0]", Ok("a")),
        ("[7, 8][1]", Ok("8")),
        ("ports[5]", Err("index 5 out of range (size 2)")),
        ("ports[-1]", Err("index -1 out of range (size 2)")),
        ("name[0]", Err("only lists take a number index")),
        ("ports[true]", Err("cannot index with a bool")),
    ]);
}

#[test]
fn operators() {
    check(&[
        ("-replicas", Ok("-3")),
        ("-ratio", Ok("-0.5")),
        ("-name", Err("cannot negate a string")),
        ("-(-big - 1)", Err("integer overflow")),
        ("flag ? 1 : 2", Ok("1")),
        ("!flag ? 1 : 2", Ok("2")),
        ("replicas ? 1 : 2", Err("expected true or false, got a int")),
        ("flag && on", Ok("true")),
        ("flag && replicas", Err("expected true or false, got a int")),
        (
            "!flag || replicas",
            Err("expected true or false, got a int"),
        ),
        ("flag || replicas", Ok("true")),
        ("!flag implies replicas", Ok("true")),
        ("replicas == 3.0", Ok("true")),
        ("nothing == null", Ok("true")),
        ("nothing == 1", Ok("false")),
        ("1 == nothing", Ok("false")),
        ("flag == on", Ok("true")),
        ("flag != false", Ok("true")),
        ("name == 'web-1'", Ok("true")),
        ("labels == labels", Ok("true")),
        ("ports == [80, 443]", Ok("true")),
        ("[1, 2] == ports", Ok("false")),
        (
            "labels == 1 || labels == 1.5 || labels == 'a' || labels == true",
            Ok("false"),
        ),
        (
            "[true, 'a', 1.5, null, [2]] == [true, 'a', 1.5, null, [2]]",
            Ok("true"),
        ),
        ("regions == ['a', 'b'] && limits != regions", Ok("true")),
        ("'a' < 'b'", Ok("true")),
        ("true > false", Ok("true")),
        ("1 < 1.5", Ok("true")),
        ("ratio >= 0.5", Ok("true")),
        ("ratio <= 0.4", Ok("false")),
        ("replicas > 'a'", Err("cannot compare a int with a string")),
        ("'app' in labels", Ok("true")),
        ("'x' in limits", Ok("false")),
        ("1 in labels", Err("map keys are strings")),
        ("1 in 2", Err("'in' needs a list or a map on its right")),
        ("2 in [1, 2]", Ok("true")),
        ("7 - 2", Ok("5")),
        ("7 / 2", Ok("3")),
        ("7 % 2", Ok("1")),
        ("7 % 0", Err("division by zero")),
        ("big + 1", Err("integer overflow")),
        ("-big - 2", Err("integer overflow")),
        ("big * 2", Err("integer overflow")),
        ("'a' + 'b'", Ok("ab")),
        ("1.5 + 1", Ok("2.5")),
        ("3.0 - 1", Ok("2")),
        ("2 * 1.5", Ok("3")),
        ("3.0 / 2", Ok("1.5")),
        ("5.5 % 2", Ok("1.5")),
        ("[1] + [2]", Ok("[1, 2]")),
        ("ports + regions", Ok("[80, 443, a, b]")),
        (
            "'a' - 1",
            Err("cannot apply arithmetic to a string and a int"),
        ),
        (
            "'a' * 'b'",
            Err("cannot apply arithmetic to a string and a string"),
        ),
    ]);
}

#[test]
fn functions_and_methods() {
    check(&[
        ("has(labels.app) && !has(labels.x)", Ok("true")),
        (
            "has(replicas)",
            Err("has() takes a field selection, like has(tls.cert_path)"),
        ),
        ("size(1, 2)", Err("size() takes one argument")),
        ("size('héllo')", Ok("5")),
        (
            "size(labels) + size(limits) + size(regions) + ports.size()",
            Ok("6"),
        ),
        ("size(1)", Err("size() of a int")),
        ("string(1.5)", Ok("1.5")),
        ("int(2.7)", Ok("2")),
        ("int(7)", Ok("7")),
        ("int(' 42 ')", Ok("42")),
        ("int('x')", Err("int(): 'x' is not an integer")),
        ("int(true)", Err("int() does not take a bool")),
        ("double(2)", Ok("2")),
        ("double(1.5)", Ok("1.5")),
        ("double('2.5')", Ok("2.5")),
        ("double('x')", Err("double(): 'x' is not a number")),
        ("name.matches('^web')", Ok("true")),
        ("name.matches(1)", Err("matches() takes a string argument")),
        ("name.matches(env) || name.matches(env)", Ok("false")),
        (
            "name.matches(env + '(')",
            Err("bad pattern: regex parse error:\n    prod(\n        ^\nerror: unclosed group"),
        ),
        (
            "name.startsWith('web') && name.endsWith('1') && name.contains('b-')",
            Ok("true"),
        ),
        ("'AbC'.lowerAscii() + 'AbC'.upperAscii()", Ok("abcABC")),
        (
            "replicas.lowerAscii()",
            Err("lowerAscii() does not take a int"),
        ),
        ("frobnicate(1)", Err("unknown function frobnicate()")),
        ("ports.all(p, p > 100)", Ok("false")),
        ("ports.all(p, p > 0)", Ok("true")),
        ("ports.exists(p, p > 1000)", Ok("false")),
        ("ports.exists_one(p, p > 100)", Ok("true")),
        ("ports.exists_one(p, p > 0)", Ok("false")),
        ("ports.filter(p, p > 100)", Ok("[443]")),
        ("regions.map(r, r + '!')", Ok("[a!, b!]")),
        ("ports.map(p, p / 0)", Err("division by zero")),
        ("ports.all(p, p)", Err("expected true or false, got a int")),
        (
            "ports.all(1, p)",
            Err("all() takes a variable name and an expression"),
        ),
        ("name.all(c, true)", Err("all() works on lists")),
    ]);
}

#[test]
fn sign_runs_have_a_limit() {
    let signs = format!("{}true", "!".repeat(64));
    assert_eq!(run(&signs).as_deref(), Ok("true"));
    let signs = format!("{}true", "!".repeat(65));
    assert_eq!(
        run(&signs),
        Err("more than 64 signs in a row (at character 66)".into())
    );
}

#[test]
fn what_the_reader_refuses() {
    check(&[
        ("'open", Err("unclosed string (at character 1)")),
        ("'open\\", Err("unclosed string (at character 1)")),
        ("'a\\'b' + \"\\n\\t\\\\\"", Ok("a'b\n\t\\")),
        (
            "99999999999999999999",
            Err("number 99999999999999999999 is out of range (at character 1)"),
        ),
        (
            "labels.",
            Err("expected a name after '.', but the expression ended (at character 8)"),
        ),
        (
            "labels.1",
            Err("expected a name after '.', but found number 1 (at character 8)"),
        ),
        ("size()", Err("size() takes one argument")),
        ("1 2", Err("unexpected number 2 (at character 3)")),
        ("1 1.5", Err("unexpected number 1.5 (at character 3)")),
        ("1 'x'", Err("unexpected string \"x\" (at character 3)")),
        ("1 name", Err("unexpected 'name' (at character 3)")),
        ("1 )", Err("unexpected ')' (at character 3)")),
        (
            "name.matches('(')",
            Err(
                "bad pattern: regex parse error:\n    (\n    ^\nerror: unclosed group (at character 15)",
            ),
        ),
        ("name.matches('^w') && name.matches('^w')", Ok("true")),
        (
            "name.matches('\\d(')",
            Err(
                "bad pattern: regex parse error:\n    d(\n     ^\nerror: unclosed group (at character 16)",
            ),
        ),
    ]);
}
