//! Prints the bank's confusion matrix (rows: the person's pattern; columns: what the analysis
//! suggested), agreement per factor and each disagreement: the figures of VALIDATION.md.
//!
//! `cargo run -p tonus-bank --release --example confusion [-- --threads N] [--seed FIRST]`

use std::collections::BTreeMap;

use tonus_bank::{cases_from, run_all, Outcome};

fn main() {
    let threads = std::env::args()
        .skip_while(|a| a != "--threads")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2usize);
    let first_seed = std::env::args()
        .skip_while(|a| a != "--seed")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000u64);
    let all = cases_from(first_seed);
    let started = std::time::Instant::now();
    let outcomes = run_all(&all, threads);
    let labels = [
        "within_reference",
        "overactive",
        "weak",
        "overactive_weak",
        "uncoordinated",
        "inconclusive",
    ];
    println!(
        "{} sessions in {:.1} s\n",
        outcomes.len(),
        started.elapsed().as_secs_f64()
    );
    print!("{:<18}", "truth \\ suggested");
    for l in &labels {
        print!("{:>17}", l);
    }
    println!();
    for truth in &labels[..5] {
        print!("{truth:<18}");
        for got in &labels {
            let n = outcomes
                .iter()
                .filter(|o| {
                    o.case.profile.expected_pattern() == *truth && o.report.pattern.label == *got
                })
                .count();
            print!("{n:>17}");
        }
        println!();
    }
    let agree = outcomes.iter().filter(|o| o.agrees()).count();
    println!(
        "\nagreement {agree}/{} = {:.1} %",
        outcomes.len(),
        100.0 * agree as f64 / outcomes.len() as f64
    );
    let mut by: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for o in &outcomes {
        for key in [
            format!("profile {}", o.case.profile.name()),
            format!("severity {}", o.case.severity.name()),
            format!("gain {}", o.case.gain),
            format!("rate {}", o.case.rate_hz),
            format!("protocol {}", o.case.protocol),
        ] {
            let e = by.entry(key).or_default();
            e.0 += usize::from(o.agrees());
            e.1 += 1;
        }
    }
    for (k, (a, n)) in by {
        println!("  {k:<28} {a:>3}/{n}");
    }
    println!("\ndisagreements:");
    for o in outcomes.iter().filter(|o| !o.agrees()) {
        println!(
            "  {} -> {} [{}]",
            o.case.label(),
            o.report.pattern.label,
            summary(o)
        );
    }
}

/// The flag codes (with counts) and the domains' ratings and key measures of an outcome.
fn summary(o: &Outcome) -> String {
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &o.report.flags {
        *codes.entry(f.code.as_str()).or_default() += 1;
    }
    let mut parts: Vec<String> = codes
        .iter()
        .map(|(c, n)| {
            if *n > 1 {
                format!("{c}x{n}")
            } else {
                c.to_string()
            }
        })
        .collect();
    for d in &o.report.domains {
        let keys: Vec<String> = d
            .evidence
            .iter()
            .filter(|m| {
                matches!(
                    m.key.as_str(),
                    "rest_cv"
                        | "mvc_rise_over_rest"
                        | "median_release_s"
                        | "post_hold_uv"
                        | "rest_uv"
                        | "post_rest_change"
                        | "abdominal_during_contractions"
                )
            })
            .map(|m| format!("{}={:.2}", m.key, m.value))
            .collect();
        parts.push(format!(
            "{}:{}({})",
            d.domain.as_str(),
            d.rating.as_str(),
            keys.join(",")
        ));
    }
    parts.join(" ")
}
