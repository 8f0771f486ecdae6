//! `driftwise validate`: files against a JSON Schema, rules and a provider's rules, in any output
//! format. Exit 0 when valid, 1 on violations at or above `--fail-on`, 2 on trouble.

use crate::args::ValidateArgs;
use crate::{exit, request};
use driftwise_engine::{Error, Validation, validate as validate_files};

pub fn run(args: &ValidateArgs) -> u8 {
    match validation(args) {
        Ok(v) => {
            print!("{}", v.render(args.format, Default::default()));
            exit::for_result(v.fails())
        }
        Err(e) => exit::trouble(&e),
    }
}

fn validation(args: &ValidateArgs) -> Result<Validation, Error> {
    validate_files(&request::validate(args)?)
}
