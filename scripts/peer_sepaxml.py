#!/usr/bin/env python3
"""The peer for Pikou's ISO 20022 bank in `make bench`: Python's sepaxml writing a pain.008.001.02
of N direct debits and validating it against the schema (sepaxml's default, `export(validate=True)`).

Same synthetic payers as `pikou bench xml` (amount 414.70 yuan + n fen); prints one JSON object with
the seconds, the bytes and the control sum sepaxml wrote, so the bench can check its answer.
Run in the bench's virtualenv (scripts/bench.py installs sepaxml there).
"""
import datetime
import json
import sys
import time

from sepaxml import SepaDD

count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
out = sys.argv[2] if len(sys.argv) > 2 else "/dev/null"
# sepaxml validates with xmlschema, which refuses documents over 1,000,000 elements: 100,000 debits
# fail with XMLResourceExceeded. `--raise-limit` lifts that limit so the peer can finish at all.
if "--raise-limit" in sys.argv:
    import xmlschema.limits
    xmlschema.limits.MAX_XML_ELEMENTS = 10**9

start = time.perf_counter()
sepa = SepaDD({
    "name": "Wuhan Tax Bureau TEST",
    "IBAN": "CN0242010000000000000001",   # synthetic; the schema checks the shape only
    "BIC": "TESTCNBJXXX",
    "batch": True,
    "creditor_id": "CN00ZZZ420100000001",
    "currency": "CNY",
}, schema="pain.008.001.02", clean=True)
names = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
for n in range(count):
    sepa.add_payment({
        "name": names[n % len(names)] + names[(n // 20) % len(names)] + "测",
        "IBAN": "CN%02d621700%013d" % (n % 97, n),
        "BIC": "TESTCNBJXXX",
        "amount": 41_470 + n % 100_000,           # in cents (fen)
        "type": "RCUR",
        "collection_date": datetime.date(2026, 12, 15),
        "mandate_id": "WH%d" % n,
        "mandate_date": datetime.date(2026, 1, 1),
        "description": "202612",
        "endtoend_id": str(n + 1),
    })
try:
    xml = sepa.export(validate=True)
except Exception as error:  # the peer's answer is wrong or missing: say so, do not crash the bench
    print(json.dumps({"peer": "sepaxml", "lines": count, "seconds": time.perf_counter() - start,
                      "error": f"{type(error).__name__}: {str(error)[:200]}"}))
    sys.exit(0)
seconds = time.perf_counter() - start
with open(out, "wb") as f:
    f.write(xml)
start_sum = xml.index(b"<CtrlSum>") + len(b"<CtrlSum>")
control_sum = xml[start_sum:xml.index(b"</CtrlSum>", start_sum)].decode()
whole, _, fraction = control_sum.partition(".")
print(json.dumps({"peer": "sepaxml", "lines": count, "seconds": seconds, "bytes": len(xml),
                  "control_sum_fen": int(whole) * 100 + int((fraction + "00")[:2])}))
