//! Recording without analysis (`tonus record`): a serial acquisition's blocks straight into a
//! [`Recorder`] until stopped or a time limit, everything still in the ring written before the
//! file is closed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tonus_io::serial::{AcqEvent, AcqStats, Acquisition, DeviceIdentity};

use crate::error::PipelineError;
use crate::recorder::Recorder;

/// What a recording kept.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Samples written on the first channel.
    pub samples: u64,
    /// The acquisition's statistics (frames, CRC errors, gaps, stalls, disconnects, overruns).
    pub stats: AcqStats,
}

/// Records `acq` into `out` until `stop` is set or `limit` has passed, passing the acquisition's
/// events (other than device status) to `on_event`; then stops the acquisition, writes what is
/// left in its ring and closes the file.
pub fn record(
    acq: &mut Acquisition,
    mut out: Box<dyn Recorder>,
    stop: &AtomicBool,
    limit: Option<Duration>,
    mut on_event: impl FnMut(&AcqEvent),
) -> Result<Recorded, PipelineError> {
    let started = Instant::now();
    while !stop.load(Ordering::SeqCst) && limit.is_none_or(|l| started.elapsed() < l) {
        while let Some(block) = acq.pop() {
            out.write_block(&block)?;
        }
        for event in acq.events().try_iter() {
            if !matches!(event, AcqEvent::DeviceStatus(_)) {
                on_event(&event);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let stats = acq.stop();
    while let Some(block) = acq.pop() {
        out.write_block(&block)?;
    }
    Ok(Recorded {
        samples: out.finish()?,
        stats,
    })
}

/// One line naming a device: where, model, firmware, serial, channels and their rates.
pub fn describe_device(port: &std::path::Path, identity: &DeviceIdentity) -> String {
    let rates: Vec<String> = identity
        .channels
        .iter()
        .map(|c| c.info.rate_hz.to_string())
        .collect();
    format!(
        "{} ({} v{}.{}.{}, serial {}): {} channels at {} Hz",
        port.display(),
        identity.model,
        identity.firmware[0],
        identity.firmware[1],
        identity.firmware[2],
        identity.serial,
        identity.channels.len(),
        rates.join("/"),
    )
}
