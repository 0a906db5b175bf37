//! Why acquisition could not start or continue.

use std::fmt;
use std::path::PathBuf;

/// An acquisition failure, naming the port.
#[derive(Debug)]
pub enum AcqError {
    /// The port could not be opened.
    Open {
        /// Port path.
        path: PathBuf,
        /// The serial library's reason.
        source: serialport::Error,
    },
    /// The device did not answer Hello with DeviceInfo in time.
    NoAnswer {
        /// Port path.
        path: PathBuf,
        /// How long we waited.
        waited_ms: u64,
    },
    /// The device speaks another protocol major version.
    ProtocolVersion {
        /// Port path.
        path: PathBuf,
        /// The device's version.
        device: u8,
        /// Ours.
        host: u8,
    },
    /// The device refused a command (Nack) or did not acknowledge it.
    Refused {
        /// Port path.
        path: PathBuf,
        /// What was refused and why.
        what: String,
    },
    /// The device describes channels this host cannot take (none, or more than 8).
    BadDevice {
        /// Port path.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
    /// Reading or writing the port failed.
    Io {
        /// Port path.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
}

impl fmt::Display for AcqError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open { path, .. } => write!(f, "{}: cannot open the port", path.display()),
            Self::NoAnswer { path, waited_ms } => write!(
                f,
                "{}: no Tonus device answered within {waited_ms} ms (is it a Tonus sensor, powered and plugged in?)",
                path.display()
            ),
            Self::ProtocolVersion { path, device, host } => write!(
                f,
                "{}: the device speaks protocol v{device}, this host speaks v{host}; update the host or the firmware",
                path.display()
            ),
            Self::Refused { path, what } => write!(f, "{}: the device refused {what}", path.display()),
            Self::BadDevice { path, what } => write!(f, "{}: unusable device description: {what}", path.display()),
            Self::Io { path, .. } => write!(f, "{}", path.display()),
        }
    }
}

impl std::error::Error for AcqError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Open { source, .. } => Some(source),
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
