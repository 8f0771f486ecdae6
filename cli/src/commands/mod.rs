//! One module per command; none imports another.

pub mod apply;
pub mod check;
pub mod explain;
pub mod plan;
pub mod render;
pub mod validate;
