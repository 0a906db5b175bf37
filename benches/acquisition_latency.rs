//! Latency from a sensor writing a Samples frame to the block being available at the ring's consumer,
//! through a real pseudo-terminal, the reader thread and the SPSC ring: p50, p99 and max over 10 000
//! frames at 2 kHz (one frame per millisecond, two samples per channel, three channels).
//!
//! The device here is a minimal in-process one that stamps each frame with the shared monotonic clock
//! just before writing it. Run: `cargo bench --bench acquisition_latency [-- FRAMES]`.

use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};
use tonus_io::serial::{Acquisition, AcquisitionConfig};

#[path = "common/latency_device.rs"]
mod latency_device;

use latency_device::device;

fn main() {
    let frames: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let epoch = Instant::now();
    let (master, slave) = TTYPort::pair().expect("pty");
    let path = slave.name().expect("pty name");
    let dev = std::thread::spawn(move || device(master, epoch, frames));
    let mut acq = Acquisition::start(AcquisitionConfig::new(&path)).expect("acquisition");
    let mut lat = Vec::with_capacity(frames as usize);
    let deadline = Instant::now() + Duration::from_secs(frames / 1000 + 10);
    while (lat.len() as u64) < frames && Instant::now() < deadline {
        match acq.pop() {
            Some(block) => {
                let now = epoch.elapsed().as_micros() as u64;
                lat.push(now.saturating_sub(block.device_time_us));
            }
            None => std::thread::yield_now(),
        }
    }
    let stats = acq.stop();
    let _ = dev.join();
    drop(slave);
    lat.sort_unstable();
    let q = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize] as f64 / 1000.0;
    println!(
        "{{\"frames\": {}, \"p50_ms\": {:.3}, \"p99_ms\": {:.3}, \"max_ms\": {:.3}, \"crc_errors\": {}, \"gaps\": {}}}",
        lat.len(),
        q(0.5),
        q(0.99),
        lat.last().copied().unwrap_or(0) as f64 / 1000.0,
        stats.decoder.crc_errors,
        stats.gap_samples[0]
    );
}
