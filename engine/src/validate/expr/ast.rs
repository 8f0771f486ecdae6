//! The expression syntax tree, and the limits every expression is held to.

use std::fmt;

/// Deeper nesting than any real rule; the limits keep a hostile rule from exhausting the stack
/// (evaluation recurses along the tree).
pub(crate) const MAX_DEPTH: usize = 64;
/// Longer than any real rule.
pub(crate) const MAX_LENGTH: usize = 4096;

/// Where in the expression text a problem is (byte offset) and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// Byte offset in the expression text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset + 1)
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Ast {
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
pub(crate) enum Lit {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
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

pub(crate) fn depth(ast: &Ast) -> usize {
    1 + match ast {
        Ast::Lit(_) | Ast::Name(_) => 0,
        Ast::Member(a, _) | Ast::Not(a) | Ast::Neg(a) => depth(a),
        Ast::Index(a, b) | Ast::Binary(_, a, b) => depth(a).max(depth(b)),
        Ast::Cond(a, b, c) => depth(a).max(depth(b)).max(depth(c)),
        Ast::Call(_, args) | Ast::List(args) => args.iter().map(depth).max().unwrap_or(0),
        Ast::Method(t, _, args) => depth(t).max(args.iter().map(depth).max().unwrap_or(0)),
    }
}

pub(crate) fn literal_patterns(
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
