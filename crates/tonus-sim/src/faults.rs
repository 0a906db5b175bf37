//! Faults the virtual sensor can inject, parsed from `--faults corrupt=0.001,drop=0.01,stall=20:2,disconnect=40:3`
//! (and `leap=`, `overlap=`, `short=`, `noise=`, `clock=`: see [`Faults`]).

use core::fmt;
use core::str::FromStr;

/// What goes wrong, and when (times are seconds of streaming).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Faults {
    /// Probability that any byte sent has one bit flipped.
    pub corrupt_rate: f64,
    /// Probability that a Samples frame is not sent at all.
    pub drop_rate: f64,
    /// (start, duration): the device stops sending and discards the samples of that span.
    pub stall: Option<(f64, f64)>,
    /// (start, duration): the port disappears, then a new one appears on the same link path.
    pub disconnect: Option<(f64, f64)>,
    /// (start, jump): from then on every `first_index` is `jump` higher than the truth (a device
    /// whose counter leapt, e.g. by 2³¹).
    pub leap: Option<(f64, u32)>,
    /// Probability that a Samples frame starts 4 samples early, repeating the end of the last.
    pub overlap_rate: f64,
    /// Probability that a Samples frame leaves out its last channel (CRC-valid, malformed).
    pub short_rate: f64,
    /// (start, duration): random bytes instead of frames (the samples of that span are lost).
    pub noise: Option<(f64, f64)>,
    /// How the device answers Locate (its sample clock across a reconnection).
    pub clock: ClockBehaviour,
}

/// How the virtual sensor answers Locate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClockBehaviour {
    /// Its sample clock keeps running across a reconnection (a device on battery): Position
    /// with the same `clock_id`.
    #[default]
    Kept,
    /// Its clock restarts when re-plugged (powered from USB): a new `clock_id`.
    Restarts,
    /// It has no sample clock to tell: Nack(1), as a device that predates Locate.
    Unknown,
}

impl ClockBehaviour {
    fn name(self) -> &'static str {
        match self {
            Self::Kept => "kept",
            Self::Restarts => "restarts",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "corrupt={},drop={}", self.corrupt_rate, self.drop_rate)?;
        if let Some((a, d)) = self.stall {
            write!(f, ",stall={a}:{d}")?;
        }
        if let Some((a, d)) = self.disconnect {
            write!(f, ",disconnect={a}:{d}")?;
        }
        if let Some((a, n)) = self.leap {
            write!(f, ",leap={a}:{n}")?;
        }
        if self.overlap_rate > 0.0 {
            write!(f, ",overlap={}", self.overlap_rate)?;
        }
        if self.short_rate > 0.0 {
            write!(f, ",short={}", self.short_rate)?;
        }
        if let Some((a, d)) = self.noise {
            write!(f, ",noise={a}:{d}")?;
        }
        if self.clock != ClockBehaviour::Kept {
            write!(f, ",clock={}", self.clock.name())?;
        }
        Ok(())
    }
}

impl FromStr for Faults {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut faults = Faults::default();
        for item in s.split(',').filter(|i| !i.is_empty()) {
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| format!("fault '{item}' is not key=value"))?;
            let number = |v: &str| v.parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0);
            let span = |v: &str| {
                let (a, d) = v.split_once(':')?;
                Some((number(a)?, number(d)?))
            };
            match key {
                "corrupt" => {
                    faults.corrupt_rate = number(value)
                        .filter(|p| *p <= 1.0)
                        .ok_or("corrupt=P needs 0 ≤ P ≤ 1")?
                }
                "drop" => {
                    faults.drop_rate = number(value)
                        .filter(|p| *p <= 1.0)
                        .ok_or("drop=P needs 0 ≤ P ≤ 1")?
                }
                "stall" => faults.stall = Some(span(value).ok_or("stall=START:SECONDS")?),
                "disconnect" => {
                    faults.disconnect = Some(span(value).ok_or("disconnect=START:SECONDS")?)
                }
                "leap" => {
                    let leap = value.split_once(':').and_then(|(a, n)| {
                        Some((number(a)?, n.parse::<u32>().ok().filter(|n| *n > 0)?))
                    });
                    faults.leap = Some(leap.ok_or("leap=START:SAMPLES (1 to 4294967295)")?)
                }
                "overlap" => {
                    faults.overlap_rate = number(value)
                        .filter(|p| *p <= 1.0)
                        .ok_or("overlap=P needs 0 ≤ P ≤ 1")?
                }
                "short" => {
                    faults.short_rate = number(value)
                        .filter(|p| *p <= 1.0)
                        .ok_or("short=P needs 0 ≤ P ≤ 1")?
                }
                "noise" => faults.noise = Some(span(value).ok_or("noise=START:SECONDS")?),
                "clock" => {
                    faults.clock = match value {
                        "kept" => ClockBehaviour::Kept,
                        "restarts" => ClockBehaviour::Restarts,
                        "unknown" => ClockBehaviour::Unknown,
                        _ => return Err("clock=kept|restarts|unknown".into()),
                    }
                }
                other => {
                    return Err(format!(
                        "unknown fault '{other}' (corrupt, drop, stall, disconnect, leap, overlap, short, noise, clock)"
                    ))
                }
            }
        }
        Ok(faults)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_reads_back_from_its_text() {
        let text = "corrupt=0.001,drop=0.01,stall=5:3,disconnect=8:2,leap=4:2147483648,overlap=0.05,short=0.02,noise=6:1,clock=restarts";
        let f: Faults = text.parse().expect("parses");
        assert_eq!(f.leap, Some((4.0, 1 << 31)));
        assert_eq!(f.clock, ClockBehaviour::Restarts);
        assert_eq!(f.to_string().parse::<Faults>(), Ok(f));
        assert!("leap=4:0".parse::<Faults>().is_err());
        assert!("clock=sometimes".parse::<Faults>().is_err());
    }
}
