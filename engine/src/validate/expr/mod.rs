//! The rule expression language: a subset of CEL (the language Kubernetes validation rules use), so
//! a rule written here reads the same as an `x-kubernetes-validations` rule, plus `implies`.
//!
//! ```text
//! expr     := cond
//! cond     := implies ('?' cond ':' cond)?
//! implies  := or ('implies' or)*            a implies b  ==  !a || b
//! or       := and ('||' and)*
//! and      := rel ('&&' rel)*
//! rel      := add (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in') add)*
//! add      := mul (('+' | '-') mul)*
//! mul      := unary (('*' | '/' | '%') unary)*
//! unary    := ('!' | '-')* postfix
//! postfix  := primary ('.' name | '.' name '(' args ')' | '[' expr ']')*
//! primary  := number | string | true | false | null | name | name '(' args ')' | '[' args ']' | '(' expr ')'
//! ```
//!
//! Names are looked up in the matched value first (`replicas` means `self.replicas`), then among the
//! variables (`provider`, `env`, template variables). `self` is the matched value and `root` the
//! document. Functions: `has(a.b)`, `size(x)`, `int(x)`, `double(x)`, `string(x)`, `type(x)`, and
//! the methods `x.size()`, `s.matches(re)`, `s.startsWith(p)`, `s.endsWith(p)`, `s.contains(p)`,
//! `s.lowerAscii()`, `list.all(v, pred)`, `list.exists(v, pred)`, `list.exists_one(v, pred)`,
//! `list.map(v, expr)`, `list.filter(v, pred)`. A missing key is an error, as in CEL: guard with

mod ast;
#[cfg(test)]
mod cases;
mod eval;
mod lexer;
mod parser;

pub(crate) use ast::ExprError;
pub(crate) use eval::{EvalError, Val};

use crate::span::TextRange;
use crate::tree::Node;
use ast::{Ast, MAX_DEPTH, MAX_LENGTH, depth, literal_patterns};
use eval::Eval;
use lexer::lex;
use parser::Parser;
use serde_json::Value as J;

/// A compiled expression.
#[derive(Clone, Debug)]
pub(crate) struct Expr {
    text: String,
    root: Ast,
    /// `matches()` patterns written as literals, compiled once (and checked when the rule loads).
    regexes: Vec<(String, regex::Regex)>,
}

