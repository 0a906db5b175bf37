#!/usr/bin/env bash
# Writes `tonus analyze --format json` of every committed fixture into OUT (one file each), so two
# builds' outputs can be compared byte for byte (`diff -r`), e.g. before and after a refactoring:
#   bash scripts/fixture_reports.sh target/release/tonus /tmp/before
set -euo pipefail
tonus=${1:?tonus binary}; out=${2:?output folder}
mkdir -p "$out"
cd "$(dirname "$0")/.."
for f in fixtures/*.csv fixtures/sim/*.csv; do
  name=$(echo "$f" | tr '/' '_')
  "$tonus" analyze "$f" --format json > "$out/$name.json"
  "$tonus" analyze "$f" --format text > "$out/$name.txt"
  "$tonus" analyze "$f" --format csv > "$out/$name.contractions.csv"
done
ls "$out" | wc -l
