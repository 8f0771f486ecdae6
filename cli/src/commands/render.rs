//! `driftwise render`: a template rendered for one provider and environment, checked to parse.

use crate::args::RenderArgs;
use crate::files::write_atomically;
use crate::{exit, request};
use driftwise_engine::{Error, render as render_template};

pub fn run(args: &RenderArgs) -> u8 {
    let result = (|| -> Result<(), Error> {
        let rendered = render_template(&request::render(args)?)?;
        match &args.out {
            Some(path) => write_atomically(path, &rendered.source.text, false),
            None => {
                print!("{}", rendered.source.text);
                Ok(())
            }
        }
    })();
    match result {
        Ok(()) => exit::CLEAN,
        Err(e) => exit::trouble(&e),
    }
}
