//! One module per subcommand.

pub mod filter;
pub mod sim;
