#!/usr/bin/env sh
# Regenerates fixtures/sim/ with `tonus sim` (run from the repository root after `cargo build`).
# tests/sim_fixtures.rs runs exactly the `$tonus sim` lines below and requires byte-identical files.
set -eu
tonus=${TONUS:-target/debug/tonus}
mkdir -p fixtures/sim
$tonus sim --write fixtures/sim/normal.csv --profile normal --protocol glazer-mini --rate 500 --seed 1
$tonus sim --write fixtures/sim/overactive.csv --profile overactive --protocol glazer-mini --rate 500 --seed 1
$tonus sim --write fixtures/sim/weak.csv --profile weak --protocol glazer-mini --rate 500 --seed 1
$tonus sim --write fixtures/sim/accessory.csv --profile accessory --protocol glazer-mini --rate 500 --seed 1
$tonus sim --write fixtures/sim/artifacts.csv --profile normal --protocol glazer-mini --rate 500 --seed 2 --artifacts all
