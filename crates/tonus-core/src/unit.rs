//! Physical units of sensor channels, and the channel kind each unit implies.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a channel measures; decided by its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Electromyography (surface or intracavitary), in volts.
    Emg,
    /// Pressure (anal/vaginal manometry, abdominal or rectal balloon).
    Pressure,
}

impl fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChannelKind::Emg => "emg",
            ChannelKind::Pressure => "pressure",
        })
    }
}

/// A unit Tonus understands. The CSV contract writes it in brackets after the channel name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    /// Microvolt (`uV` or `µV`): EMG.
    #[serde(rename = "uV")]
    Microvolt,
    /// Millivolt (`mV`): EMG.
    #[serde(rename = "mV")]
    Millivolt,
    /// Millimetre of mercury (`mmHg`): pressure.
    #[serde(rename = "mmHg")]
    MmHg,
    /// Centimetre of water (`cmH2O`): pressure.
    #[serde(rename = "cmH2O")]
    CmH2O,
    /// Kilopascal (`kPa`): pressure.
    #[serde(rename = "kPa")]
    KPa,
}

impl Unit {
    /// Every unit, in documentation order.
    pub const ALL: [Unit; 5] = [
        Unit::Microvolt,
        Unit::Millivolt,
        Unit::MmHg,
        Unit::CmH2O,
        Unit::KPa,
    ];

    /// The symbol as written in files (`uV`, `mV`, `mmHg`, `cmH2O`, `kPa`).
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Microvolt => "uV",
            Unit::Millivolt => "mV",
            Unit::MmHg => "mmHg",
            Unit::CmH2O => "cmH2O",
            Unit::KPa => "kPa",
        }
    }

    /// The factor that brings a value in this unit to the unit analysis works in: µV for EMG (so
    /// thresholds and normative amplitudes read the same for every device), the unit itself for
    /// pressure.
    pub fn analysis_gain(self) -> f64 {
        match self {
            Unit::Millivolt => 1000.0,
            Unit::Microvolt | Unit::MmHg | Unit::CmH2O | Unit::KPa => 1.0,
        }
    }

    /// The kind of channel this unit implies.
    pub fn kind(self) -> ChannelKind {
        match self {
            Unit::Microvolt | Unit::Millivolt => ChannelKind::Emg,
            Unit::MmHg | Unit::CmH2O | Unit::KPa => ChannelKind::Pressure,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// A unit symbol Tonus does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownUnit(pub String);

impl fmt::Display for UnknownUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown unit '{}' (expected uV, mV, mmHg, cmH2O or kPa)",
            self.0
        )
    }
}

impl std::error::Error for UnknownUnit {}

impl FromStr for Unit {
    type Err = UnknownUnit;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "uV" | "µV" | "μV" => Ok(Unit::Microvolt),
            _ => Unit::ALL
                .into_iter()
                .find(|u| u.symbol() == s)
                .ok_or_else(|| UnknownUnit(s.to_string())),
        }
    }
}
