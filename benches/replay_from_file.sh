#!/usr/bin/env bash
# Replay at full speed through the live pipeline (replay reader thread -> ring -> engine thread,
# events to a JSON-lines stream): a one-hour, 2 kHz, 3-channel BDF+ recording with its phase
# markers, three runs; prints the CLI's own samples/s line and GNU time's wall time and peak memory.
# Run from the repository root: bash benches/replay_from_file.sh [MINUTES...] (default 60)
set -euo pipefail
cargo build --release --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for m in "${@:-60}"; do
  cargo bench --quiet --bench analysis_speed -- "$m" --write "$dir/session.bdf" >/dev/null
  for run in 1 2 3; do
    /usr/bin/time -f "minutes=$m run=$run wall_s=%e peak_rss_kib=%M" \
      ./target/release/tonus replay "$dir/session.bdf" --speed max --events "$dir/events.jsonl" \
      2>&1 >/dev/null | grep -E "replayed|minutes="
  done
done
