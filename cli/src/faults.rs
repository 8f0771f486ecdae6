//! Injected write failures, so tests can prove that no fault leaves a half-written file or a lie
//! in the exit code. Debug builds only: `DRIFTWISE_TEST_FAULT=STEP:FAULT[:N]` makes the Nth file
//! this process writes (counting from 0, default 0) fail at STEP with FAULT.
//!
//! STEP is where in an atomic write ([`crate::files::write_atomically`]): `backup` (keeping
//! `FILE.orig`), `create` (the temporary file), `write` (half the bytes are written first, as a
//! disk filling up would), `sync`, `rename`. FAULT is `nospace`, `denied`, `readonly`, `isdir`
//! (the errors the operating system gives for a full disk, a permission, a read-only mount, a
//! directory in the file's place), or `kill` (the process dies there, as on a power cut).
//! `DRIFTWISE_TEST_CRASH_AFTER_WRITES=N` kills the process before the (N+1)th file.

/// A point inside one atomic write.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Step {
    Backup,
    Create,
    Write,
    Sync,
    Rename,
}

impl Step {
    #[cfg(debug_assertions)]
    fn name(self) -> &'static str {
        match self {
            Step::Backup => "backup",
            Step::Create => "create",
            Step::Write => "write",
            Step::Sync => "sync",
            Step::Rename => "rename",
        }
    }
}

/// The injected failure for the `nth` file written at `step`, if the test asked for one. A `kill`
/// does not return.
#[cfg(debug_assertions)]
pub fn at(step: Step, nth: usize) -> std::io::Result<()> {
    let Ok(spec) = std::env::var("DRIFTWISE_TEST_FAULT") else {
        return Ok(());
    };
    let mut parts = spec.split(':');
    let (Some(where_), Some(fault)) = (parts.next(), parts.next()) else {
        return Ok(());
    };
    let index: usize = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    if where_ != step.name() || index != nth {
        return Ok(());
    }
    // The numbers Linux gives, so messages read as the real ones do.
    let errno = match fault {
        "nospace" => 28,
        "denied" => 13,
        "readonly" => 30,
        "isdir" => 21,
        "kill" => std::process::abort(),
        _ => return Ok(()),
    };
    Err(std::io::Error::from_raw_os_error(errno))
}

/// Release builds carry no test hooks.
#[cfg(not(debug_assertions))]
pub fn at(_step: Step, _nth: usize) -> std::io::Result<()> {
    Ok(())
}

/// Kills the process before writing file number `written` when the test asked for it.
pub fn crash_before(written: usize) {
    #[cfg(debug_assertions)]
    if std::env::var("DRIFTWISE_TEST_CRASH_AFTER_WRITES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        == Some(written)
    {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = written;
}
