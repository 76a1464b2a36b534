#!/usr/bin/env bash
# make demo: the monthly cycle end to end on the embedded SQLite store, for period 2026-12.
# Leaves its workspace in demo-workspace/ (git-ignored, recreated on every run) to explore afterwards:
#   .build/debug/pikou status --workspace demo-workspace
# make demo-pg: the same on PostgreSQL (PIKOU_DEMO_STORE=postgres://USER@HOST:PORT/DB, or a throwaway
# server scripts/with-postgres.sh starts and stops around the demo).
set -euo pipefail
cd "$(dirname "$0")/.."
PIKOU=${PIKOU:-.build/debug/pikou}  # the English-leak test runs the demo through a wrapper that keeps what pikou says
WS=${PIKOU_DEMO_WORKSPACE:-demo-workspace}
PAYERS=${PAYERS:-20000}
PERIOD=2026-12

stage() { STAGE_NAME=$1; STAGE_START=$(date +%s.%N); echo; echo "== $1"; }
done_stage() { printf -- "-- %s: %.1f s\n" "$STAGE_NAME" "$(echo "$(date +%s.%N) - $STAGE_START" | bc)"; TIMES+=("$(printf '%-28s %6.1f s' "$STAGE_NAME" "$(echo "$(date +%s.%N) - $STAGE_START" | bc)")"); }
TIMES=()
# The report's closing 钱表相符 lines and its exit status (0 MATCH, 1 MISMATCH, 3 PENDING, 4 NO DATA).
money_check() {
  local out rc
  set +e
  out=$($PIKOU report --period "$PERIOD" --workspace "$WS")
  rc=$?
  set -e
  printf '%s\n' "$out" | sed -n '/^钱表相符/,$p'
  echo "(pikou report exit status $rc)"
  [ "$rc" = "$1" ] || { echo "demo: expected exit status $1 from pikou report"; exit 1; }
}
command -v bc >/dev/null || { echo "demo needs bc (make deps installs it)"; exit 1; }
. scripts/demo_sms.sh

stage "workspace (TEST keys)"
rm -rf "$WS"
$PIKOU init "$WS" --test-keys --store "${PIKOU_DEMO_STORE:-pikou.sqlite}"
done_stage

stage "synthetic roster: $PAYERS payers, 8 bad rows"
python3 scripts/make_roster.py --payers "$PAYERS" --seed 1 --out "$WS/input" --bad 8
done_stage

stage "roster import"
$PIKOU roster import "$WS/input/roster.csv" --workspace "$WS" 2>&1 | grep -v "^ " || true
grep -c . "$WS/input/roster.csv.rejects.csv" | xargs -I{} echo "rejects file: $WS/input/roster.csv.rejects.csv ({} lines with header)"
$PIKOU payments import "$WS/input/payments.csv" --workspace "$WS"
done_stage

stage "cycle run --period $PERIOD"
$PIKOU cycle run --period "$PERIOD" --date 2026-12-01 --workspace "$WS"
echo "before any return file, the money is not settled:"
money_check 3
done_stage

stage "bank simulate (each bank answers each file)"
for folder in "$WS"/outbox/*/; do
  bank=$(basename "$folder")
  for file in "$folder"*; do
    case "$file" in *.sig) continue ;; esac
    [ -f "$file" ] || continue
    $PIKOU bank simulate --workspace "$WS" --bank "$bank" "$file" --out "$WS/inbox/$bank" --seed 7 | head -1
  done
done
done_stage

stage "returns ingest"
$PIKOU returns ingest --workspace "$WS" $(ls "$WS"/inbox/*/* | grep -v '\.sig$')
done_stage

stage "status --period $PERIOD"
$PIKOU status --period "$PERIOD" --workspace "$WS"
done_stage

stage "check"
$PIKOU check --workspace "$WS"
done_stage

echo
echo "== timings"
printf '%s\n' "${TIMES[@]}"
echo
echo "Explore: $PIKOU --help; $PIKOU status --workspace $WS; ls $WS/outbox/* $WS/inbox/*"

# ---- The operators' and finance staff's walkthrough (README, "A day after the returns") ----
echo
echo "== walkthrough: an operator chases failures"
$PIKOU failures list --period "$PERIOD" --date 2026-12-20 --workspace "$WS" | tail -1
PAYER=$($PIKOU failures list --period "$PERIOD" --outcome accountClosed --show-ids --workspace "$WS" | awk 'NR==2 {print $3}')
echo "correcting the agreement of one payer whose account was closed:"
$PIKOU agreements update --payer "$PAYER" --account 6225768888888888 --actor 张经办 --workspace "$WS"
$PIKOU resubmit --period "$PERIOD" --date 2026-12-20 --operator 张经办 --workspace "$WS"
for folder in "$WS"/outbox/*/; do
  bank=$(basename "$folder")
  for file in $(ls "$folder" | grep -E '20261220|2026-12-20' | grep -v '\.sig$'); do
    $PIKOU bank simulate --workspace "$WS" --bank "$bank" "$folder$file" --out "$WS/inbox/$bank" --seed 8 | head -1
  done
done
$PIKOU returns ingest --workspace "$WS" $(ls "$WS"/inbox/*/* | grep -E '20261220|2026-12-20' | grep -v '\.sig$')
echo
echo "== walkthrough: the payer phones: 我这个月扣款了吗？ (IDs and accounts masked; --show-ids on screen only)"
$PIKOU payer show "$PAYER" --period "$PERIOD" --workspace "$WS"
echo
echo "== walkthrough: finance checks the money; open exceptions mean 不符 MISMATCH"
money_check 1
echo
echo "== walkthrough: an operator works the exceptions (here: the bank confirmed each line as returned)"
$PIKOU exceptions list --period "$PERIOD" --workspace "$WS" | tail -4
for id in $($PIKOU exceptions list --period "$PERIOD" --format csv --workspace "$WS" | tail -n +2 | cut -d, -f1); do
  $PIKOU exceptions resolve "$id" --note "已与银行核实：按回盘结果处理（演示）" --actor 张经办 --workspace "$WS" >/dev/null
