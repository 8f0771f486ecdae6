//! `driftwise validate`: files against a JSON Schema, rules and a provider's rules, in any output
//! format. Exit 0 when valid, 1 on violations at or above `--fail-on`, 2 on trouble. With
//! `--against BASE`, only the violations the file's change brings count.

use crate::args::ValidateArgs;
use crate::files::read_source;
use crate::{exit, request};
use driftwise_engine::{Error, ErrorKind, Source, Validation, Verdict, validate as validate_files};

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
    let request = request::validate(args)?;
    let Some(against) = &args.against else {
        return validate_files(&request);
    };
    let [file] = request.environments.as_slice() else {
        return Err(Error::new(
            ErrorKind::Usage,
            "--against compares one file with its earlier version: name one FILE",
        ));
    };
    // The earlier version, under the file's own name, so a violation is the same one when its
    // rule and place agree.
    let earlier = read_source(against, None)?;
    let mut before = request.clone();
    before.environments[0].source = Source {
        text: earlier.text,
        ..file.source.clone()
    };
    let verdict = Verdict::between(&validate_files(&before)?, &validate_files(&request)?);
    let mut shown = Validation::new(
        verdict.files.clone(),
        verdict.introduced.clone(),
        verdict.fail_on,
    );
    shown.files = vec![file.source.name.clone()];
    eprintln!(
        "{}",
        verdict.summary().replace(
            "the change",
            &format!("the change from {}", against.display())
        )
    );
    Ok(shown)
}
