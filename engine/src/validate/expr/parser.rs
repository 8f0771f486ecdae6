//! Tokens into a syntax tree, by recursive descent along the grammar in the module docs.

use super::ast::{Ast, ExprError, Lit, MAX_DEPTH, Op};
use super::lexer::Tok;

type Parsed = Result<Ast, ExprError>;

pub(crate) struct Parser {
    pub(crate) tokens: Vec<(Tok, usize)>,
    pub(crate) at: usize,
    pub(crate) end: usize,
    pub(crate) depth: usize,
}

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

    /// A limit reached: said plainly, at the current token.
    fn too_much(&self, message: String) -> ExprError {
        ExprError {
            offset: self.offset(),
            message,
        }
    }

    pub(crate) fn cond(&mut self) -> Parsed {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.too_much(format!("nesting deeper than {MAX_DEPTH} levels")));
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
                return Err(self.too_much(format!("more than {MAX_DEPTH} signs in a row")));
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