done
$PIKOU exceptions list --period "$PERIOD" --workspace "$WS" | tail -1
echo
echo "== walkthrough: finance exports the reconciliation"
money_check 0
$PIKOU report --period "$PERIOD" --by district --format xlsx --out "$WS/report-$PERIOD.xlsx" --workspace "$WS"
$PIKOU report --period "$PERIOD" --by bank --format csv --out "$WS/report-$PERIOD.csv" --workspace "$WS"
$PIKOU check --workspace "$WS"
echo
echo "== walkthrough: the money after the bank: the collection account's statements and the treasury's reconciliations (three-way 钱表相符)"
AB="$WS/after-bank"
# The banks' statements of the day after collection: BOC's credit short and a stranger's credit,
# CCB's over and one credit reversed then made again; ISO20022's (camt.053) arrives late, on the 19th.
# Banks without a statement layout of their own send camt.053 (--format ISO20022).
$PIKOU bank statement --bank BOC --date 2026-12-16 --short-by 10.00 --foreign 88.00 --out "$AB" --workspace "$WS"
$PIKOU bank statement --bank CCB --date 2026-12-16 --over-by 5.00 --reverse --out "$AB" --workspace "$WS"
$PIKOU bank statement --bank ISO20022 --date 2026-12-19 --out "$AB" --workspace "$WS"
for bank in HBNX HKB HUBB ICBC WHRCB; do
  $PIKOU bank statement --bank $bank --format ISO20022 --date 2026-12-16 --out "$AB" --workspace "$WS"
done
$PIKOU statements ingest --bank BOC "$AB/BOC_ST_20261216.txt" --workspace "$WS"
$PIKOU statements ingest --bank CCB "$AB/CCB_ST_20261216.txt" --workspace "$WS"
$PIKOU statements ingest --bank ISO20022 "$AB/ISO20022_ST_20261219.xml" --workspace "$WS"
for bank in HBNX HKB HUBB ICBC WHRCB; do
  $PIKOU statements ingest --bank $bank --format ISO20022 "$AB/${bank}_ST_20261216.xml" --workspace "$WS" | head -1
done
# The treasury's reconciliation of the 15th: BOC's (TIPS-like XML) lacks one success, lists one payer
# nobody here debited and books one a yuan more; CCB's comes fixed-width.
$PIKOU bank treasury --authority TIPSX --bank BOC --date 2026-12-15 --drop 1 --extra 1 --amount-off 1 --out "$AB" --workspace "$WS"
$PIKOU bank treasury --authority TIPSF --bank CCB --date 2026-12-15 --out "$AB" --workspace "$WS"
for bank in HBNX HKB HUBB ICBC ISO20022 WHRCB; do
  $PIKOU bank treasury --authority TIPSX --bank $bank --date 2026-12-15 --out "$AB" --workspace "$WS"
done
$PIKOU treasury ingest --authority TIPSX "$AB/TIPSX_BOC_DZ_20261215.xml" --workspace "$WS"
$PIKOU treasury ingest --authority TIPSF "$AB/TIPSF_CCB_DZ_20261215.txt" --workspace "$WS"
for bank in HBNX HKB HUBB ICBC ISO20022 WHRCB; do
  $PIKOU treasury ingest --authority TIPSX "$AB/TIPSX_${bank}_DZ_20261215.xml" --workspace "$WS" | head -1
done
echo "-- finance looks: 不符 while anything is open (exit status 2)"
rc=0; $PIKOU reconcile show --period "$PERIOD" --workspace "$WS" || rc=$?
[ "$rc" = 2 ] || { echo "demo: expected exit status 2 from pikou reconcile show, not $rc"; exit 1; }
echo "-- the next day: the rest of BOC's money, CCB's excess taken back, the resubmissions' credits; the treasury's corrected BOC file and its 21st"
for bank in BOC CCB ISO20022; do
  $PIKOU bank statement --bank $bank --date 2026-12-22 --out "$AB/22" --workspace "$WS" >/dev/null
done
for bank in HBNX HKB HUBB ICBC WHRCB; do
  $PIKOU bank statement --bank $bank --format ISO20022 --date 2026-12-22 --out "$AB/22" --workspace "$WS" >/dev/null
