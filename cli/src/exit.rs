//! Exit statuses, as `diff(1)` has them, plus one for work left undone.

/// Nothing drifts; everything asked for was done.
pub const CLEAN: u8 = 0;
/// Drift (or violations) at or above the fail level.
pub const DRIFT: u8 = 1;
/// Trouble: bad input, an unreadable file, bad arguments.
pub const TROUBLE: u8 = 2;
/// `apply` did what it could, but some actions were not applied (each is listed).
pub const INCOMPLETE: u8 = 3;

/// The status of a finished check or validation: 1 when it found what fails, else 0.
pub fn for_result(fails: bool) -> u8 {
    if fails { DRIFT } else { CLEAN }
}

/// Prints an error the way every command does, and returns the trouble status.
pub fn trouble(e: &driftwise_engine::Error) -> u8 {
    eprintln!("driftwise: error: {e}");
    TROUBLE
}
