#!/usr/bin/env bash
# Regenerates every bank fixture: the CSV inputs, the signed golden files and the broken variants.
# Run from the repository root after `swift build`. All data is synthetic; keys are the TEST keys.
set -euo pipefail
cd "$(dirname "$0")"
P=../../.build/debug/pikou
CONFIG=../keys/pikou-test.yaml
python3 make_inputs.py
for bank in $($P formats list --formats ../../Formats | awk 'NR>1 {print $1}'); do
  mkdir -p "$bank/valid" "$bank/invalid"
  rm -f "$bank"/valid/* "$bank"/invalid/*.txt "$bank"/invalid/*.sig
  $P file write --formats ../../Formats --config $CONFIG --bank "$bank" --in "$bank/debits.csv" \
    --out "$bank/valid/debit.txt" --date 2026-12-01 --collection-date 2026-12-03
  $P file write --formats ../../Formats --config $CONFIG --bank "$bank" --kind return --in "$bank/returns.csv" \
    --out "$bank/valid/return.txt" --date 2026-12-03 --collection-date 2026-12-03
done
python3 make_broken.py
