//! Linear envelope: full-wave rectification followed by a Butterworth low-pass.

use crate::butterworth::{butterworth, Band};
use crate::cascade::SosState;
use crate::error::DesignError;
use crate::sample::Sample;
use crate::sos::Sos;

/// Default low-pass cut-off of the linear envelope, in Hz (Winter's 6 Hz for muscle activity).
pub const DEFAULT_ENVELOPE_CUTOFF_HZ: f64 = 6.0;
/// Default order of the envelope's low-pass.
pub const DEFAULT_ENVELOPE_ORDER: usize = 2;

/// `|x|` then a low-pass: the classic EMG linear envelope, streaming.
#[derive(Debug, Clone)]
pub struct LinearEnvelope {
    lowpass: Sos,
    state: SosState,
}

impl LinearEnvelope {
    /// An envelope with a Butterworth low-pass of `order` at `cutoff_hz`.
    pub fn new(cutoff_hz: f64, order: usize, rate_hz: f64) -> Result<Self, DesignError> {
        let lowpass = butterworth(order, Band::LowPass { cutoff_hz }, rate_hz)?;
        let state = lowpass.new_state();
        Ok(Self { lowpass, state })
    }

    /// The low-pass applied after rectification.
    pub fn lowpass(&self) -> &Sos {
        &self.lowpass
    }

    /// Replaces each sample by the envelope value at it.
    pub fn process_in_place<T: Sample>(&mut self, data: &mut [T]) {
        for v in data.iter_mut() {
            *v = T::from_f64(libm::fabs(v.to_f64()));
        }
        self.lowpass.process_in_place(&mut self.state, data);
    }

    /// Back to the initial (zero) state.
    pub fn reset(&mut self) {
        self.state.reset();
    }
}
