//! The device's sample clock as its Position messages give it (PROTOCOL.md, Locate → Position).

use tonus_core::MAX_CHANNELS;
use tonus_protocol::Position;

/// Where the session's first Start fell on the device's sample clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DeviceClock {
    id: u32,
    origins: [u64; MAX_CHANNELS],
    channels: usize,
}

impl DeviceClock {
    /// The clock of a Position covering `channels` channels; `None` when the device cannot name
    /// its clock (`clock_id` 0) or described fewer channels.
    pub(crate) fn at_start(position: &Position, channels: usize) -> Option<Self> {
        if position.clock_id == 0 || position.origins.len() < channels {
            return None;
        }
        let mut origins = [0; MAX_CHANNELS];
        for (o, p) in origins.iter_mut().zip(&position.origins) {
            *o = *p;
        }
        Some(Self {
            id: position.clock_id,
            origins,
            channels,
        })
    }

    /// Where a later Start's `first_index` 0 falls in the session's sample numbering (sample 0 =
    /// the first Start's), per channel; `None` if `later` is on another clock (it restarted).
    pub(crate) fn offsets_to(&self, later: &Position) -> Option<[i64; MAX_CHANNELS]> {
        if later.clock_id != self.id || later.origins.len() < self.channels {
            return None;
        }
        let mut out = [0i64; MAX_CHANNELS];
        for ((o, later), first) in out.iter_mut().zip(&later.origins).zip(&self.origins) {
            *o = (*later as i128 - *first as i128).clamp(i64::MIN as i128, i64::MAX as i128) as i64;
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(clock_id: u32, origins: &[u64]) -> Position {
        Position {
            clock_id,
            origins: origins.iter().copied().collect(),
        }
    }

    #[test]
    fn the_same_clock_gives_offsets_another_gives_none() {
        let start = DeviceClock::at_start(&position(9, &[1000, 50]), 2).expect("clock");
        let later = start
            .offsets_to(&position(9, &[6000, 300]))
            .expect("same clock");
        assert_eq!(&later[..2], &[5000, 250]);
        assert_eq!(start.offsets_to(&position(10, &[6000, 300])), None);
        assert_eq!(start.offsets_to(&position(9, &[6000])), None);
        assert_eq!(DeviceClock::at_start(&position(0, &[1, 2]), 2), None);
        assert_eq!(DeviceClock::at_start(&position(3, &[1]), 2), None);
    }
}
