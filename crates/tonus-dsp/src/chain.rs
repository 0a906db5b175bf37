//! One channel's running chain: filter cascade, then moving RMS.

use crate::cascade::SosState;
use crate::error::DesignError;
use crate::preset::ChainConfig;
use crate::rms::MovingRms;
use crate::sample::Sample;
use crate::sos::Sos;

/// Samples per chunk of the fused filter + RMS loop (the mean squares of one chunk sit in L1).
const CHUNK: usize = 256;

/// The per-channel filter and RMS state built from a [`ChainConfig`]; allocation-free after `new`.
#[derive(Debug, Clone)]
pub struct ChannelChain {
    sos: Sos,
    state: SosState,
    rms: MovingRms,
    mean_squares: [f64; CHUNK],
}

impl ChannelChain {
    /// Designs `config` for a channel sampled at `rate_hz`.
    pub fn new(config: &ChainConfig, rate_hz: f64) -> Result<Self, DesignError> {
        let sos = config.design(rate_hz)?;
        let state = sos.new_state();
        let rms = MovingRms::with_duration(config.rms_window_s, rate_hz)?;
        Ok(Self {
            sos,
            state,
            rms,
            mean_squares: [0.0; CHUNK],
        })
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
        let n = data.len().min(envelope.len());
        // Per chunk: one fused loop where the RMS update overlaps the filter's recurrence, then the
        // square roots of the whole chunk at once (vectorised): exactly `MovingRms::push`'s values.
        for (d, e) in data[..n]
            .chunks_mut(CHUNK)
            .zip(envelope[..n].chunks_mut(CHUNK))
        {
            let ms = &mut self.mean_squares[..d.len()];
            let rms = &mut self.rms;
            self.sos.process_with(&mut self.state, d, |k, y| {
                if let Some(m) = ms.get_mut(k) {
                    *m = rms.push_mean_square(y);
                }
            });
            for (out, m) in e.iter_mut().zip(ms.iter()) {
                *out = T::from_f64(crate::math::sqrt(*m));
            }
        }
    }

    /// Back to the initial state.
    pub fn reset(&mut self) {
        self.state.reset();
        self.rms.reset();
    }
}
