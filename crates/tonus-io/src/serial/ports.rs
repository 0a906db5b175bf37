//! Listing the serial ports of this machine.

/// One serial port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortInfo {
    /// Path to open.
    pub path: String,
    /// What kind of port, with USB vendor/product ids when known.
    pub description: String,
}

/// The serial ports the system reports (without libudev, USB details may be missing).
pub fn list_ports() -> Result<Vec<PortInfo>, String> {
    let ports = serialport::available_ports().map_err(|e| e.to_string())?;
    Ok(ports
        .into_iter()
        .map(|p| {
            let description = match p.port_type {
                serialport::SerialPortType::UsbPort(u) => format!(
                    "USB {:04x}:{:04x}{}{}",
                    u.vid,
                    u.pid,
                    u.manufacturer.map(|m| format!(" {m}")).unwrap_or_default(),
                    u.product.map(|m| format!(" {m}")).unwrap_or_default()
                ),
                serialport::SerialPortType::PciPort => "PCI".into(),
                serialport::SerialPortType::BluetoothPort => "Bluetooth".into(),
                serialport::SerialPortType::Unknown => "unknown".into(),
            };
            PortInfo {
                path: p.port_name,
                description,
            }
        })
        .collect())
}
