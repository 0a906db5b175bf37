//! `tonus ports`: the serial ports of this machine.

use anyhow::{anyhow, Result};

/// Runs `tonus ports`.
pub fn run() -> Result<()> {
    let ports =
        tonus_io::serial::list_ports().map_err(|e| anyhow!("cannot list serial ports: {e}"))?;
    if ports.is_empty() {
        println!("no serial ports found (try `tonus sim` for a virtual sensor)");
    }
    for p in ports {
        println!("{}\t{}", p.path, p.description);
    }
    Ok(())
}
