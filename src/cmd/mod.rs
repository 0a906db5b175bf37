//! One module per subcommand (`session` runs a started pipeline for `live`, `demo` and `replay`).

pub mod analyze;
pub mod analyze_dir;
pub mod args;
pub mod demo;
pub mod filter;
pub mod live;
pub mod ports;
pub mod record;
pub mod repair;
pub mod replay;
pub mod report;
pub mod session;
pub mod sim;
