//! One module per command; none imports another.

pub mod apply;
pub mod audit;
pub mod baseline;
pub mod blame;
pub mod check;
pub mod diff;
pub mod explain;
pub mod log;
pub mod plan;
pub mod render;
pub mod rollback;
pub mod snapshot;
pub mod validate;
