#!/usr/bin/env bash
# Regenerates every bank fixture: the CSV inputs, the signed golden files and the broken variants.
# Run from the repository root after `swift build`. All data is synthetic; keys are the TEST keys.
set -euo pipefail
cd "$(dirname "$0")"
P=../../.build/debug/pikou
CONFIG=../keys/pikou-test.yaml
python3 make_inputs.py
# XML banks' files end in .xml, the others' in .txt.
$P formats list --formats ../../Formats | awk 'NR>1 {print $1, ($3 == "xml" ? "xml" : "txt")}' | while read -r bank ext; do
  mkdir -p "$bank/valid" "$bank/invalid"
  rm -f "$bank"/valid/* "$bank"/invalid/*.txt "$bank"/invalid/*.xml "$bank"/invalid/*.sig
  $P file write --formats ../../Formats --config $CONFIG --bank "$bank" --in "$bank/debits.csv" \
    --out "$bank/valid/debit.$ext" --date 2026-12-01 --collection-date 2026-12-03
  $P file write --formats ../../Formats --config $CONFIG --bank "$bank" --kind return --in "$bank/returns.csv" \
    --out "$bank/valid/return.$ext" --date 2026-12-03 --collection-date 2026-12-03
done
python3 make_broken.py
python3 make_broken_xml.py
