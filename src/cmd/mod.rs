//! One module per subcommand.

pub mod filter;
pub mod ports;
pub mod record;
pub mod sim;