done
for file in "$AB"/22/*_ST_*; do
  case "$file" in *.sig) continue ;; esac
  bank=$(basename "$file" | cut -d_ -f1)
  format=""; case $bank in BOC|CCB|ISO20022) ;; *) format="--format ISO20022" ;; esac
  $PIKOU statements ingest --bank $bank $format "$file" --workspace "$WS" | head -1
done
$PIKOU bank treasury --authority TIPSX --bank BOC --date 2026-12-15 --out "$AB/corrected" --workspace "$WS" >/dev/null
$PIKOU treasury ingest --authority TIPSX "$AB/corrected/TIPSX_BOC_DZ_20261215.xml" --workspace "$WS" | head -1
echo "-- 退费: three BOC and three CCB payers debited this month also paid at the counter afterwards; the refund list is paid back through the banks on the 21st"
awk -F, 'NR == 1 {print "id_number,insurance,period,amount_fen,channel,reference"}
  NR > 1 && ($12 == "BOC" || $12 == "CCB") && $11 == "active" && $16 == "active" && $7 == "pension" && ++seen[$12] <= 3 {print $1 ",pension,202612,1,counter,LATE" NR}' \
  "$WS/input/roster.csv" > "$WS/input/late-payments.csv"
$PIKOU payments import "$WS/input/late-payments.csv" --workspace "$WS"
$PIKOU lists refunds --period "$PERIOD" --workspace "$WS" | tail -1
$PIKOU refunds write --period "$PERIOD" --date 2026-12-21 --out "$WS/退费" --workspace "$WS"
$PIKOU refunds write --period "$PERIOD" --date 2026-12-21 --out "$WS/退费" --workspace "$WS"
$PIKOU bank simulate --bank BOC --out "$WS/退费回盘" "$WS"/退费/*_TK_* --fail-rate 0 --workspace "$WS" | head -1
$PIKOU bank simulate --bank CCB --out "$WS/退费回盘" "$WS"/退费/CCB*.TK --fail-rate 0 --workspace "$WS" | head -1
$PIKOU refunds ingest --bank BOC "$WS"/退费回盘/*_TH_* --workspace "$WS"
$PIKOU refunds ingest --bank CCB "$WS"/退费回盘/CCB*.TH --workspace "$WS"
echo "-- the treasury's files of the 21st list each refund as 退库, matched to the refund the bank paid"
for bank in BOC CCB HBNX HKB HUBB ICBC ISO20022 WHRCB; do
  $PIKOU bank treasury --authority TIPSX --bank $bank --date 2026-12-21 --out "$AB/21" --workspace "$WS" >/dev/null
  $PIKOU treasury ingest --authority TIPSX "$AB/21/TIPSX_${bank}_DZ_20261221.xml" --workspace "$WS" | head -1
done
echo "-- the corrected treasury file settled ours-only, theirs-only and different; finance reviews what no later file settled (short, unmatched, over, reversed, late)"
for id in $($PIKOU reconcile show --period "$PERIOD" --workspace "$WS" | awk '$1 ~ /^[ST][0-9]+$/ && $NF == "待处理" {print $1}'); do
  $PIKOU reconcile review "$id" --note "已核实（演示）" --actor 李财务 --workspace "$WS"
done
$PIKOU reconcile show --period "$PERIOD" --workspace "$WS"
$PIKOU refunds show --period "$PERIOD" --workspace "$WS"
$PIKOU check --workspace "$WS" | tail -1
echo
echo "== walkthrough: text messages to the payers whose debit failed (one each, planned again: none twice), sent through the SMS gateway"
$PIKOU notify plan --kind debit_failed --period "$PERIOD" --date 2026-12-20 --workspace "$WS"
$PIKOU notify plan --kind debit_failed --period "$PERIOD" --date 2026-12-20 --workspace "$WS"
$PIKOU notify list --workspace "$WS" --limit 3
start_sms_stub
$PIKOU notify send --workspace "$WS"
$PIKOU notify send --workspace "$WS"
echo "the stand-in gateway took $(grep -c '"new": true' "$SMS_DIR/log") messages (one per notice)"
echo "-- 断缴提醒 for the same month, exported instead for an office that sends through its own platform"
$PIKOU notify plan --kind lapsed --months 1 --period "$PERIOD" --date 2026-12-20 --workspace "$WS"
$PIKOU notify export --out "$WS/notices-$PERIOD.xlsx" --workspace "$WS"
echo
echo "== the web console (批扣工作台) on this workspace, for the team"
# A demo user whose password is in a file of the workspace (0600): never on a command line.
umask 077
printf '%s\n' "demo-pikou-2026" > "$WS/console-demo-password"
$PIKOU users add 张经办 --role operator --password-file "$WS/console-demo-password" --workspace "$WS" 2>/dev/null \
  || $PIKOU users passwd 张经办 --password-file "$WS/console-demo-password" --workspace "$WS"
echo "open it with:"
echo "  $PIKOU console --workspace $WS --listen 127.0.0.1:8080"
echo "then browse http://127.0.0.1:8080/ and log in as 张经办 with the password in $WS/console-demo-password"
