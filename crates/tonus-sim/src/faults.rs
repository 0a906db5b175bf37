//! Faults the virtual sensor can inject, parsed from `--faults corrupt=0.001,drop=0.01,stall=20:2,disconnect=40:3`.

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
                other => {
                    return Err(format!(
                        "unknown fault '{other}' (corrupt, drop, stall, disconnect)"
                    ))
                }
            }
        }
        Ok(faults)
    }
}
