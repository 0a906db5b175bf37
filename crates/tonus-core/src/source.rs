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

/// A recording in memory replays a second of every channel in turn, as a file is read: whoever
/// consumes the channels together (an analysis engine) holds only what they have in common.
fn replay_recording(
    rec: &crate::Recording,
    limit_s: Option<f64>,
    f: &mut dyn FnMut(usize, &[f64]),
) {
    let ends: Vec<usize> = rec
        .channels
        .iter()
        .zip(&rec.samples)
        .map(|(info, s)| {
            limit_s.map_or(s.len(), |l| s.len().min((l * info.rate_hz).ceil() as usize))
        })
        .collect();
    let mut at = vec![0usize; ends.len()];
    let mut second = 1.0;
    while at.iter().zip(&ends).any(|(a, e)| a < e) {
        for (c, (info, s)) in rec.channels.iter().zip(&rec.samples).enumerate() {
            let to = ends[c].min((second * info.rate_hz).ceil() as usize);
            if to > at[c] {
                f(c, &s[at[c]..to]);
                at[c] = to;
            }
        }
        second += 1.0;
    }
}

/// `Replay` for a recording held in memory, borrowed or owned (owned, it can move to a replay
/// thread).
macro_rules! replay_in_memory {
    ($t:ty) => {
        impl Replay for $t {
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
                replay_recording(self, limit_s, f);
                Ok(())
            }
        }
    };
}

replay_in_memory!(&crate::Recording);
replay_in_memory!(crate::Recording);
