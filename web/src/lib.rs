//! The driftwise web app: drop configuration files, review drift, export reports. Everything runs in
//! the page; the engine runs in a Web Worker so large files never freeze the interface.

pub mod aligned;
pub mod app;
pub mod checker;
pub mod codec;
pub mod completion;
pub mod embed;
pub mod examples;
pub mod export;
pub mod files;
pub mod model;
pub mod state;
pub mod views;
pub mod windowing;
pub mod worker;
