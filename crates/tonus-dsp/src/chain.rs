//! One channel's running chain: filter cascade, then moving RMS.

use crate::cascade::SosState;
use crate::error::DesignError;
use crate::preset::ChainConfig;
use crate::rms::MovingRms;
use crate::sample::Sample;
use crate::sos::Sos;

/// The per-channel filter and RMS state built from a [`ChainConfig`]; allocation-free after `new`.
#[derive(Debug, Clone)]
pub struct ChannelChain {
    sos: Sos,
    state: SosState,
    rms: MovingRms,
}

impl ChannelChain {
    /// Designs `config` for a channel sampled at `rate_hz`.
    pub fn new(config: &ChainConfig, rate_hz: f64) -> Result<Self, DesignError> {
        let sos = config.design(rate_hz)?;
        let state = sos.new_state();
        let rms = MovingRms::with_duration(config.rms_window_s, rate_hz)?;
        Ok(Self { sos, state, rms })
    }

    /// The cascade this chain runs.
    pub fn sos(&self) -> &Sos {
        &self.sos
    }

    /// RMS window length in samples.
    pub fn rms_window(&self) -> usize {
        self.rms.window()
    }

    /// Filters `data` in place.
    pub fn filter<T: Sample>(&mut self, data: &mut [T]) {
        self.sos.process_in_place(&mut self.state, data);
    }

    /// Filters `data` in place and writes the moving RMS of the filtered signal into `envelope`
    /// (the first `min(len)` samples).
    pub fn process<T: Sample>(&mut self, data: &mut [T], envelope: &mut [T]) {
        self.sos.process_in_place(&mut self.state, data);
        self.rms.process(data, envelope);
    }

    /// Back to the initial state.
    pub fn reset(&mut self) {
        self.state.reset();
        self.rms.reset();
    }
}
