//! One channel's running chain: filter cascade, then moving RMS, both in block form.

use crate::block_rms::BlockRms;
use crate::block_sos::{BlockSos, BlockSosState};
use crate::error::DesignError;
use crate::preset::ChainConfig;
use crate::sample::Sample;
use crate::sos::Sos;

/// Samples per chunk: the filter and the RMS take turns on one chunk while it sits in L1.
const CHUNK: usize = 256;

/// The per-channel filter and RMS state built from a [`ChainConfig`]; allocation-free after `new`.
///
/// Runs the block forms ([`BlockSos`], [`BlockRms`]): bit-identical for any block sizes, equal to the
/// per-sample [`Sos`] and [`crate::MovingRms`] up to rounding. Use either [`ChannelChain::filter`] or
/// [`ChannelChain::process`] on a chain, not both (`filter` does not advance the RMS).
#[derive(Debug, Clone)]
pub struct ChannelChain {
    sos: Sos,
    fast: BlockSos,
    state: BlockSosState,
    rms: BlockRms,
}

impl ChannelChain {
    /// Designs `config` for a channel sampled at `rate_hz`.
    pub fn new(config: &ChainConfig, rate_hz: f64) -> Result<Self, DesignError> {
        let sos = config.design(rate_hz)?;
        let fast = BlockSos::new(&sos);
        let state = fast.new_state();
        let rms = BlockRms::with_duration(config.rms_window_s, rate_hz)?;
        Ok(Self {
            sos,
            fast,
            state,
            rms,
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
        self.fast.process_in_place(&mut self.state, data);
    }

    /// Filters `data` in place and writes the moving RMS of the filtered signal into `envelope`
    /// (the first `min(len)` samples).
    pub fn process<T: Sample>(&mut self, data: &mut [T], envelope: &mut [T]) {
        let n = data.len().min(envelope.len());
        // Filter and RMS take turns on chunks that stay in L1. (Fusing them per 8-sample block was
        // measured slower: the combined loop runs out of vector registers.)
        for (d, e) in data[..n]
            .chunks_mut(CHUNK)
            .zip(envelope[..n].chunks_mut(CHUNK))
        {
            self.fast.process_in_place(&mut self.state, d);
            self.rms.process(d, e);
        }
    }

    /// Back to the initial state.
    pub fn reset(&mut self) {
        self.state.reset();
        self.rms.reset();
    }
}
