//! The one error type of filter design: a bad parameter, named, with its value.

use core::fmt;

/// A filter or envelope configuration that cannot be built.
///
/// Every variant names the parameter and carries the offending value, so the message can be shown to a
/// user as is. Errors happen only at construction; processing never fails.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DesignError {
    /// The sample rate is not a finite number above zero.
    InvalidRate {
        /// The rate that was given, in Hz.
        rate_hz: f64,
    },
    /// The filter order is outside 1..=8.
    InvalidOrder {
        /// The order that was given.
        order: usize,
    },
    /// A frequency parameter is not finite, not above zero, or not below the Nyquist frequency.
    FrequencyOutOfRange {
        /// Which parameter (`"cutoff_hz"`, `"low_hz"`, `"high_hz"`, `"f0_hz"`, ...).
        parameter: &'static str,
        /// The value that was given, in Hz.
        value_hz: f64,
        /// Half the sample rate, in Hz.
        nyquist_hz: f64,
    },
    /// A band's lower edge is not below its upper edge.
    InvalidBand {
        /// Lower edge, in Hz.
        low_hz: f64,
        /// Upper edge, in Hz.
        high_hz: f64,
    },
    /// The notch quality factor is not a finite number above zero.
    InvalidQ {
        /// The Q that was given.
        q: f64,
    },
    /// A window length (RMS, Welch segment) is not a finite duration of at least one sample.
    InvalidWindow {
        /// Which parameter (`"rms_window_s"`, `"nperseg"`, ...).
        parameter: &'static str,
        /// The value that was given (seconds or samples, as the parameter says).
        value: f64,
    },
    /// Offline zero-phase filtering needs more samples than the edge padding.
    SignalTooShort {
        /// Samples given.
        len: usize,
        /// Samples needed (more than this many).
        needed_more_than: usize,
    },
}

impl fmt::Display for DesignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::InvalidRate { rate_hz } => {
                write!(f, "sample rate must be a finite number above 0 Hz, got {rate_hz} Hz")
            }
            Self::InvalidOrder { order } => {
                write!(f, "filter order must be between 1 and 8, got {order}")
            }
            Self::FrequencyOutOfRange {
                parameter,
                value_hz,
                nyquist_hz,
            } => write!(
                f,
                "{parameter} must be above 0 Hz and below the Nyquist frequency {nyquist_hz} Hz, got {value_hz} Hz"
            ),
            Self::InvalidBand { low_hz, high_hz } => write!(
                f,
                "band edges must satisfy low_hz < high_hz, got low_hz = {low_hz} Hz, high_hz = {high_hz} Hz"
            ),
            Self::InvalidQ { q } => {
                write!(f, "notch quality factor q must be a finite number above 0, got {q}")
            }
            Self::InvalidWindow { parameter, value } => {
                write!(f, "{parameter} must be finite and span at least one sample, got {value}")
            }
            Self::SignalTooShort {
                len,
                needed_more_than,
            } => write!(
                f,
                "zero-phase filtering needs more than {needed_more_than} samples for its edge padding, got {len}"
            ),
        }
    }
}

impl core::error::Error for DesignError {}

/// Checks a sample rate once, at construction.
pub(crate) fn check_rate(rate_hz: f64) -> Result<(), DesignError> {
    if rate_hz.is_finite() && rate_hz > 0.0 {
        Ok(())
    } else {
        Err(DesignError::InvalidRate { rate_hz })
    }
}

/// Checks that a frequency lies strictly between 0 and Nyquist.
pub(crate) fn check_frequency(
    parameter: &'static str,
    value_hz: f64,
    rate_hz: f64,
) -> Result<(), DesignError> {
    let nyquist_hz = rate_hz / 2.0;
    if value_hz.is_finite() && value_hz > 0.0 && value_hz < nyquist_hz {
        Ok(())
    } else {
        Err(DesignError::FrequencyOutOfRange {
            parameter,
            value_hz,
            nyquist_hz,
        })
    }
}
