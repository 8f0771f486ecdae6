//! `driftwise diff FROM TO`: two snapshots compared as a check compares files, the earlier one
//! as the base.

use crate::args::DiffArgs;
use crate::store::{self, Store};
use crate::{exit, request};
use driftwise_engine::{Error, run};

pub fn run_command(args: &DiffArgs) -> u8 {
    let result = (|| -> Result<_, Error> {
        let store = Store::open(&store::store_dir(args.store.as_deref(), None))?;
        let request = request::diff(&store, &args.from, &args.to, args.policy.as_deref())?;
        Ok(run(&request)?.report)
    })();
    match result {
        Ok(report) => {
            print!("{}", report.render(args.format, Default::default()));
            exit::for_result(report.has_drift())
        }
        Err(e) => exit::trouble(&e),
    }
}
