//! `driftwise render`: a template rendered for one provider and environment, checked to parse; or
//! with --layers, a layered environment's effective configuration, with where each value was set.

use crate::args::RenderArgs;
use crate::files::write_atomically;
use crate::{exit, request};
use driftwise_engine::{Error, layers, render as render_template};

pub fn run(args: &RenderArgs) -> u8 {
    let result = (|| -> Result<(), Error> {
        let request = request::render(args)?;
        let text = if args.layers {
            let estate = layers(&request)?;
            let env = args.template_args.env.as_deref().unwrap_or_default();
            let effective = estate.get(env)?;
            if args.format == "json" {
                let mut text = serde_json::to_string_pretty(&effective.to_json(args.provenance))
                    .unwrap_or_default();
                text.push('\n');
                text
            } else {
                effective.to_yaml(args.provenance)
            }
        } else {
            render_template(&request)?.source.text
        };
        match &args.out {
            Some(path) => write_atomically(path, &text, false),
            None => {
                print!("{text}");
                Ok(())
            }
        }
    })();
    match result {
        Ok(()) => exit::CLEAN,
        Err(e) => exit::trouble(&e),
    }
}
