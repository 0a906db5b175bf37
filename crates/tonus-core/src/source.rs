//! [`Replay`]: what every finished recording implements (a file read in chunks, or a recording in
//! memory), so batch analysis, replay and reports read them all the same way. Live input arrives
//! as [`SampleBlock`](crate::SampleBlock)s through `tonus-pipeline`'s `Feed`.

use crate::channel::ChannelInfo;

/// A finished recording that can be read through more than once, in chunks, without being held in
/// memory (a file read record by record, or a `&`[`Recording`](crate::Recording) already in memory).
/// Batch analysis reads it once, after a look at its first seconds for mains hum.
pub trait Replay {
    /// The source's own error type.
    type Error: std::error::Error;

    /// The channels, in the order `replay` numbers them.
    fn channels(&self) -> &[ChannelInfo];

    /// Every marker (phases, `gap:N`), in time order.
    fn markers(&self) -> &[crate::Marker];

    /// The recording's length in seconds, when known without reading it (lets a reader size its
    /// buffers once instead of growing them). `None` by default.
    fn duration_s(&self) -> Option<f64> {
        None
    }

    /// Calls `f(channel, chunk)` with every sample from the start, in order within each channel
    /// (chunks of any size; channels may interleave), up to `limit_s` seconds when given.
    fn replay(
        &mut self,
        limit_s: Option<f64>,
        f: &mut dyn FnMut(usize, &[f64]),
    ) -> Result<(), Self::Error>;
}

impl Replay for &crate::Recording {
    type Error = std::convert::Infallible;

    fn channels(&self) -> &[ChannelInfo] {
        &self.channels
    }

    fn markers(&self) -> &[crate::Marker] {
        &self.markers
    }

    fn duration_s(&self) -> Option<f64> {
        Some(crate::Recording::duration_s(self))
    }

    fn replay(
        &mut self,
        limit_s: Option<f64>,
        f: &mut dyn FnMut(usize, &[f64]),
    ) -> Result<(), Self::Error> {
        // A second of every channel in turn, as a file is read: whoever consumes the channels
        // together (an analysis engine) holds only what they have in common.
        let ends: Vec<usize> = self
            .channels
            .iter()
            .zip(&self.samples)
            .map(|(info, s)| {
                limit_s.map_or(s.len(), |l| s.len().min((l * info.rate_hz).ceil() as usize))
            })
            .collect();
        let mut at = vec![0usize; ends.len()];
        let mut second = 1.0;
        while at.iter().zip(&ends).any(|(a, e)| a < e) {
            for (c, (info, s)) in self.channels.iter().zip(&self.samples).enumerate() {
                let to = ends[c].min((second * info.rate_hz).ceil() as usize);
                if to > at[c] {
                    f(c, &s[at[c]..to]);
                    at[c] = to;
                }
            }
            second += 1.0;
        }
        Ok(())
    }
}

/// An owned recording replays like a borrowed one (so it can move to a replay thread).
impl Replay for crate::Recording {
    type Error = std::convert::Infallible;

    fn channels(&self) -> &[ChannelInfo] {
        &self.channels
    }

    fn markers(&self) -> &[crate::Marker] {
        &self.markers
    }

    fn duration_s(&self) -> Option<f64> {
        Some(crate::Recording::duration_s(self))
    }

    fn replay(
        &mut self,
        limit_s: Option<f64>,
        f: &mut dyn FnMut(usize, &[f64]),
    ) -> Result<(), Self::Error> {
        (&*self).replay(limit_s, f)
    }
}
