#!/usr/bin/env bash
# Full analysis of a one-hour, 2 kHz, 3-channel recording read from a BDF+ file by the CLI, which
# streams it once: wall time and peak memory (GNU time).
# Also 6 min and 10 h, to show memory does not grow with the recording's length; each with its phase
# markers, and without them (then it calibrates on the first 10 minutes before detecting in them).
# FORMAT=csv reads the same recording from a CSV file instead (streamed a second at a time).
# Run from the repository root: bash benches/analysis_from_file.sh [MINUTES...] (default 6 60 600)
set -euo pipefail
cargo build --release --quiet
ext=${FORMAT:-bdf}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for minutes in "${@:-6 60 600}"; do
  for m in $minutes; do
    for variant in markers no-markers; do
      cargo bench --quiet --bench analysis_speed -- "$m" --write "$dir/session.$ext" "--$variant" >/dev/null
      size=$(du -m "$dir/session.$ext" | cut -f1)
      for run in 1 2 3; do
        /usr/bin/time -f "format=$ext minutes=$m $variant file_mib=$size run=$run wall_s=%e peak_rss_kib=%M" \
          ./target/release/tonus analyze "$dir/session.$ext" --format json >/dev/null
      done
      rm -f "$dir/session.$ext"
    done
  done
done
