//! The two traits every input and output implements, so live, replay and batch share one engine.

use crate::block::SampleBlock;
use crate::channel::ChannelInfo;

/// Where samples come from: a serial sensor, the simulator, or a recording file.
pub trait Source {
    /// The source's own error type.
    type Error: std::error::Error;

    /// The channels this source delivers, in block order.
    fn channels(&self) -> &[ChannelInfo];

    /// Fills `block` with the next samples. Returns `Ok(false)` at the end of the data (a live source
    /// only ends when stopped). Must not allocate once running.
    fn read_block(&mut self, block: &mut SampleBlock) -> Result<bool, Self::Error>;
}

/// Where samples go: a recorder, an exporter.
pub trait Sink {
    /// The sink's own error type.
    type Error: std::error::Error;

    /// Takes one block.
    fn write_block(&mut self, block: &SampleBlock) -> Result<(), Self::Error>;

    /// Flushes and closes; after this the output is complete.
    fn finish(&mut self) -> Result<(), Self::Error>;
}
