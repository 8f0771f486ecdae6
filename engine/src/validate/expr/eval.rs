//! Evaluating a syntax tree against a value, its document and the variables.

use super::ast::{Ast, Lit, Op};
use crate::span::TextRange;
use crate::tree::{Node, Value as TreeValue};
use serde_json::Value as J;
use std::borrow::Cow;
use std::cmp::Ordering;

/// A value during evaluation: borrowed from the checked tree or the variables, or computed.
#[derive(Clone, Debug)]
pub(crate) enum Val<'a> {
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
                TreeValue::Decimal(d) => Val::Float(d.approx()),
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

pub(crate) struct Eval<'a, 'e> {
    pub(crate) this: &'a Node,
    pub(crate) root: &'a Node,
    pub(crate) vars: &'a serde_json::Map<String, J>,
    pub(crate) scopes: Vec<(&'e str, Val<'a>)>,
    pub(crate) first_span: Option<TextRange>,
    pub(crate) literal_regexes: &'e [(String, regex::Regex)],
    pub(crate) regexes: Vec<(String, regex::Regex)>,
}

pub(crate) type Out<'a> = Result<Val<'a>, EvalError>;

impl<'a, 'e> Eval<'a, 'e> {
    pub(crate) fn eval(&mut self, ast: &'e Ast) -> Out<'a> {
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
                    .ok_or_else(|| EvalError(format!("no such key: {name}")))
            }
            Ast::Index(target, index) => {
                let target = self.eval(target)?;
                let index = self.eval(index)?.scalar();
                match index {
                    Val::Str(key) => self
                        .member(target, &key)?
                        .ok_or_else(|| EvalError(format!("no such key: {key}"))),
                    Val::Int(i) => {
                        let items = target
                            .items()
                            .ok_or_else(|| "only lists take a number index".to_string())?;
                        let len = items.len();
                        usize::try_from(i)
                            .ok()
                            .and_then(|i| items.into_iter().nth(i))
                            .map(|v| self.touch(v))
                            .ok_or_else(|| {
                                EvalError(format!("index {i} out of range (size {len})"))
                            })
                    }
                    other => Err(EvalError(format!(
                        "cannot index with a {}",
                        other.type_name()
                    ))),
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
                other => Err(EvalError(format!("cannot negate a {}", other.type_name()))),
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
        Err(EvalError(format!("no such key: {name}")))
    }

    fn member(&mut self, target: Val<'a>, name: &str) -> Result<Option<Val<'a>>, EvalError> {
        Ok(match target {
            Val::Node(Node {
                value: TreeValue::Map(map),
                ..
            }) => map.get(name).map(|m| self.touch(Val::Node(&m.value))),
            Val::Json(J::Object(map)) => map.get(name).map(Val::Json),
            Val::Node(_) | Val::Json(_) | Val::List(_) => None,
            other => {
                return Err(EvalError(format!(
                    "a {} has no fields (looking up '{name}')",
                    other.type_name()
                )));
            }
        })
    }

    fn truth(&mut self, ast: &'e Ast) -> Result<bool, EvalError> {
        match self.eval(ast)?.scalar() {
            Val::Bool(b) => Ok(b),
            other => Err(EvalError(format!(
                "expected true or false, got a {}",
                other.type_name()
            ))),
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
                        return Err(EvalError("map keys are strings".to_string()));
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
                return Err(EvalError(
                    "has() takes a field selection, like has(tls.cert_path)".to_string(),
                ));
            };
            let target = self.eval(target)?;
            return Ok(Val::Bool(self.member(target, field)?.is_some()));
        }
        let [arg] = args else {
            return Err(EvalError(format!("{name}() takes one argument")));
        };
        let value = self.eval(arg)?;
        self.function(name, value, &[])
    }

    fn method(&mut self, target: &'e Ast, name: &str, args: &'e [Ast]) -> Out<'a> {
        let value = self.eval(target)?;
        if let "all" | "exists" | "exists_one" | "map" | "filter" = name {
            let [Ast::Name(var), body] = args else {
                return Err(EvalError(format!(
                    "{name}() takes a variable name and an expression"
                )));
            };
            let items = value
                .items()
                .ok_or_else(|| EvalError(format!("{name}() works on lists")))?;
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
            _ => Err(EvalError(format!("{name}() takes a string argument"))),
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
                    .ok_or_else(|| EvalError(format!("size() of a {t}")))
            }
            ("type", v) => Ok(Val::Str(Cow::Borrowed(v.type_name()))),
            ("string", v) => Ok(Val::Str(Cow::Owned(v.show()))),
            ("int", Val::Int(i)) => Ok(Val::Int(*i)),
            ("int", Val::Float(x)) => Ok(Val::Int(*x as i64)),
            ("int", Val::Str(s)) => s
                .trim()
                .parse()
                .map(Val::Int)
                .map_err(|_| EvalError::from(format!("int(): '{s}' is not an integer"))),
            ("double", Val::Int(i)) => Ok(Val::Float(*i as f64)),
            ("double", Val::Float(x)) => Ok(Val::Float(*x)),
            ("double", Val::Str(s)) => s
                .trim()
                .parse()
                .map(Val::Float)
                .map_err(|_| EvalError::from(format!("double(): '{s}' is not a number"))),
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
            ) => Err(EvalError(format!(
                "{name}() does not take a {}",
                v.type_name()
            ))),
            _ => Err(EvalError(format!("unknown function {name}()"))),
        }
    }

    fn is_match(&mut self, pattern: &str, text: &str) -> Result<bool, EvalError> {
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
    let overflow = || EvalError::from("integer overflow");
    match (&l, &r) {
        (Val::Int(a), Val::Int(b)) => {
            let (a, b) = (*a, *b);
            let v = match op {
                Op::Add => a.checked_add(b),
                Op::Sub => a.checked_sub(b),
                Op::Mul => a.checked_mul(b),
                Op::Div | Op::Rem if b == 0 => {
                    return Err(EvalError("division by zero".to_string()));
                }
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
                Err(EvalError(format!(
                    "cannot apply arithmetic to a {} and a {}",
                    l.type_name(),
                    r.type_name()
                )))
            }
        },
    }
}

/// Why an expression could not be evaluated: a missing key, a type mismatch, a bad pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EvalError(pub(crate) String);

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for EvalError {
    fn from(message: String) -> EvalError {
        EvalError(message)
    }
}

impl From<&str> for EvalError {
    fn from(message: &str) -> EvalError {
        EvalError(message.to_string())
    }
}
