//! The fixed-width ASCII header: what a channel declares, and encoding and parsing it.

use std::path::Path;

use tonus_core::{ChannelInfo, ChannelKind, Unit};

use super::error::EdfError;

/// Sample width: EDF+ (16-bit) or BDF+ (24-bit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// EDF+: 16-bit little-endian samples, digital range -32768..=32767.
    Edf16,
    /// BDF+: 24-bit little-endian samples, digital range -8388608..=8388607.
    Bdf24,
}

impl Depth {
    /// Bytes per sample.
    pub fn bytes(self) -> usize {
        match self {
            Self::Edf16 => 2,
            Self::Bdf24 => 3,
        }
    }

    /// Digital minimum and maximum.
    pub fn digital_range(self) -> (i32, i32) {
        match self {
            Self::Edf16 => (-32768, 32767),
            Self::Bdf24 => (-8_388_608, 8_388_607),
        }
    }

    /// Label of the annotation signal.
    pub(crate) fn annotation_label(self) -> &'static str {
        match self {
            Self::Edf16 => "EDF Annotations",
            Self::Bdf24 => "BDF Annotations",
        }
    }
}

/// A stored channel: what it is, its physical range (mapped onto the full digital range) and its
/// prefiltering text.
#[derive(Debug, Clone, PartialEq)]
pub struct EdfChannel {
    /// Name, unit and rate (a whole number of hertz).
    pub info: ChannelInfo,
    /// Physical value of the digital minimum.
    pub physical_min: f64,
    /// Physical value of the digital maximum.
    pub physical_max: f64,
    /// Prefiltering field, e.g. `HP:10Hz LP:500Hz` (empty when unknown).
    pub prefilter: String,
}

impl EdfChannel {
    /// A channel with this physical range and no prefiltering text.
    pub fn new(info: ChannelInfo, physical_min: f64, physical_max: f64) -> Self {
        Self {
            info,
            physical_min,
            physical_max,
            prefilter: String::new(),
        }
    }

    /// The digital value `x` (physical) is stored as: clipped to the range, NaN as the minimum.
    pub fn digital(&self, depth: Depth, x: f64) -> i32 {
        let (dmin, dmax) = depth.digital_range();
        if x.is_nan() {
            return dmin;
        }
        let scale = f64::from(dmax - dmin) / (self.physical_max - self.physical_min);
        (((x - self.physical_min) * scale).round() + f64::from(dmin))
            .clamp(f64::from(dmin), f64::from(dmax)) as i32
    }

    /// The physical value a reader gets back for digital value `d`.
    pub fn physical(&self, depth: Depth, d: i32) -> f64 {
        let (dmin, dmax) = depth.digital_range();
        let gain = (self.physical_max - self.physical_min) / (f64::from(dmax) - f64::from(dmin));
        self.physical_min + (f64::from(d) - f64::from(dmin)) * gain
    }

    /// Physical value of one digital step.
    pub fn step(&self, depth: Depth) -> f64 {
        let (dmin, dmax) = depth.digital_range();
        (self.physical_max - self.physical_min) / f64::from(dmax - dmin)
    }
}

/// A number in at most 8 characters, as precise as fits.
pub(crate) fn number8(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    if x == x.trunc() && x.abs() < 1e7 {
        return Some(format!("{x:.0}"));
    }
    (0..8)
        .rev()
        .map(|d| format!("{x:.d$}"))
        .find(|s| s.len() <= 8)
}

/// Left-justified, space-padded ASCII field of `width` bytes.
pub(crate) fn field(out: &mut Vec<u8>, text: &str, width: usize) {
    let bytes: Vec<u8> = text
        .bytes()
        .map(|b| if (32..127).contains(&b) { b } else { b'_' })
        .take(width)
        .collect();
    out.extend_from_slice(&bytes);
    out.extend(std::iter::repeat_n(b' ', width - bytes.len()));
}

/// Transducer text for a channel kind.
fn transducer(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Emg => "surface EMG electrode",
        ChannelKind::Pressure => "pressure probe",
    }
}

/// The shortest and longest data record accepted, s (EDF+ records are usually 1 s; the
/// specification puts no bound, but 1 ms and an hour are far outside any recording's).
const MIN_RECORD_S: f64 = 1e-3;
const MAX_RECORD_S: f64 = 3600.0;

/// A parsed header and what the reader needs besides it.
pub(crate) struct Parsed {
    pub header: Header,
    /// Each channel's digital range.
    pub digital: Vec<(i32, i32)>,
    /// A record's signals in file order: the channel each one is (`None` for the annotation
    /// signal) and its samples per record.
    pub layout: Vec<(Option<usize>, usize)>,
}

