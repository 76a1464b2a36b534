#!/usr/bin/env bash
# make demo-residents (and the end of make demo): the residents' annual collection (城乡居民两险) for
# cover year 2027 in a synthetic county of RESIDENTS residents (default 50,000): the roster and the
# departments' group lists, payments made elsewhere, round 1 of the window, the banks' answers, tier
# changes, round 2, the refusal after the window closes, then the finance view with 钱表相符 on the
# personal part, the list public funds pay from, and participation by grid against the targets.
# Leaves its workspace in demo-residents/ (git-ignored, recreated on every run).
set -euo pipefail
umask 077  # the county's synthetic roster and lists are personal data in form: 0600 files, 0700 folders
cd "$(dirname "$0")/.."
PIKOU=${PIKOU:-.build/debug/pikou}
WS=${PIKOU_DEMO_WORKSPACE:-demo-residents}
. scripts/demo_sms.sh
IN=$WS/input
RESIDENTS=${RESIDENTS:-50000}

stage() { STAGE_NAME=$1; STAGE_START=$(date +%s.%N); echo; echo "== $1"; }
done_stage() { printf -- "-- %s: %.1f s\n" "$STAGE_NAME" "$(echo "$(date +%s.%N) - $STAGE_START" | bc)"; }
# Answers every debit file written on DATE (YYYYMMDD or YYYY-MM-DD in its name) and ingests the returns.
answer() {
  local day=$1 dashed seed=$2
  dashed="${day:0:4}-${day:4:2}-${day:6:2}"
  for folder in "$WS"/outbox/*/; do
    bank=$(basename "$folder")
    for file in $(ls "$folder" | grep -E "$day|$dashed" | grep -v '\.sig$' || true); do
      $PIKOU bank simulate --workspace "$WS" --bank "$bank" "$folder$file" --out "$WS/inbox/$bank" --seed "$seed" | head -1
    done
  done
  $PIKOU returns ingest --workspace "$WS" $(ls "$WS"/inbox/*/* | grep -E "$day|$dashed" | grep -v '\.sig$') | grep -v "^ " || true
}

stage "workspace (TEST keys) and a synthetic county: $RESIDENTS residents"
rm -rf "$WS"
$PIKOU init "$WS" --test-keys --store "${PIKOU_DEMO_STORE:-pikou.sqlite}" >/dev/null
python3 scripts/make_residents.py --residents "$RESIDENTS" --seed 3 --out "$IN"
done_stage

stage "roster (scheme residents-annual), group lists, payments elsewhere"
$PIKOU roster import "$IN/residents.csv" --workspace "$WS" --quiet
for list in "$IN"/groups/*.csv; do
  # 计生's list holds one person the roster lacks: returned to the department (exit status 2), the rest imported.
  $PIKOU groups import --group "$(basename "$list" .csv)" "$list" --workspace "$WS" || [ $? = 2 ]
done
echo "the departments' feedback: $(ls "$IN"/groups/*.feedback.xlsx | wc -l) workbooks beside the lists (计生: 1 row returned, 名册中无此人)"
$PIKOU payments import "$IN/payments.csv" --workspace "$WS"
done_stage

stage "round 1 (2026-10-15): price every resident, debit the personal parts"
$PIKOU cycle run --scheme residents-annual --year 2027 --date 2026-10-15 --workspace "$WS" --quiet
done_stage

stage "the banks answer round 1"
answer 20261015 7
done_stage

stage "tier changes after round 1 (paid: a due for the difference; unpaid: re-priced)"
$PIKOU roster import "$IN/tier-changes.csv" --workspace "$WS" --quiet
done_stage

stage "before round 2: a text reminder to each resident still owing (once per round, however often it is planned)"
$PIKOU notify plan --kind round_reminder --year 2027 --date 2026-11-10 --workspace "$WS"
$PIKOU notify plan --kind round_reminder --year 2027 --date 2026-11-10 --workspace "$WS"
start_sms_stub
$PIKOU notify send --workspace "$WS"
echo "the stand-in gateway took $(grep -c '"new": true' "$SMS_DIR/log") messages (one per resident still owing)"
done_stage

stage "round 2 (2026-11-16): whoever is still unpaid, and the differences"
$PIKOU cycle run --scheme residents-annual --year 2027 --date 2026-11-16 --workspace "$WS" --quiet
answer 20261116 8
done_stage

stage "after the window (2026-12-21): the cycle refuses, saying why"
if $PIKOU cycle run --scheme residents-annual --year 2027 --date 2026-12-21 --workspace "$WS" --quiet; then
  echo "demo: a round after the window should be refused"; exit 1
fi
done_stage

stage "finance: the towns, the public funds' list, participation against the targets (钱表相符 on the personal part)"
$PIKOU report --scheme residents-annual --year 2027 --by street --targets "$IN/targets.csv" --workspace "$WS"
$PIKOU report --scheme residents-annual --year 2027 --by community --targets "$IN/targets.csv" --format csv --out "$WS/residents-2027-by-community.csv" --workspace "$WS"
# The workbook for finance and 财政, and one door-to-door list per village for the grid workers.
$PIKOU report --scheme residents-annual --year 2027 --by community --targets "$IN/targets.csv" --format xlsx --out "$WS/residents-2027.xlsx" \
  --door-to-door "$WS/door-to-door" --workspace "$WS"
$PIKOU check --workspace "$WS"
done_stage

echo
echo "== a resident's page: the dues' parts and why (低保: the government pays)"
PERSON=$(sed -n 2p "$IN/groups/低保.csv" | cut -d, -f1)
$PIKOU payer show "$PERSON" --workspace "$WS" | sed -n '1p;/城乡居民/,/^$/p'
echo
echo "== a husband whose wife alone is on 卫健委's 计生 list: the 300 reaches him through the roster's household (户号, 配偶)"
HUSBAND=$(python3 scripts/make_residents.py --find-spouse "$IN" --year 2027)
$PIKOU payer show "$HUSBAND" --workspace "$WS" | sed -n '/城乡居民/,/^$/p'
echo "Explore: $PIKOU report --scheme residents-annual --by file --workspace $WS; $PIKOU payer show ID --workspace $WS"
