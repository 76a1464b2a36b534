#!/usr/bin/env bash
# make demo: what Pikou can do today, end to end on files (the monthly cycle over a store comes next).
# Leaves its work in demo-workspace/ (git-ignored, recreated on every run).
set -euo pipefail
cd "$(dirname "$0")/.."
PIKOU=.build/debug/pikou
WS=demo-workspace
# The TEST keys of Fixtures/keys sign and verify the demo files (never use them elsewhere).
CONFIG=Fixtures/keys/pikou-test.yaml
rm -rf "$WS" && mkdir -p "$WS/outbox" "$WS/inbox"

echo "== 1. The bank specs (Formats/banks/*.yaml)"
$PIKOU formats list
$PIKOU formats check

for bank in $($PIKOU formats list | awk 'NR>1 {print $1}'); do
  echo
  echo "== 2. $bank: write a debit file from Fixtures/banks/$bank/debits.csv, then read it back"
  mkdir -p "$WS/outbox/$bank" "$WS/inbox/$bank"
  $PIKOU file write --config $CONFIG --bank "$bank" --in "Fixtures/banks/$bank/debits.csv" --out "$WS/outbox/$bank" \
    --date 2026-12-01 --collection-date 2026-12-03
  $PIKOU file read --config $CONFIG --bank "$bank" --kind debit "$(ls "$WS/outbox/$bank"/* | grep -v '\.sig$')" | tail -1
  echo "== 3. $bank: the bank's return file (every outcome), read and mapped to canonical outcomes"
  cp Fixtures/banks/$bank/valid/return.txt* "$WS/inbox/$bank/"
  $PIKOU file read --config $CONFIG --bank "$bank" --kind return "$WS/inbox/$bank/return.txt"
done

echo
echo "== 4. A broken return file is refused with file, line and field; a tampered one before parsing:"
$PIKOU file read --config $CONFIG --bank BOC --kind return Fixtures/banks/BOC/invalid/wrong-total.txt >/dev/null 2>"$WS/err.txt" || true
grep -v "signature OK" "$WS/err.txt"
$PIKOU file verify --config $CONFIG --bank CCB Fixtures/banks/CCB/invalid/tampered.txt || true
echo
echo "The monthly cycle (roster, store, bank simulator, ingest) is not yet built; see the issues."
echo "Explore: ls $WS/outbox $WS/inbox; $PIKOU --help"
