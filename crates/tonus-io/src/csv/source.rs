//! A CSV recording streamed for analysis and replay: [`CsvSource`] holds the markers and, while
//! replaying, one second of every channel, so a long recording takes no more memory than a short one.

use std::path::{Path, PathBuf};

use tonus_core::{ChannelInfo, Marker, Replay};

use super::error::CsvError;
use super::reader::{CsvReader, CsvRow};

/// A CSV recording opened for streaming. [`CsvSource::open`] reads the file once quickly (row
/// widths, markers, length); each [`Replay::replay`] reads it again, checking every number and
/// time as [`CsvReader`] does, and hands out one second of every channel in turn (at a bad row,
/// what came before it, then the error). Sample `i` of a
/// channel is at `i / rate` seconds from the first row: the `N` samples missing before a `gap:N`
/// row are the last value before the gap, as [`read_recording`](super::read_recording) fills them.
#[derive(Debug, Clone)]
pub struct CsvSource {
    path: PathBuf,
    /// The rate given to [`CsvSource::open`] (`None`: derived from `t`).
    given_rate_hz: Option<f64>,
    rate_hz: f64,
    infos: Vec<ChannelInfo>,
    markers: Vec<Marker>,
    /// Samples per channel, counting the held values over recorded gaps.
    samples: u64,
}

impl CsvSource {
    /// Opens `path` (`rate_hz` as for [`CsvReader::open`]) and finds its markers and length. A
    /// ragged row is reported here; a bad number or time when the replay reaches it.
    pub fn open(path: &Path, rate_hz: Option<f64>) -> Result<Self, CsvError> {
        let mut reader = CsvReader::open(path, rate_hz)?;
        let infos = reader
            .header()
            .channels
            .iter()
            .map(|(_, c)| c.clone())
            .collect();
        let mut markers = Vec::new();
        let mut samples = 0u64;
        let mut row = CsvRow::default();
        let mut t0 = None;
        while reader.skim_row(&mut row)? {
            let start = *t0.get_or_insert(row.time_s);
            if samples > 0 {
                samples = samples.saturating_add(tonus_core::gap_samples(&row.marker).unwrap_or(0));
            }
            samples += 1;
            if !row.marker.is_empty() {
                markers.push(Marker {
                    time_s: row.time_s - start,
                    label: row.marker.clone(),
                });
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            given_rate_hz: rate_hz,
            rate_hz: reader.rate_hz(),
            infos,
            markers,
            samples,
        })
    }

    /// Samples per channel (every channel has the same), counting held values over gaps.
    pub fn samples(&self) -> u64 {
        self.samples
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Replay for CsvSource {
    type Error = CsvError;

    fn channels(&self) -> &[ChannelInfo] {
        &self.infos
    }

    fn markers(&self) -> &[Marker] {
        &self.markers
    }

    fn duration_s(&self) -> Option<f64> {
        Some(self.samples as f64 / self.rate_hz)
    }

    fn replay(
        &mut self,
        limit_s: Option<f64>,
        f: &mut dyn FnMut(usize, &[f64]),
    ) -> Result<(), CsvError> {
        let mut reader = CsvReader::open(&self.path, self.given_rate_hz)?;
        let limit = limit_s.map_or(self.samples, |l| {
            self.samples.min((l * self.rate_hz).ceil() as u64)
        });
        let mut second = Second::new(self.infos.len(), self.rate_hz);
        let mut last = vec![0.0; self.infos.len()];
        let mut delivered = 0u64;
        let mut row = CsvRow::default();
        while delivered < limit {
            let more = match reader.next_row(&mut row) {
                Ok(more) => more,
                Err(e) => {
                    // What was read before the bad row is still handed out.
                    second.flush(f);
                    return Err(e);
                }
            };
            if !more {
                break;
            }
            if delivered > 0 {
                let missing = tonus_core::gap_samples(&row.marker).unwrap_or(0);
                for _ in 0..missing.min(limit - delivered) {
                    second.push(&last, f);
                    delivered += 1;
                }
            }
            if delivered < limit {
                second.push(&row.values, f);
                last.copy_from_slice(&row.values);
                delivered += 1;
            }
        }
        second.flush(f);
        Ok(())
    }
}

/// Up to one second of every channel, handed out channel by channel when full.
struct Second {
    channels: Vec<Vec<f64>>,
    size: usize,
}

impl Second {
    fn new(channels: usize, rate_hz: f64) -> Self {
        let size = (rate_hz.ceil() as usize).max(1);
        Self {
            channels: (0..channels).map(|_| Vec::with_capacity(size)).collect(),
            size,
        }
    }

    /// Adds one sample of every channel.
    fn push(&mut self, values: &[f64], f: &mut dyn FnMut(usize, &[f64])) {
        for (c, v) in self.channels.iter_mut().zip(values) {
            c.push(*v);
        }
        if self.channels.first().is_some_and(|c| c.len() >= self.size) {
            self.flush(f);
        }
    }

    fn flush(&mut self, f: &mut dyn FnMut(usize, &[f64])) {
        for (i, c) in self.channels.iter_mut().enumerate() {
            if !c.is_empty() {
                f(i, c);
                c.clear();
            }
        }
    }
}
