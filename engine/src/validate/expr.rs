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
//! `has()`. `&&` and `||` evaluate left to right and stop early.

use crate::span::Span;
use crate::tree::{Node, Value as TreeValue};
use serde_json::Value as J;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

/// A compiled expression.
#[derive(Clone, Debug)]
pub struct Expr {
    text: String,
    root: Ast,
    /// `matches()` patterns written as literals, compiled once (and checked when the rule loads).
    regexes: Vec<(String, regex::Regex)>,
}

/// Where in the expression text a problem is (byte offset) and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset + 1)
    }
}

#[derive(Clone, Debug)]
enum Ast {
    Lit(Lit),
    Name(String),
    Member(Box<Ast>, String),
    Index(Box<Ast>, Box<Ast>),
    Call(String, Vec<Ast>),
    Method(Box<Ast>, String, Vec<Ast>),
    List(Vec<Ast>),
    Not(Box<Ast>),
    Neg(Box<Ast>),
    Binary(Op, Box<Ast>, Box<Ast>),
    Cond(Box<Ast>, Box<Ast>, Box<Ast>),
}

#[derive(Clone, Debug)]
enum Lit {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Implies,
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl Expr {
    pub fn parse(text: &str) -> Result<Expr, ExprError> {
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
                offset: text.find(pattern).unwrap_or(0),
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

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Evaluates against `this` (the matched value) with `root` the document and `vars` the
    /// variables. Returns the value and the span of the first tree value the expression read, which
    /// is where a violation points.
    pub fn eval<'a>(
        &self,
        this: &'a Node,
        root: &'a Node,
        vars: &'a serde_json::Map<String, J>,
    ) -> (Result<Val<'a>, String>, Option<Span>) {
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

fn literal_patterns(
    ast: &Ast,
    visit: &mut impl FnMut(&str) -> Result<(), ExprError>,
) -> Result<(), ExprError> {
    match ast {
        Ast::Method(target, name, args) => {
            if let ("matches", [Ast::Lit(Lit::Str(p))]) = (name.as_str(), args.as_slice()) {
                visit(p)?;
            }
            literal_patterns(target, visit)?;
            args.iter().try_for_each(|a| literal_patterns(a, visit))
        }
        Ast::Call(_, args) | Ast::List(args) => {
            args.iter().try_for_each(|a| literal_patterns(a, visit))
        }
        Ast::Member(a, _) | Ast::Not(a) | Ast::Neg(a) => literal_patterns(a, visit),
        Ast::Index(a, b) | Ast::Binary(_, a, b) => {
            literal_patterns(a, visit)?;
            literal_patterns(b, visit)
        }
        Ast::Cond(a, b, c) => {
            literal_patterns(a, visit)?;
            literal_patterns(b, visit)?;
            literal_patterns(c, visit)
        }
        Ast::Lit(_) | Ast::Name(_) => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Lexing and parsing

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Int(i64),
    Float(f64),
    Str(String),
    Ident(String),
    Punct(&'static str),
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Int(i) => write!(f, "number {i}"),
            Tok::Float(x) => write!(f, "number {x}"),
            Tok::Str(s) => write!(f, "string {s:?}"),
            Tok::Ident(s) => write!(f, "'{s}'"),
            Tok::Punct(p) => write!(f, "'{p}'"),
        }
    }
}

const PUNCT: [&str; 22] = [
    "&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "+", "-", "*", "/", "%", "(", ")", "[", "]",
    ".", ",", "?", ":",
];

fn lex(text: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'_') {
                i += 1;
            }
            let mut float = false;
            if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                float = true;
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let digits = text[start..i].replace('_', "");
            let tok = if float {
                digits.parse().map(Tok::Float).ok()
            } else {
                digits.parse().map(Tok::Int).ok()
            };
            let tok = tok.ok_or_else(|| ExprError {
                offset: start,
                message: format!("number {digits} is out of range"),
            })?;
            tokens.push((tok, start));
        } else if c == b'"' || c == b'\'' {
            let start = i;
            i += 1;
            let mut s = String::new();
            loop {
                let Some(ch) = text[i..].chars().next() else {
                    return Err(ExprError {
                        offset: start,
                        message: "unclosed string".into(),
                    });
                };
                i += ch.len_utf8();
                if ch as u32 == c as u32 {
                    break;
                }
                if ch == '\\' {
                    let Some(esc) = text[i..].chars().next() else {
                        continue;
                    };
                    i += esc.len_utf8();
                    s.push(match esc {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                } else {
                    s.push(ch);
                }
            }
            tokens.push((Tok::Str(s), start));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            tokens.push((Tok::Ident(text[start..i].to_string()), start));
        } else if let Some(p) = PUNCT.iter().find(|p| text[i..].starts_with(**p)) {
            tokens.push((Tok::Punct(p), i));
            i += p.len();
        } else {
            let ch = text[i..].chars().next().unwrap_or('?');
            return Err(ExprError {
                offset: i,
                message: format!("unexpected character '{ch}'"),
            });
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<(Tok, usize)>,
    at: usize,
    end: usize,
    depth: usize,
}

/// Deeper nesting than any real rule; the limits keep a hostile rule from exhausting the stack
/// (evaluation recurses along the tree).
const MAX_DEPTH: usize = 64;
const MAX_LENGTH: usize = 4096;

fn depth(ast: &Ast) -> usize {
    1 + match ast {
        Ast::Lit(_) | Ast::Name(_) => 0,
        Ast::Member(a, _) | Ast::Not(a) | Ast::Neg(a) => depth(a),
        Ast::Index(a, b) | Ast::Binary(_, a, b) => depth(a).max(depth(b)),
        Ast::Cond(a, b, c) => depth(a).max(depth(b)).max(depth(c)),
        Ast::Call(_, args) | Ast::List(args) => args.iter().map(depth).max().unwrap_or(0),
        Ast::Method(t, _, args) => depth(t).max(args.iter().map(depth).max().unwrap_or(0)),
    }
}

type Parsed = Result<Ast, ExprError>;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.at).map_or(self.end, |(_, o)| *o)
    }

    fn eat(&mut self, punct: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(p)) if *p == punct) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(w)) if w == word) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, punct: &str) -> Result<(), ExprError> {
        if self.eat(punct) {
            return Ok(());
        }
        Err(self.error(format!("expected '{punct}'")))
    }

    fn error(&self, expected: String) -> ExprError {
        let found = match self.tokens.get(self.at) {
            Some((t, _)) => format!("found {t}"),
            None => "the expression ended".to_string(),
        };
        ExprError {
            offset: self.offset(),
            message: format!("{expected}, but {found}"),
        }
    }

    fn cond(&mut self) -> Parsed {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let result = self.cond_inner();
        self.depth -= 1;
        result
    }

    fn cond_inner(&mut self) -> Parsed {
        let test = self.implies()?;
        if self.eat("?") {
            let yes = self.cond()?;
            self.expect(":")?;
            let no = self.cond()?;
            return Ok(Ast::Cond(Box::new(test), Box::new(yes), Box::new(no)));
        }
        Ok(test)
    }

    fn implies(&mut self) -> Parsed {
        let mut left = self.or()?;
        loop {
            if !self.eat_word("implies") {
                return Ok(left);
            }
            let right = self.or()?;
            left = Ast::Binary(Op::Implies, Box::new(left), Box::new(right));
        }
    }

    fn or(&mut self) -> Parsed {
        self.binary(&[("||", Op::Or)], Parser::and)
    }

    fn and(&mut self) -> Parsed {
        self.binary(&[("&&", Op::And)], Parser::rel)
    }

    fn rel(&mut self) -> Parsed {
        let mut left = self.add()?;
        loop {
            let op = if self.eat_word("in") {
                Op::In
            } else {
                match [
                    ("==", Op::Eq),
                    ("!=", Op::Ne),
                    ("<=", Op::Le),
                    (">=", Op::Ge),
                    ("<", Op::Lt),
                    (">", Op::Gt),
                ]
                .into_iter()
                .find(|(p, _)| self.eat(p))
                {
                    Some((_, op)) => op,
                    None => return Ok(left),
                }
            };
            let right = self.add()?;
            left = Ast::Binary(op, Box::new(left), Box::new(right));
        }
    }

    fn add(&mut self) -> Parsed {
        self.binary(&[("+", Op::Add), ("-", Op::Sub)], Parser::mul)
    }

    fn mul(&mut self) -> Parsed {
        self.binary(
            &[("*", Op::Mul), ("/", Op::Div), ("%", Op::Rem)],
            Parser::unary,
        )
    }

    fn binary(&mut self, ops: &[(&str, Op)], next: fn(&mut Parser) -> Parsed) -> Parsed {
        let mut left = next(self)?;
        loop {
            let Some(&(_, op)) = ops.iter().find(|(p, _)| self.eat(p)) else {
                return Ok(left);
            };
            let right = next(self)?;
            left = Ast::Binary(op, Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Parsed {
        let mut ops = Vec::new();
        while let Some(op) = ["!", "-"].into_iter().find(|op| self.eat(op)) {
            ops.push(op);
            if ops.len() > MAX_DEPTH {
                return Err(self.error(format!("more than {MAX_DEPTH} signs in a row")));
            }
        }
        let mut value = self.postfix()?;
        for op in ops.into_iter().rev() {
            value = if op == "!" {
                Ast::Not(Box::new(value))
            } else {
                Ast::Neg(Box::new(value))
            };
        }
        Ok(value)
    }

    fn postfix(&mut self) -> Parsed {
        let mut value = self.primary()?;
        loop {
            if self.eat(".") {
                let Some(Tok::Ident(name)) = self.peek().cloned() else {
                    return Err(self.error("expected a name after '.'".into()));
                };
                self.at += 1;
                if self.eat("(") {
                    let args = self.args(")")?;
                    value = Ast::Method(Box::new(value), name, args);
                } else {
                    value = Ast::Member(Box::new(value), name);
                }
            } else if self.eat("[") {
                let index = self.cond()?;
                self.expect("]")?;
                value = Ast::Index(Box::new(value), Box::new(index));
            } else {
                return Ok(value);
            }
        }
    }

    fn args(&mut self, close: &str) -> Result<Vec<Ast>, ExprError> {
        let mut args = Vec::new();
        if self.eat(close) {
            return Ok(args);
        }
        loop {
            args.push(self.cond()?);
            if self.eat(close) {
                return Ok(args);
            }
            self.expect(",")?;
        }
    }

    fn primary(&mut self) -> Parsed {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.error("expected a value".into()));
        };
        self.at += 1;
        Ok(match tok {
            Tok::Int(i) => Ast::Lit(Lit::Int(i)),
            Tok::Float(x) => Ast::Lit(Lit::Float(x)),
            Tok::Str(s) => Ast::Lit(Lit::Str(s)),
            Tok::Ident(word) => match word.as_str() {
                "true" => Ast::Lit(Lit::Bool(true)),
                "false" => Ast::Lit(Lit::Bool(false)),
                "null" => Ast::Lit(Lit::Null),
                _ if self.eat("(") => Ast::Call(word, self.args(")")?),
                _ => Ast::Name(word),
            },
            Tok::Punct("(") => {
                let inner = self.cond()?;
                self.expect(")")?;
                inner
            }
            Tok::Punct("[") => Ast::List(self.args("]")?),
            other => {
                self.at -= 1;
                return Err(self.error(format!("expected a value, not {other}")));
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// A value during evaluation: borrowed from the checked tree or the variables, or computed.
#[derive(Clone, Debug)]
pub enum Val<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    List(Vec<Val<'a>>),
    Node(&'a Node),
    Json(&'a J),
}

impl<'a> Val<'a> {
    /// Scalars out of their wrappers, so comparisons see plain values.
    fn scalar(self) -> Val<'a> {
        match self {
            Val::Node(node) => match &node.value {
                TreeValue::Null => Val::Null,
                TreeValue::Bool(b) => Val::Bool(*b),
                TreeValue::Int(i) => Val::Int(*i),
                TreeValue::Float(x) => Val::Float(*x),
                TreeValue::String(s) => Val::Str(Cow::Borrowed(s)),
                _ => Val::Node(node),
            },
            Val::Json(json) => match json {
                J::Null => Val::Null,
                J::Bool(b) => Val::Bool(*b),
                J::Number(n) => n
                    .as_i64()
                    .map(Val::Int)
                    .unwrap_or_else(|| Val::Float(n.as_f64().unwrap_or(f64::NAN))),
                J::String(s) => Val::Str(Cow::Borrowed(s)),
                _ => Val::Json(json),
            },
            other => other,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.clone().scalar() {
            Val::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self.clone().scalar() {
            Val::Null => "null",
            Val::Bool(_) => "bool",
            Val::Int(_) => "int",
            Val::Float(_) => "double",
            Val::Str(_) => "string",
            Val::List(_) => "list",
            Val::Node(n) => match n.value {
                TreeValue::List(_) => "list",
                _ => "map",
            },
            Val::Json(j) => match j {
                J::Array(_) => "list",
                _ => "map",
            },
        }
    }

    /// The items of a list value.
    fn items(self) -> Option<Vec<Val<'a>>> {
        match self {
            Val::List(items) => Some(items),
            Val::Node(Node {
                value: TreeValue::List(items),
                ..
            }) => Some(items.iter().map(Val::Node).collect()),
            Val::Json(J::Array(items)) => Some(items.iter().map(Val::Json).collect()),
            _ => None,
        }
    }

    fn is_map(&self) -> bool {
        matches!(
            self,
            Val::Node(Node {
                value: TreeValue::Map(_),
                ..
            }) | Val::Json(J::Object(_))
        )
    }

    /// A display form for messages.
    pub fn show(&self) -> String {
        match self.clone().scalar() {
            Val::Null => "null".into(),
            Val::Bool(b) => b.to_string(),
            Val::Int(i) => i.to_string(),
            Val::Float(x) => x.to_string(),
            Val::Str(s) => s.into_owned(),
            Val::Node(n) => n.to_json().to_string(),
            Val::Json(j) => j.to_string(),
            Val::List(items) => {
                let shown: Vec<String> = items.iter().map(Val::show).collect();
                format!("[{}]", shown.join(", "))
            }
        }
    }
}

struct Eval<'a, 'e> {
    this: &'a Node,
    root: &'a Node,
    vars: &'a serde_json::Map<String, J>,
    scopes: Vec<(&'e str, Val<'a>)>,
    first_span: Option<Span>,
    literal_regexes: &'e [(String, regex::Regex)],
    regexes: Vec<(String, regex::Regex)>,
}

type Out<'a> = Result<Val<'a>, String>;

impl<'a, 'e> Eval<'a, 'e> {
    fn eval(&mut self, ast: &'e Ast) -> Out<'a> {
        match ast {
            Ast::Lit(lit) => Ok(match lit {
                Lit::Null => Val::Null,
                Lit::Bool(b) => Val::Bool(*b),
                Lit::Int(i) => Val::Int(*i),
                Lit::Float(x) => Val::Float(*x),
                Lit::Str(s) => Val::Str(Cow::Owned(s.clone())),
            }),
            Ast::Name(name) => self.name(name),
            Ast::Member(target, name) => {
                let target = self.eval(target)?;
                self.member(target, name)?
                    .ok_or_else(|| format!("no such key: {name}"))
            }
            Ast::Index(target, index) => {
                let target = self.eval(target)?;
                let index = self.eval(index)?.scalar();
                match index {
                    Val::Str(key) => self
                        .member(target, &key)?
                        .ok_or_else(|| format!("no such key: {key}")),
                    Val::Int(i) => {
                        let items = target
                            .items()
                            .ok_or_else(|| "only lists take a number index".to_string())?;
                        let len = items.len();
                        usize::try_from(i)
                            .ok()
                            .and_then(|i| items.into_iter().nth(i))
                            .map(|v| self.touch(v))
                            .ok_or_else(|| format!("index {i} out of range (size {len})"))
                    }
                    other => Err(format!("cannot index with a {}", other.type_name())),
                }
            }
            Ast::List(items) => items
                .iter()
                .map(|i| self.eval(i))
                .collect::<Result<_, _>>()
                .map(Val::List),
            Ast::Not(inner) => Ok(Val::Bool(!self.truth(inner)?)),
            Ast::Neg(inner) => match self.eval(inner)?.scalar() {
                Val::Int(i) => Ok(Val::Int(i.checked_neg().ok_or("integer overflow")?)),
                Val::Float(x) => Ok(Val::Float(-x)),
                other => Err(format!("cannot negate a {}", other.type_name())),
            },
            Ast::Cond(test, yes, no) => {
                if self.truth(test)? {
                    self.eval(yes)
                } else {
                    self.eval(no)
                }
            }
            Ast::Binary(op, left, right) => self.binary(*op, left, right),
            Ast::Call(name, args) => self.call(name, args),
            Ast::Method(target, name, args) => self.method(target, name, args),
        }
    }

    /// Remembers the first tree value read: the place a violation points at.
    fn touch(&mut self, value: Val<'a>) -> Val<'a> {
        if let (None, Val::Node(node)) = (self.first_span, &value) {
            self.first_span = Some(node.span);
        }
        value
    }

    fn name(&mut self, name: &str) -> Out<'a> {
        if let Some((_, v)) = self.scopes.iter().rev().find(|(n, _)| *n == name) {
            return Ok(v.clone());
        }
        match name {
            "self" => return Ok(self.touch(Val::Node(self.this))),
            "root" => return Ok(Val::Node(self.root)),
            _ => {}
        }
        if let Some(v) = self.member(Val::Node(self.this), name)? {
            return Ok(v);
        }
        if let Some(v) = self.vars.get(name) {
            return Ok(Val::Json(v));
        }
        Err(format!("no such key: {name}"))
    }

    fn member(&mut self, target: Val<'a>, name: &str) -> Result<Option<Val<'a>>, String> {
        Ok(match target {
            Val::Node(Node {
                value: TreeValue::Map(map),
                ..
            }) => map.get(name).map(|m| self.touch(Val::Node(&m.value))),
            Val::Json(J::Object(map)) => map.get(name).map(Val::Json),
            Val::Node(_) | Val::Json(_) | Val::List(_) => None,
            other => {
                return Err(format!(
                    "a {} has no fields (looking up '{name}')",
                    other.type_name()
                ));
            }
        })
    }

    fn truth(&mut self, ast: &'e Ast) -> Result<bool, String> {
        match self.eval(ast)?.scalar() {
            Val::Bool(b) => Ok(b),
            other => Err(format!(
                "expected true or false, got a {}",
                other.type_name()
            )),
        }
    }

    fn binary(&mut self, op: Op, left: &'e Ast, right: &'e Ast) -> Out<'a> {
        match op {
            Op::And => return Ok(Val::Bool(self.truth(left)? && self.truth(right)?)),
            Op::Or => return Ok(Val::Bool(self.truth(left)? || self.truth(right)?)),
            Op::Implies => return Ok(Val::Bool(!self.truth(left)? || self.truth(right)?)),
            _ => {}
        }
        let l = self.eval(left)?.scalar();
        let r = self.eval(right)?.scalar();
        match op {
            Op::Eq => Ok(Val::Bool(equal(&l, &r))),
            Op::Ne => Ok(Val::Bool(!equal(&l, &r))),
            Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                let ord = compare(&l, &r).ok_or_else(|| {
                    format!(
                        "cannot compare a {} with a {}",
                        l.type_name(),
                        r.type_name()
                    )
                })?;
                Ok(Val::Bool(match op {
                    Op::Lt => ord == Ordering::Less,
                    Op::Le => ord != Ordering::Greater,
                    Op::Gt => ord == Ordering::Greater,
                    _ => ord != Ordering::Less,
                }))
            }
            Op::In => {
                if r.is_map() {
                    let Val::Str(key) = l else {
                        return Err("map keys are strings".into());
                    };
                    return Ok(Val::Bool(self.member(r, &key)?.is_some()));
                }
                let items = r
                    .items()
                    .ok_or_else(|| "'in' needs a list or a map on its right".to_string())?;
                Ok(Val::Bool(items.into_iter().any(|i| equal(&l, &i.scalar()))))
            }
            _ => arithmetic(op, l, r),
        }
    }

    fn call(&mut self, name: &str, args: &'e [Ast]) -> Out<'a> {
        if name == "has" {
            let [Ast::Member(target, field)] = args else {
                return Err("has() takes a field selection, like has(tls.cert_path)".into());
            };
            let target = self.eval(target)?;
            return Ok(Val::Bool(self.member(target, field)?.is_some()));
        }
        let [arg] = args else {
            return Err(format!("{name}() takes one argument"));
        };
        let value = self.eval(arg)?;
        self.function(name, value, &[])
    }

    fn method(&mut self, target: &'e Ast, name: &str, args: &'e [Ast]) -> Out<'a> {
        let value = self.eval(target)?;
        if let "all" | "exists" | "exists_one" | "map" | "filter" = name {
            let [Ast::Name(var), body] = args else {
                return Err(format!("{name}() takes a variable name and an expression"));
            };
            let items = value
                .items()
                .ok_or_else(|| format!("{name}() works on lists"))?;
            let mut out = Vec::new();
            let mut count = 0;
            for item in items {
                self.scopes.push((var.as_str(), item.clone()));
                let result = if name == "map" {
                    self.eval(body).map(|v| {
                        out.push(v);
                        true
                    })
                } else {
                    self.truth(body)
                };
                self.scopes.pop();
                let hit = result?;
                match name {
                    "all" if !hit => return Ok(Val::Bool(false)),
                    "exists" if hit => return Ok(Val::Bool(true)),
                    "filter" if hit => out.push(item),
                    _ => {}
                }
                count += usize::from(hit);
            }
            return Ok(match name {
                "all" => Val::Bool(true),
                "exists" => Val::Bool(false),
                "exists_one" => Val::Bool(count == 1),
                _ => Val::List(out),
            });
        }
        let args = args
            .iter()
            .map(|a| self.eval(a).map(Val::scalar))
            .collect::<Result<Vec<_>, _>>()?;
        self.function(name, value, &args)
    }

    fn function(&mut self, name: &str, value: Val<'a>, args: &[Val<'a>]) -> Out<'a> {
        let value = value.scalar();
        let text_arg = |i: usize| match args.get(i) {
            Some(Val::Str(s)) => Ok(s.clone()),
            _ => Err(format!("{name}() takes a string argument")),
        };
        match (name, &value) {
            ("size", Val::Str(s)) => Ok(Val::Int(s.chars().count() as i64)),
            ("size", _) => {
                if let Val::Node(Node {
                    value: TreeValue::Map(m),
                    ..
                }) = value
                {
                    return Ok(Val::Int(m.len() as i64));
                }
                if let Val::Json(J::Object(m)) = value {
                    return Ok(Val::Int(m.len() as i64));
                }
                let t = value.type_name();
                value
                    .items()
                    .map(|i| Val::Int(i.len() as i64))
                    .ok_or_else(|| format!("size() of a {t}"))
            }
            ("type", v) => Ok(Val::Str(Cow::Borrowed(v.type_name()))),
            ("string", v) => Ok(Val::Str(Cow::Owned(v.show()))),
            ("int", Val::Int(i)) => Ok(Val::Int(*i)),
            ("int", Val::Float(x)) => Ok(Val::Int(*x as i64)),
            ("int", Val::Str(s)) => s
                .trim()
                .parse()
                .map(Val::Int)
                .map_err(|_| format!("int(): '{s}' is not an integer")),
            ("double", Val::Int(i)) => Ok(Val::Float(*i as f64)),
            ("double", Val::Float(x)) => Ok(Val::Float(*x)),
            ("double", Val::Str(s)) => s
                .trim()
                .parse()
                .map(Val::Float)
                .map_err(|_| format!("double(): '{s}' is not a number")),
            ("matches", Val::Str(s)) => {
                let pattern = text_arg(0)?;
                Ok(Val::Bool(self.is_match(&pattern, s)?))
            }
            ("startsWith", Val::Str(s)) => Ok(Val::Bool(s.starts_with(text_arg(0)?.as_ref()))),
            ("endsWith", Val::Str(s)) => Ok(Val::Bool(s.ends_with(text_arg(0)?.as_ref()))),
            ("contains", Val::Str(s)) => Ok(Val::Bool(s.contains(text_arg(0)?.as_ref()))),
            ("lowerAscii", Val::Str(s)) => Ok(Val::Str(Cow::Owned(s.to_ascii_lowercase()))),
            ("upperAscii", Val::Str(s)) => Ok(Val::Str(Cow::Owned(s.to_ascii_uppercase()))),
            (
                "int" | "double" | "matches" | "startsWith" | "endsWith" | "contains"
                | "lowerAscii" | "upperAscii",
                v,
            ) => Err(format!("{name}() does not take a {}", v.type_name())),
            _ => Err(format!("unknown function {name}()")),
        }
    }

    fn is_match(&mut self, pattern: &str, text: &str) -> Result<bool, String> {
        let known = self
            .literal_regexes
            .iter()
            .chain(self.regexes.iter())
            .find(|(p, _)| p == pattern);
        if let Some((_, re)) = known {
            return Ok(re.is_match(text));
        }
        let re = regex::Regex::new(pattern).map_err(|e| format!("bad pattern: {e}"))?;
        let hit = re.is_match(text);
        self.regexes.push((pattern.to_string(), re));
        Ok(hit)
    }
}

fn number(v: &Val<'_>) -> Option<f64> {
    match v {
        Val::Int(i) => Some(*i as f64),
        Val::Float(x) => Some(*x),
        _ => None,
    }
}

fn equal(l: &Val<'_>, r: &Val<'_>) -> bool {
    match (l, r) {
        (Val::Null, Val::Null) => true,
        (Val::Bool(a), Val::Bool(b)) => a == b,
        (Val::Int(a), Val::Int(b)) => a == b,
        (Val::Str(a), Val::Str(b)) => a == b,
        _ => match (number(l), number(r)) {
            (Some(a), Some(b)) => a == b,
            _ => match (l, r) {
                (Val::Null, _) | (_, Val::Null) => false,
                _ => to_json(l) == to_json(r),
            },
        },
    }
}

fn to_json(v: &Val<'_>) -> J {
    match v.clone().scalar() {
        Val::Null => J::Null,
        Val::Bool(b) => J::Bool(b),
        Val::Int(i) => J::from(i),
        Val::Float(x) => J::from(x),
        Val::Str(s) => J::String(s.into_owned()),
        Val::List(items) => J::Array(items.iter().map(to_json).collect()),
        Val::Node(n) => n.to_json(),
        Val::Json(j) => j.clone(),
    }
}

fn compare(l: &Val<'_>, r: &Val<'_>) -> Option<Ordering> {
    match (l, r) {
        (Val::Int(a), Val::Int(b)) => Some(a.cmp(b)),
        (Val::Str(a), Val::Str(b)) => Some(a.cmp(b)),
        (Val::Bool(a), Val::Bool(b)) => Some(a.cmp(b)),
        _ => number(l)?.partial_cmp(&number(r)?),
    }
}

fn arithmetic<'a>(op: Op, l: Val<'a>, r: Val<'a>) -> Out<'a> {
    let overflow = || "integer overflow".to_string();
    match (&l, &r) {
        (Val::Int(a), Val::Int(b)) => {
            let (a, b) = (*a, *b);
            let v = match op {
                Op::Add => a.checked_add(b),
                Op::Sub => a.checked_sub(b),
                Op::Mul => a.checked_mul(b),
                Op::Div | Op::Rem if b == 0 => return Err("division by zero".into()),
                Op::Div => a.checked_div(b),
                _ => a.checked_rem(b),
            };
            v.map(Val::Int).ok_or_else(overflow)
        }
        (Val::Str(a), Val::Str(b)) if op == Op::Add => Ok(Val::Str(Cow::Owned(format!("{a}{b}")))),
        _ => match (number(&l), number(&r)) {
            (Some(a), Some(b)) => Ok(Val::Float(match op {
                Op::Add => a + b,
                Op::Sub => a - b,
                Op::Mul => a * b,
                Op::Div => a / b,
                _ => a % b,
            })),
            _ => {
                if op == Op::Add
                    && let (Some(mut a), Some(b)) = (l.clone().items(), r.clone().items())
                {
                    a.extend(b);
                    return Ok(Val::List(a));
                }
                Err(format!(
                    "cannot apply arithmetic to a {} and a {}",
                    l.type_name(),
                    r.type_name()
                ))
            }
        },
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
        expr.eval(root, root, vars).0.map(|v| v.show())
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
        assert_eq!(span.unwrap().start.line, 2);
    }
}
