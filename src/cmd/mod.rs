//! One module per subcommand.

pub mod filter;
