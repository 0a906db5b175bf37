//! The whole session's envelopes at 10 Hz, read from the recording in chunks: what the trace
//! figure draws.

use tonus_analysis::Processing;
use tonus_core::{ChannelInfo, ChannelKind, Replay};
use tonus_dsp::{ChannelChain, Preset};

/// Points per second of a trace.
pub const TRACE_HZ: f64 = 10.0;

/// One channel's trace.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelTrace {
    /// The channel.
    pub info: ChannelInfo,
    /// EMG: the `emg` preset's 100 ms RMS envelope (in µV, with the analysis's mains notch);
    /// pressure: the `pressure` preset's low-pass; one mean per 0.1 s.
    pub values: Vec<f64>,
}

/// Every channel's trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// Per channel, in recording order.
    pub channels: Vec<ChannelTrace>,
}

impl Trace {
    /// Reads the whole source once, filtering it as the analysis did (`processing`: the report's
    /// mains notch), so the figure and the numbers come from one chain. Channels whose filters
    /// cannot be designed at their rate get an empty trace.
    pub fn from_replay<R: Replay>(
        source: &mut R,
        processing: &Processing,
    ) -> Result<Self, R::Error> {
        struct State {
            chain: Option<ChannelChain>,
            emg: bool,
            gain: f64,
            per: usize,
            acc: f64,
            n: usize,
            values: Vec<f64>,
        }
        let infos = source.channels().to_vec();
        let mut states: Vec<State> = infos
            .iter()
            .map(|c| {
                let emg = c.kind() == ChannelKind::Emg;
                let preset = if emg { Preset::Emg } else { Preset::Pressure };
                let mut config = preset.config();
                if let (true, Some((mains, harmonics))) = (emg, processing.mains()) {
                    config.mains = Some(mains);
                    config.notch_harmonics = harmonics;
                }
                State {
                    chain: ChannelChain::new(&config, c.rate_hz).ok(),
                    emg,
                    gain: c.unit.analysis_gain(),
                    per: ((c.rate_hz / TRACE_HZ).round() as usize).max(1),
                    acc: 0.0,
                    n: 0,
                    values: Vec::new(),
                }
            })
            .collect();
        let (mut buf, mut env) = ([0.0; 256], [0.0; 256]);
        source.replay(None, &mut |c, chunk| {
            let Some(s) = states.get_mut(c) else { return };
            let Some(chain) = &mut s.chain else { return };
            for part in chunk.chunks(256) {
                let (b, e) = (&mut buf[..part.len()], &mut env[..part.len()]);
                for (x, &v) in b.iter_mut().zip(part) {
                    *x = v * s.gain;
                }
                if s.emg {
                    chain.process(b, e);
                } else {
                    chain.filter(b);
                    e.copy_from_slice(b);
                }
                for v in e.iter() {
                    s.acc += v;
                    s.n += 1;
                    if s.n == s.per {
                        s.values.push(s.acc / s.n as f64);
                        s.acc = 0.0;
                        s.n = 0;
                    }
                }
            }
        })?;
        Ok(Self {
            channels: infos
                .into_iter()
                .zip(states)
                .map(|(info, s)| ChannelTrace {
                    info,
                    values: s.values,
                })
                .collect(),
        })
    }
}
