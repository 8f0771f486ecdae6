//! `driftwise explain POINTER --env NAME`: where a layered environment's value comes from — the
//! layer that set it, then every layer it overrode, nearest first.

use crate::args::{ExplainArgs, PolicyArgs, TemplateArgs};
use crate::{exit, request};
use driftwise_engine::{Error, LayerBase, LayerValue, ValueHistory, layers, short_value};

pub fn run(args: &ExplainArgs) -> u8 {
    let result = (|| -> Result<ValueHistory, Error> {
        let policy = PolicyArgs {
            policy: args.policy.clone(),
            ..PolicyArgs::default()
        };
        let template_args = TemplateArgs {
            provider: args.provider.clone(),
            vars_files: args.vars_files.clone(),
            ..TemplateArgs::default()
        };
        let selection = LayerBase {
            environments: vec![args.env.clone()],
            reference: None,
        };
        let request =
            request::layered(args.location.as_deref(), &policy, &template_args, selection)?;
        layers(&request)?.get(&args.env)?.explain(&args.pointer)
    })();
    match result {
        Ok(history) => {
            if args.format == "json" {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&history).unwrap_or_default()
                );
            } else {
                print!("{}", text(&history));
            }
            let found = history.set_by.is_some() || history.deleted_by.is_some();
            exit::for_result(!found)
        }
        Err(e) => exit::trouble(&e),
    }
}

fn place(v: &LayerValue) -> String {
    format!("{}:{}:{}", v.file, v.span.start.line, v.span.start.column)
}

/// The history as people read it: the winner, then what it shadowed.
fn text(h: &ValueHistory) -> String {
    let mut out = String::new();
    match (&h.set_by, &h.deleted_by) {
        (Some(v), _) => out.push_str(&format!(
            "{} in {} = {}\n  set by     {}\n",
            h.pointer,
            h.environment,
            short_value(&v.value),
            place(v)
        )),
        (None, Some(d)) => out.push_str(&format!(
            "{} in {} is not set\n  deleted by {} (null)\n",
            h.pointer,
            h.environment,
            place(d)
        )),
        (None, None) => out.push_str(&format!(
            "{} in {}: no layer sets it\n",
            h.pointer, h.environment
        )),
    }
    if !h.shadowed.is_empty() {
        out.push_str("  overrides\n");
        let width = h.shadowed.iter().map(|v| place(v).len()).max().unwrap_or(0);
        for v in &h.shadowed {
            out.push_str(&format!(
                "    {:width$}  {}\n",
                place(v),
                short_value(&v.value)
            ));
        }
    }
    out
}