/// Everything the header declares.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub depth: Depth,
    /// `dd.mm.yy` and `hh.mm.ss`.
    pub start_date: String,
    pub start_time: String,
    pub records: i64,
    pub record_s: f64,
    pub channels: Vec<EdfChannel>,
    /// Samples per record of each channel.
    pub per_record: Vec<usize>,
    /// Samples per record of the annotation signals (in sample-width units; 0 in a plain EDF or
    /// BDF without annotations).
    pub annotation_samples: usize,
    /// How many annotation signals there are (0 in a plain EDF/BDF; Tonus writes one).
    pub annotation_signals: usize,
    /// `EDF+D` / `BDF+D`: records may be discontinuous (each says where it starts).
    pub discontinuous: bool,
}

impl Header {
    /// Header size in bytes.
    pub fn bytes(&self) -> usize {
        256 * (self.channels.len() + self.annotation_signals + 1)
    }

    /// Bytes of one data record.
    pub fn record_bytes(&self) -> usize {
        (self.per_record.iter().sum::<usize>() + self.annotation_samples) * self.depth.bytes()
    }

    /// Byte offset of the record count field.
    pub const RECORDS_OFFSET: u64 = 236;

    /// The encoded header.
    pub fn encode(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(self.bytes());
        match self.depth {
            Depth::Edf16 => field(&mut h, "0", 8),
            Depth::Bdf24 => {
                h.push(0xFF);
                field(&mut h, "BIOSEMI", 7);
            }
        }
        field(&mut h, "X X X X", 80);
        field(
            &mut h,
            &format!("Startdate {} X X Tonus", edfplus_date(&self.start_date)),
            80,
        );
        field(&mut h, &self.start_date, 8);
        field(&mut h, &self.start_time, 8);
        field(&mut h, &self.bytes().to_string(), 8);
        field(
            &mut h,
            if self.depth == Depth::Edf16 {
                "EDF+C"
            } else {
                "BDF+C"
            },
            44,
        );
        field(&mut h, &self.records.to_string(), 8);
        field(
            &mut h,
            &number8(self.record_s).unwrap_or_else(|| "1".into()),
            8,
        );
        field(&mut h, &(self.channels.len() + 1).to_string(), 4);
        let (dmin, dmax) = self.depth.digital_range();
        let ann = self.depth.annotation_label();
        let mut each = |width: usize, f: &dyn Fn(&EdfChannel, usize) -> String, last: &str| {
            for (i, c) in self.channels.iter().enumerate() {
                field(&mut h, &f(c, i), width);
            }
            field(&mut h, last, width);
        };
        each(16, &|c, _| c.info.name.clone(), ann);
        each(80, &|c, _| transducer(c.info.kind()).into(), "");
        each(8, &|c, _| c.info.unit.symbol().into(), "");
        each(8, &|c, _| number8(c.physical_min).unwrap_or_default(), "-1");
        each(8, &|c, _| number8(c.physical_max).unwrap_or_default(), "1");
        each(8, &|_, _| dmin.to_string(), &dmin.to_string());
        each(8, &|_, _| dmax.to_string(), &dmax.to_string());
        each(80, &|c, _| c.prefilter.clone(), "");
        each(
            8,
            &|_, i| self.per_record[i].to_string(),
            &self.annotation_samples.to_string(),
        );
        each(32, &|_, _| String::new(), "");
        h
    }

