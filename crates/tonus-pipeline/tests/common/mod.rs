//! Shared by the pipeline tests: blocks cut from a recording, and a feed that serves them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tonus_core::{ChannelInfo, Recording, SampleBlock};
use tonus_pipeline::{Feed, FeedStatus};
use tonus_sim::{generate, Profile, ScenarioConfig};

/// A generated glazer-mini session at 1 kHz.
pub fn recording(profile: Profile, seed: u64) -> Recording {
    let config = ScenarioConfig {
        profile,
        protocol: "glazer-mini".into(),
        seed,
        rate_hz: 1000.0,
        ..Default::default()
    };
    generate(&config).expect("session").recording
}

/// The recording as a sensor would send it: blocks of `per_block` samples on every channel.
pub fn blocks(rec: &Recording, per_block: usize) -> Vec<SampleBlock> {
    let n = rec.samples[0].len();
    (0..n.div_ceil(per_block))
        .map(|k| {
            let mut b = SampleBlock::default();
            b.clear(rec.channels.len());
            b.seq = k as u64;
            for (c, s) in rec.samples.iter().enumerate() {
                b.first_sample[c] = (k * per_block) as u64;
                for &x in &s[k * per_block..((k + 1) * per_block).min(s.len())] {
                    b.push(c, x);
                }
            }
            b
        })
        .collect()
}

/// Serves prepared blocks, as many as `available` allows (all, by default).
pub struct VecFeed {
    /// The channels.
    pub channels: Vec<ChannelInfo>,
    /// Every block, prepared before the test.
    pub blocks: Vec<SampleBlock>,
    /// The next to serve.
    pub next: usize,
    /// How many may be served so far.
    pub available: Arc<AtomicUsize>,
}

impl VecFeed {
    /// Serves all of `blocks`.
    pub fn new(channels: Vec<ChannelInfo>, blocks: Vec<SampleBlock>) -> Self {
        let available = Arc::new(AtomicUsize::new(blocks.len()));
        Self {
            channels,
            blocks,
            next: 0,
            available,
        }
    }
}

impl Feed for VecFeed {
    fn channels(&self) -> &[ChannelInfo] {
        &self.channels
    }
    fn pop(&mut self) -> Option<SampleBlock> {
        if self.next >= self.available.load(Ordering::SeqCst).min(self.blocks.len()) {
            return None;
        }
        self.next += 1;
        Some(self.blocks[self.next - 1].clone())
    }
    fn ended(&self) -> bool {
        self.next >= self.blocks.len()
    }
    fn poll_status(&mut self) -> Option<FeedStatus> {
        None
    }
    fn stop(&mut self) {}
}