impl Expr {
    pub(crate) fn parse(text: &str) -> Result<Expr, ExprError> {
        if text.len() > MAX_LENGTH {
            return Err(ExprError {
                offset: MAX_LENGTH,
                message: format!("longer than {MAX_LENGTH} characters; split the rule"),
            });
        }
        let tokens = lex(text)?;
        let mut parser = Parser {
            tokens,
            at: 0,
            end: text.len(),
            depth: 0,
        };
        let root = parser.cond()?;
        if let Some((tok, offset)) = parser.tokens.get(parser.at) {
            return Err(ExprError {
                offset: *offset,
                message: format!("unexpected {tok}"),
            });
        }
        if depth(&root) > MAX_DEPTH * 2 {
            return Err(ExprError {
                offset: 0,
                message: format!("nesting deeper than {} levels", MAX_DEPTH * 2),
            });
        }
        let mut regexes = Vec::new();
        literal_patterns(&root, &mut |pattern| {
            if regexes.iter().any(|(p, _)| p == pattern) {
                return Ok(());
            }
            let re = regex::Regex::new(pattern).map_err(|e| ExprError {
                // The literal's text inside its quotes (a bare search could find the pattern's
                // characters earlier in the expression).
                offset: ['\'', '"']
                    .iter()
                    .find_map(|q| text.find(&format!("{q}{pattern}{q}")).map(|i| i + 1))
                    .or_else(|| text.find(pattern))
                    .unwrap_or(0),
                message: format!("bad pattern: {e}"),
            })?;
            regexes.push((pattern.to_string(), re));
            Ok(())
        })?;
        Ok(Expr {
            text: text.to_string(),
            root,
            regexes,
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Evaluates against `this` (the matched value) with `root` the document and `vars` the
    /// variables. Returns the value and the span of the first tree value the expression read, which
    /// is where a violation points.
    pub(crate) fn eval<'a>(
        &self,
        this: &'a Node,
        root: &'a Node,
        vars: &'a serde_json::Map<String, J>,
    ) -> (Result<Val<'a>, EvalError>, Option<TextRange>) {
        let mut eval = Eval {
            this,
            root,
            vars,
            scopes: Vec::new(),
            first_span: None,
            literal_regexes: &self.regexes,
            regexes: Vec::new(),
        };
        let result = eval.eval(&self.root);
        (result, eval.first_span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Source, parse};

    fn run(expr: &str, doc: &str) -> Result<String, String> {
        let doc = parse(&Source::new("t.yaml", doc)).unwrap();
        let root = &doc.documents[0];
        let vars = serde_json::json!({"env": "prod", "regions": ["a", "b"]});
        let vars = vars.as_object().unwrap();
        let expr = Expr::parse(expr).map_err(|e| e.to_string())?;
        expr.eval(root, root, vars)
            .0
            .map(|v| v.show())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn evaluates_the_cel_subset() {
        let doc =
            "replicas: 3\nmin_replicas: 2\ntls: {enabled: true}\nports: [80, 443]\nname: web-1\n";
        let cases = [
            ("replicas >= min_replicas", "true"),
            ("replicas * 2 + 1", "7"),
            ("tls.enabled implies has(tls.cert_path)", "false"),
            ("!tls.enabled || has(tls.cert_path)", "false"),
            ("size(ports) == 2 && ports.all(p, p > 0)", "true"),
            ("ports.exists(p, p == 443)", "true"),
            ("ports.map(p, p + 1)", "[81, 444]"),
            ("443 in ports && 'b' in regions", "true"),
            ("name.matches('^[a-z]+-[0-9]$')", "true"),
            ("env == 'prod' ? replicas : 0", "3"),
            ("self.name.startsWith('web')", "true"),
            ("'tls' in self", "true"),
            ("7 / 2 == 3 && 7.0 / 2 == 3.5", "true"),
            ("int('42') + size('héllo')", "47"),
        ];
        for (expr, want) in cases {
            assert_eq!(run(expr, doc).as_deref(), Ok(want), "{expr}");
        }
    }

    #[test]
    fn reports_errors_with_their_place() {
        let doc = "replicas: 3\n";
        assert_eq!(
            run("replicas >= min_replicas", doc),
            Err("no such key: min_replicas".into())
        );
        assert_eq!(
            run("replicas >=", doc),
            Err("expected a value, but the expression ended (at character 12)".into())
        );
        assert_eq!(
            run("(replicas", doc),
            Err("expected ')', but the expression ended (at character 10)".into())
        );
        assert_eq!(run("replicas / 0", doc), Err("division by zero".into()));
        assert_eq!(
            run("replicas && true", doc),
            Err("expected true or false, got a int".into())
        );
        assert!(run("9223372036854775807 + 1", doc).is_err());
        let deep = format!("{}1{}", "(".repeat(1_000), ")".repeat(1_000));
        assert!(
            run(&deep, doc)
                .unwrap_err()
                .contains("nesting deeper than 64")
        );
        assert!(run(&format!("{}true", "!".repeat(10_000)), doc).is_err());
        assert_eq!(run("!!true", doc).as_deref(), Ok("true"));
        let long_chain = format!("replicas{}", " + 1".repeat(500));
        assert!(
            run(&long_chain, doc)
                .unwrap_err()
                .contains("nesting deeper")
        );
        assert!(
            run(&"1+".repeat(3000), doc)
                .unwrap_err()
                .contains("longer than")
        );
    }

    #[test]
    fn points_at_the_first_value_read() {
        let doc = parse(&Source::new("t.yaml", "a: 1\nb: 2\n")).unwrap();
        let root = &doc.documents[0];
        let vars = serde_json::Map::new();
        let (_, span) = Expr::parse("b > a").unwrap().eval(root, root, &vars);
        assert_eq!(doc.pos_in("t.yaml", span.unwrap().start()).line, 2);
    }
}
