//! Channel descriptions: name, unit (hence kind) and sample rate.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::unit::{ChannelKind, Unit};

/// One channel of a recording or a live sensor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelInfo {
    /// Name, e.g. `pelvic`, `abdominal`, `anal`.
    pub name: String,
    /// Physical unit of the samples.
    pub unit: Unit,
    /// Samples per second.
    pub rate_hz: f64,
}

/// Why a column header is not `name[unit]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// No `[unit]` suffix.
    MissingUnit,
    /// Nothing before the `[`.
    EmptyName,
    /// The unit in brackets is not one Tonus knows.
    UnknownUnit(String),
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::MissingUnit => {
                f.write_str("expected name[unit], e.g. pelvic[uV] or anal[mmHg]")
            }
            HeaderError::EmptyName => f.write_str("the channel name before [unit] is empty"),
            HeaderError::UnknownUnit(u) => write!(
                f,
                "unknown unit '{u}' (expected uV or mV for EMG; mmHg, cmH2O or kPa for pressure)"
            ),
        }
    }
}

impl std::error::Error for HeaderError {}

impl ChannelInfo {
    /// A channel from a CSV header `name[unit]` at `rate_hz`.
    pub fn from_header(header: &str, rate_hz: f64) -> Result<Self, HeaderError> {
        let header = header.trim();
        let open = header.find('[').ok_or(HeaderError::MissingUnit)?;
        let unit = header[open + 1..]
            .strip_suffix(']')
            .ok_or(HeaderError::MissingUnit)?
            .trim();
        let name = header[..open].trim();
        if name.is_empty() {
            return Err(HeaderError::EmptyName);
        }
        let unit = unit
            .parse::<Unit>()
            .map_err(|_| HeaderError::UnknownUnit(unit.to_string()))?;
        Ok(Self {
            name: name.to_string(),
            unit,
            rate_hz,
        })
    }

    /// The kind, from the unit.
    pub fn kind(&self) -> ChannelKind {
        self.unit.kind()
    }

    /// The CSV header `name[unit]`.
    pub fn header(&self) -> String {
        format!("{}[{}]", self.name, self.unit)
    }
}
