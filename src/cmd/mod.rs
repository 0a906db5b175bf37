//! One module per subcommand.

pub mod analyze;
pub mod analyze_dir;
pub mod filter;
pub mod ports;
pub mod record;
pub mod sim;