    /// Parses a header from the file's first bytes (all of them if shorter than the header).
    /// Besides the header: each channel's digital range, and the signal layout of a record (each
    /// signal's channel index, `None` for the annotation signal, and its samples per record).
    pub fn parse(path: &Path, b: &[u8]) -> Result<Parsed, EdfError> {
        let err = |offset: usize, field: &str, problem: String| EdfError::Header {
            path: path.to_path_buf(),
            offset: offset as u64,
            field: field.to_string(),
            problem,
        };
        let text = |offset: usize, width: usize, name: &str| -> Result<String, EdfError> {
            let raw = b.get(offset..offset + width).ok_or_else(|| {
                err(
                    offset,
                    name,
                    format!("the file ends at byte {} inside the header", b.len()),
                )
            })?;
            Ok(String::from_utf8_lossy(raw).trim().to_string())
        };
        let number = |offset: usize, width: usize, name: &str| -> Result<f64, EdfError> {
            let t = text(offset, width, name)?;
            t.parse::<f64>()
                .map_err(|_| err(offset, name, format!("'{t}' is not a number")))
        };
        let depth = match b.first() {
            Some(0xFF) if b.get(1..8) == Some(b"BIOSEMI") => Depth::Bdf24,
            Some(b'0') => Depth::Edf16,
            _ => {
                return Err(err(
                    0,
                    "version",
                    "neither EDF ('0') nor BDF (0xFF BIOSEMI)".into(),
                ))
            }
        };
        let start_date = text(168, 8, "startdate")?;
        let start_time = text(176, 8, "starttime")?;
        let header_bytes = number(184, 8, "number of bytes in header record")? as usize;
        let records = number(236, 8, "number of data records")?;
        if records < -1.0 || records != records.trunc() {
            return Err(err(
                236,
                "number of data records",
                format!("{records} is neither -1 (still recording) nor a whole number of records"),
            ));
        }
        let records = records as i64;
        let record_s = number(244, 8, "duration of a data record")?;
        if !(MIN_RECORD_S..=MAX_RECORD_S).contains(&record_s) {
            return Err(err(
                244,
                "duration of a data record",
                format!("{record_s} s is outside {MIN_RECORD_S}–{MAX_RECORD_S} s"),
            ));
        }
        let ns = number(252, 4, "number of signals")? as usize;
        if ns == 0 || ns.checked_add(1).and_then(|n| n.checked_mul(256)) != Some(header_bytes) {
            return Err(err(
                184,
                "number of bytes in header record",
                format!("{header_bytes} does not equal 256 × (1 + {ns} signals)"),
            ));
        }
        let reserved = text(192, 44, "reserved")?;
        // Field widths and their offsets in the signal part.
        let widths = [16, 80, 8, 8, 8, 8, 8, 80, 8, 32];
        let start = |k: usize| 256 + ns * widths[..k].iter().sum::<usize>();
        let (mut channels, mut per_record, mut digital) = (Vec::new(), Vec::new(), Vec::new());
        let mut layout = Vec::new();
        let (mut annotation_samples, mut annotation_signals) = (0, 0);
        for i in 0..ns {
            let at = |k: usize| start(k) + i * widths[k];
            let label = text(at(0), 16, &format!("signal {} label", i + 1))?;
            let spr_field = format!("signal {} samples per record", i + 1);
            let spr = number(at(8), 8, &spr_field)?;
            if !(1.0..=1e7).contains(&spr) || spr != spr.trunc() {
                return Err(err(
                    at(8),
                    &spr_field,
                    format!("{spr} is not a whole number from 1 to 10^7"),
                ));
            }
            let spr = spr as usize;
            if label == "EDF Annotations" || label == "BDF Annotations" {
                layout.push((None, spr));
                annotation_samples += spr;
                annotation_signals += 1;
                continue;
            }
            let dim = text(at(2), 8, &format!("signal {} physical dimension", i + 1))?;
            let unit: Unit = dim.replace('µ', "u").parse().map_err(|_| {
                err(
                    at(2),
                    &format!("signal {} ({label}) physical dimension", i + 1),
                    format!("'{dim}' is not a unit Tonus analyses (uV, mV, mmHg, cmH2O, kPa)"),
                )
            })?;
            let pmin = number(at(3), 8, &format!("signal {} physical minimum", i + 1))?;
            let pmax = number(at(4), 8, &format!("signal {} physical maximum", i + 1))?;
            let dmin = number(at(5), 8, &format!("signal {} digital minimum", i + 1))? as i32;
            let dmax = number(at(6), 8, &format!("signal {} digital maximum", i + 1))? as i32;
            let (lo, hi) = depth.digital_range();
            if pmin == pmax || dmin >= dmax || dmin < lo || dmax > hi {
                return Err(err(
                    at(3),
                    &format!("signal {} ({label}) ranges", i + 1),
                    format!("physical {pmin}..{pmax} or digital {dmin}..{dmax} range is empty or outside {lo}..{hi}"),
                ));
            }
            let rate = spr as f64 / record_s;
            if !tonus_core::limits::rate_ok(rate) {
                return Err(err(
                    at(8),
                    &spr_field,
                    format!(
                        "{spr} samples per {record_s} s record is {rate} Hz, outside {}–{} Hz",
                        tonus_core::limits::MIN_RATE_HZ,
                        tonus_core::limits::MAX_RATE_HZ
                    ),
                ));
            }
            let limit = tonus_core::limits::MAX_ABS_VALUE;
            if pmin.abs() > limit || pmax.abs() > limit || !pmin.is_finite() || !pmax.is_finite() {
                return Err(err(
                    at(3),
                    &format!("signal {} ({label}) physical range", i + 1),
                    format!("{pmin}..{pmax} reaches beyond ±{limit}"),
                ));
            }
            channels.push(EdfChannel {
                info: ChannelInfo {
                    name: label,
                    unit,
                    rate_hz: rate,
                },
                physical_min: pmin,
                physical_max: pmax,
                prefilter: text(at(7), 80, "prefiltering")?,
            });
            layout.push((Some(per_record.len()), spr));
            per_record.push(spr);
            digital.push((dmin, dmax));
        }
        let header = Header {
            depth,
            start_date,
            start_time,
            records,
            record_s,
            channels,
            per_record,
            annotation_samples,
            annotation_signals,
            discontinuous: reserved.starts_with("EDF+D") || reserved.starts_with("BDF+D"),
        };
        Ok(Parsed {
            header,
            digital,
            layout,
        })
    }
}

/// `dd.mm.yy` → `DD-MMM-YYYY` for the EDF+ recording field.
fn edfplus_date(ddmmyy: &str) -> String {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let p: Vec<usize> = ddmmyy.split('.').filter_map(|x| x.parse().ok()).collect();
    match p[..] {
        [d, m, y] if (1..=12).contains(&m) => {
            let year = if y >= 85 { 1900 + y } else { 2000 + y };
            format!("{d:02}-{}-{year}", MONTHS[m - 1])
        }
        _ => "X".into(),
    }
}
