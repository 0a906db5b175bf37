//! How the cost of the `emg` chain (band-pass 20–500 Hz order 4 + 100 ms moving RMS, 2 kHz) grows
//! with the channel count (1, 2, 4, 8, 16, 64) and the block size (1, 32, 1024), two ways:
//! - `per-channel`: each channel through its own `ChannelChain` (block state-space form), block by
//!   block, as the engine runs today;
//! - `lanes`: channels side by side in SIMD lanes (`LaneChain<8>`, or `<1>`, `<2>`, `<4>` for fewer
//!   channels), frames of interleaved samples as a sensor sends them.
//!
//! Prints a markdown table of total throughput (samples of all channels per second, median of 7
//! passes over 65 536 samples per channel) and writes the plot to `--png FILE` (default
//! `target/lanes_scaling.png`). Run: `cargo bench --bench lanes_scaling [-- --png FILE]`.

use std::hint::black_box;
use std::time::Instant;

use plotters::prelude::*;
use tonus_dsp::{butterworth, Band, ChannelChain, Preset};
use tonus_lanes::LaneChain;

const N: usize = 65_536;
const CHANNELS: [usize; 6] = [1, 2, 4, 8, 16, 64];
const BLOCKS: [usize; 3] = [1, 32, 1024];
const REPS: usize = 7;

fn input(channels: usize) -> Vec<Vec<f64>> {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..channels)
        .map(|_| {
            (0..N)
                .map(|_| {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    (s >> 11) as f64 / (1u64 << 53) as f64 * 100.0 - 50.0
                })
                .collect()
        })
        .collect()
}

fn median(mut t: Vec<f64>) -> f64 {
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn per_channel(x: &[Vec<f64>], block: usize) -> f64 {
    let config = Preset::Emg.config();
    let times = (0..REPS + 1)
        .map(|_| {
            let mut chains: Vec<ChannelChain> = x
                .iter()
                .map(|_| ChannelChain::new(&config, 2000.0).expect("emg preset"))
                .collect();
            let mut work: Vec<Vec<f64>> = x.to_vec();
            let mut env = vec![0.0; block];
            let t0 = Instant::now();
            for start in (0..N).step_by(block) {
                let end = (start + block).min(N);
                for (chain, w) in chains.iter_mut().zip(work.iter_mut()) {
                    chain.process(black_box(&mut w[start..end]), &mut env[..end - start]);
                }
            }
            black_box(&env);
            t0.elapsed().as_secs_f64()
        })
        .skip(1)
        .collect();
    (x.len() * N) as f64 / median(times)
}

fn lanes_of<const L: usize>(x: &[Vec<f64>], block: usize) -> f64 {
    let sos = butterworth(
        4,
        Band::BandPass {
            low_hz: 20.0,
            high_hz: 500.0,
        },
        2000.0,
    )
    .expect("design");
    let groups = x.len().div_ceil(L);
    let frames: Vec<Vec<[f64; L]>> = (0..groups)
        .map(|g| {
            (0..N)
                .map(|i| core::array::from_fn(|l| x.get(g * L + l).map_or(0.0, |c| c[i])))
                .collect()
        })
        .collect();
    let times = (0..REPS + 1)
        .map(|_| {
            let mut chains: Vec<LaneChain<L>> = (0..groups)
                .map(|_| LaneChain::new(&sos, 200).expect("chain"))
                .collect();
            let mut work = frames.clone();
            let t0 = Instant::now();
            for start in (0..N).step_by(block) {
                let end = (start + block).min(N);
                for (chain, w) in chains.iter_mut().zip(work.iter_mut()) {
                    chain.process(black_box(&mut w[start..end]));
                }
            }
            black_box(&work);
            t0.elapsed().as_secs_f64()
        })
        .skip(1)
        .collect();
    (x.len() * N) as f64 / median(times)
}

fn lanes(x: &[Vec<f64>], block: usize) -> f64 {
    match x.len() {
        1 => lanes_of::<1>(x, block),
        2 => lanes_of::<2>(x, block),
        4 => lanes_of::<4>(x, block),
        _ => lanes_of::<8>(x, block),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let png = args
        .iter()
        .position(|a| a == "--png")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| "target/lanes_scaling.png".into());
    let mut rows = Vec::new();
    println!("| channels | block | per-channel (M samples/s) | lanes (M samples/s) |");
    println!("|---|---|---|---|");
    for &c in &CHANNELS {
        let x = input(c);
        for &b in &BLOCKS {
            let (p, l) = (per_channel(&x, b), lanes(&x, b));
            println!("| {c} | {b} | {:.0} | {:.0} |", p / 1e6, l / 1e6);
            rows.push((c, b, p, l));
        }
    }
    let one = rows
        .iter()
        .find(|r| r.0 == 1 && r.1 == 1024)
        .map_or(1.0, |r| r.2.max(r.3));
    let eight = rows
        .iter()
        .find(|r| r.0 == 8 && r.1 == 1024)
        .map_or(0.0, |r| r.3);
    println!(
        "\n8 channels in lanes (block 1024): {:.0} M samples/s = {:.2}x the best single channel ({:.0} M)",
        eight / 1e6,
        eight / one,
        one / 1e6
    );
    if let Err(e) = plot(&png, &rows) {
        eprintln!("plot: {e}");
    } else {
        println!("plot: {png}");
    }
}

fn plot(path: &str, rows: &[(usize, usize, f64, f64)]) -> Result<(), Box<dyn std::error::Error>> {
    tonus_report::register_font();
    let size = (900, 560);
    let mut rgb = vec![0u8; 900 * 560 * 3];
    let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
    root.fill(&WHITE)?;
    let top = rows.iter().map(|r| r.2.max(r.3)).fold(0.0, f64::max) / 1e6 * 1.1;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "emg chain: total throughput vs channels",
            (tonus_report::FONT, 20),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d((0.0f64..5.2f64).step(1.0), 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc("channels")
        .y_desc("M samples/s (all channels)")
        .x_label_formatter(&|v| {
            CHANNELS
                .get(*v as usize)
                .map_or(String::new(), |c| c.to_string())
        })
        .label_style((tonus_report::FONT, 14))
        .draw()?;
    let colors = [RED, BLUE, GREEN];
    for (k, &b) in BLOCKS.iter().enumerate() {
        let pts = |lanes: bool| -> Vec<(f64, f64)> {
            rows.iter()
                .filter(|r| r.1 == b)
                .map(|r| {
                    let i = CHANNELS.iter().position(|c| *c == r.0).unwrap_or(0) as f64;
                    (i, if lanes { r.3 } else { r.2 } / 1e6)
                })
                .collect()
        };
        let color = colors[k];
        chart
            .draw_series(LineSeries::new(pts(true), color.stroke_width(3)))?
            .label(format!("lanes, block {b}"))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3))
            });
        chart
            .draw_series(LineSeries::new(pts(false), color.stroke_width(1)))?
            .label(format!("per channel, block {b}"))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(1))
            });
    }
    chart
        .configure_series_labels()
        .label_font((tonus_report::FONT, 13))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    drop(chart);
    drop(root);
    tonus_report::write_png(std::path::Path::new(path), size, &rgb)?;
    Ok(())
}
