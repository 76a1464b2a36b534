#!/usr/bin/env python3
"""Writes the after-the-bank fixtures by hand, from the shipped specs' documented layouts, not with
Pikou's writer: what a bank or a treasury would send. Run once; the files are committed.

files.tsv       the debit files the statements settle (id, bank, name, batch, dates, what succeeded)
candidates.tsv  the bank's answered debits the treasury's files list (BOC, 2026-12-15)
statements/     BOC (fixed, GBK), CCB (delimited, GBK), ISO20022 (camt.053 and camt.054, UTF-8)
treasury/       TIPSX (XML) and TIPSF (fixed, GBK), the same day
expected.tsv    beside each: line, what the line says, amount in fen, value date, reference, state
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTOR = "420100000001"
ACCOUNT = "4201000000000000001"


def write(path, text, encoding="utf-8", crlf=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.replace("\n", "\r\n") if crlf else text
    with open(path, "wb") as out:
        out.write(data.encode(encoding))


def fixed(value, width, pad=" ", right=False, encoding="gbk"):
    raw = str(value).encode(encoding)
    assert len(raw) <= width, (value, width)
    fill = pad.encode() * (width - len(raw))
    return (fill + raw if right else raw + fill).decode(encoding)


def tsv(path, header, rows):
    write(path, "\t".join(header) + "\n" + "".join("\t".join(str(c) for c in row) + "\n" for row in rows))


# The debit files: BOC's 002 and 003 both await 2,500.00 (an unreferenced credit of that is ambiguous).
files = [
    (1, "BOC", "BOC_DK_420100000001_20261201_001.txt", 1, "2026-12-01", "2026-12-15", 1000000),
    (2, "BOC", "BOC_DK_420100000001_20261201_002.txt", 2, "2026-12-01", "2026-12-15", 250000),
    (3, "BOC", "BOC_DK_420100000001_20261201_003.txt", 3, "2026-12-01", "2026-12-15", 250000),
    (4, "BOC", "BOC_DK_420100000001_20261201_004.txt", 4, "2026-12-01", "2026-12-15", 80000),
    (5, "CCB", "CCB42010000000120261201001.DK", 1, "2026-12-01", "2026-12-15", 500000),
    (6, "ISO20022", "ISO20022_DK_420100000001_20261201_001.xml", 1, "2026-12-01", "2026-12-15", 300000),
    (7, "ISO20022", "ISO20022_DK_420100000001_20261201_002.xml", 2, "2026-12-01", "2026-12-15", 120000),
]
tsv(os.path.join(HERE, "files.tsv"), ["id", "bank", "name", "collector", "batch", "file_date", "collection_date", "succeeded_fen"],
    [(i, b, n, COLLECTOR, batch, fd, cd, fen) for i, b, n, batch, fd, cd, fen in files])

# BOC: two days. H account date count balance(fen) / D value_date direction reversal amount(fen) reference serial.
def boc(lines, day):
    head = "H" + fixed(ACCOUNT, 20) + day + fixed(len(lines), 8, "0", True) + fixed(123456789, 15, "0", True)
    body = ["D" + v + d + r + fixed(a, 15, "0", True) + fixed(ref, 40) + fixed(s, 20) for v, d, r, a, ref, s in lines]
    return "\n".join([head] + body) + "\n"

boc_days = {
    "20261216": [
        ("20261216", "C", "N", 1000000, "BOC_DK_420100000001_20261201_001", "BS0001", "credit", "settled"),
        ("20261216", "C", "N", 79000, "BOC_DK_420100000001_20261201_004", "BS0002", "credit", "short"),
        ("20261216", "C", "N", 250000, "", "BS0003", "credit", "ambiguous"),
        ("20261216", "C", "N", 8800, "转账 某某公司", "BS0004", "credit", "unmatched"),
        ("20261216", "D", "N", 1500, "", "BS0005", "debit", "other"),
    ],
    "20261220": [
        ("20261220", "C", "N", 1000, "BOC_DK_420100000001_20261201_004", "BS0006", "credit", "late"),
        ("20261220", "D", "R", 1000000, "BOC_DK_420100000001_20261201_001", "BS0007", "reversal", "reversed"),
        ("20261220", "C", "N", 1000000, "BOC_DK_420100000001_20261201_001", "BS0008", "credit", "late"),
    ],
}
for day, lines in boc_days.items():
    folder = os.path.join(HERE, "statements", "BOC")
    write(os.path.join(folder, f"BOC_ST_{day}.txt"), boc([l[:6] for l in lines], day), "gbk", crlf=True)
    tsv(os.path.join(folder, f"BOC_ST_{day}.expected.tsv"), ["line", "entry", "amount_fen", "value_date", "reference", "state"],
        [(n + 2, l[6], l[3], f"{l[0][:4]}-{l[0][4:6]}-{l[0][6:]}", l[4], l[7]) for n, l in enumerate(lines)])

# CCB: S|account|date|count|balance| then date|借贷|冲正|amount|batch|serial|
ccb = [
    ("20261216", "贷", "N", "5005.00", "CCB42010000000120261201001", "CS01", "credit", 500500, "over"),
    ("20261217", "借", "Y", "5.00", "CCB42010000000120261201001", "CS02", "reversal", 500, "reversed"),
    ("20261217", "借", "N", "12.00", "", "CS03", "debit", 1200, "other"),
]
folder = os.path.join(HERE, "statements", "CCB")
text = f"S|{ACCOUNT}|20261217|{len(ccb)}|9999.00|\n" + "".join("|".join(l[:6]) + "|\n" for l in ccb)
write(os.path.join(folder, "CCB_ST_20261217.txt"), text, "gbk", crlf=True)
tsv(os.path.join(folder, "CCB_ST_20261217.expected.tsv"), ["line", "entry", "amount_fen", "value_date", "reference", "state"],
    [(n + 2, l[6], l[7], f"{l[0][:4]}-{l[0][4:6]}-{l[0][6:]}", l[4], l[8]) for n, l in enumerate(ccb)])

# ISO 20022: camt.053 (a statement) and camt.054 (a notification), as a bank's cash management sends them.
def entry(amount, ind, sts, date, serial, ref=None, reversal=False):
    details = f"<NtryDtls><Btch><MsgId>{ref}</MsgId></Btch></NtryDtls>" if ref else ""
    rvsl = "<RvslInd>true</RvslInd>" if reversal else ""
    return (f"<Ntry><Amt Ccy=\"CNY\">{amount}</Amt><CdtDbtInd>{ind}</CdtDbtInd>{rvsl}<Sts>{sts}</Sts>"
            f"<ValDt><Dt>{date}</Dt></ValDt><AcctSvcrRef>{serial}</AcctSvcrRef>"
            f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IDDT</Cd><SubFmlyCd>ESDD</SubFmlyCd></Fmly></Domn></BkTxCd>{details}</Ntry>")

camt053 = [
    ("3000.00", "CRDT", "BOOK", "2026-12-16", "IS01", "DK42010000000120261201001", False, "credit", 300000, "settled"),
    ("1200.00", "CRDT", "PDNG", "2026-12-16", "IS02", "DK42010000000120261201002", False, "ignore", 120000, "other"),
]
folder = os.path.join(HERE, "statements", "ISO20022")
# One entry a line: an entry's line is where the reader says it is (camt.053's first on line 6).
body = "\n".join(entry(a, i, s, d, se, r, rv) for a, i, s, d, se, r, rv, *_ in camt053)
write(os.path.join(folder, "camt053_20261216.xml"), f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>ST42010000000120261216</MsgId><CreDtTm>2026-12-16T20:00:00</CreDtTm></GrpHdr>
<Stmt><Id>ST42010000000120261216</Id><CreDtTm>2026-12-16T20:00:00</CreDtTm><Acct><Id><Othr><Id>{ACCOUNT}</Id></Othr></Id></Acct>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">1003000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-16</Dt></Dt></Bal>
{body}
</Stmt></BkToCstmrStmt></Document>
""")
tsv(os.path.join(folder, "camt053_20261216.expected.tsv"), ["line", "entry", "amount_fen", "value_date", "reference", "state"],
    [(n + 6, l[7], l[8], l[3], l[5] or "", l[9]) for n, l in enumerate(camt053)])
camt054 = [
    ("1200.00", "CRDT", "BOOK", "2026-12-17", "IS03", None, False, "credit", 120000, "settled"),
    ("3000.00", "DBIT", "BOOK", "2026-12-17", "IS04", "DK42010000000120261201001", True, "reversal", 300000, "reversed"),
]
body = "\n".join(entry(a, i, s, d, se, r, rv) for a, i, s, d, se, r, rv, *_ in camt054)
write(os.path.join(folder, "camt054_20261217.xml"), f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>NT42010000000120261217</MsgId><CreDtTm>2026-12-17T20:00:00</CreDtTm></GrpHdr>
<Ntfctn><Id>NT42010000000120261217</Id><CreDtTm>2026-12-17T20:00:00</CreDtTm><Acct><Id><Othr><Id>{ACCOUNT}</Id></Othr></Id></Acct>
{body}
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>
""")
tsv(os.path.join(folder, "camt054_20261217.expected.tsv"), ["line", "entry", "amount_fen", "value_date", "reference", "state"],
    [(n + 5, l[7], l[8], l[3], l[5] or "", l[9]) for n, l in enumerate(camt054)])

# The treasury: BOC's answered debits of 2026-12-15, the refunds it paid that day, and the authority's
# list of that day.
candidates = [
    (11, "420102199001010011", "202612", 12000, "S1", 1),
    (12, "420102199001010038", "202612", 13000, "S2", 1),
    (13, "420102199001010054", "202612", 14000, "S3", 0),
    (14, "420102199001010070", "202612", 15000, "S4", 1),
    (15, "420102199001010097", "202612", 16000, "S5", 1),
]
tsv(os.path.join(HERE, "candidates.tsv"), ["debit_id", "id_number", "period", "amount_fen", "bank_serial", "succeeded"], candidates)
lines = [  # id, period, fen, status, serial, voucher, their entry, state
    ("420102199001010011", "202612", 12000, "01", "S1", "TV0001", "booked", "same"),
    ("420102199001010038", "202612", 13100, "01", "S2", "TV0002", "booked", "different"),
    ("420102199001010054", "202612", 14000, "02", "S3", "", "failed", "both_failed"),
    ("420102199001010070", "202612", 15000, "02", "S4", "", "failed", "ours_only"),
    ("420102199001010118", "202612", 17000, "03", "RS1", "TK0001", "refunded", "refunded"),
    ("420102199001010134", "202612", 9000, "01", "", "TV0007", "booked", "theirs_only"),
    # 退库 lines, matched to the refunds BOC paid that day (refunds.tsv), never to a debit.
    ("420102199001010153", "202612", 5100, "03", "RS2", "TK0002", "refunded", "refund_different"),
    ("42010219900101017X", "202612", 3000, "03", "", "TK0003", "refunded", "refund_theirs_only"),
]
refunds = [
    (901, "420102199001010118", "202612", 17000, "RS1"),
    (902, "420102199001010153", "202612", 5000, "RS2"),
    (903, "420102199001010196", "202612", 4000, "RS3"),
]
tsv(os.path.join(HERE, "refunds.tsv"), ["refund_id", "id_number", "period", "amount_fen", "bank_serial"], refunds)
expected = [(n, l[6], l[2], "2026-12-15", l[0], l[7]) for n, l in enumerate(lines)]
# After the lines: the success the list lacks (debit 15), then the paid refund it lacks (903).
lacking = [("", "", 16000, "2026-12-15", "420102199001010097", "ours_only"), ("", "", 4000, "2026-12-15", "420102199001010196", "refund_ours_only")]
# The success the list lacks (debit 15), last, with no line.
folder = os.path.join(HERE, "treasury", "TIPSX")
items = "\n".join(f"<Item><TraDate>2026-12-15</TraDate><TaxpayerId>{i}</TaxpayerId><Period>{p}</Period><Amount>{f // 100}.{f % 100:02d}</Amount>"
                f"<Status>{s}</Status>" + (f"<BankSerial>{se}</BankSerial>" if se else "") + (f"<TaxVouNo>{v}</TaxVouNo>" if v else "") + "</Item>"
                for i, p, f, s, se, v, *_ in lines)
total = sum(l[2] for l in lines)
write(os.path.join(folder, "TIPSX_BOC_DZ_20261215.xml"), f"""<?xml version="1.0" encoding="UTF-8"?>
<ReconNotice xmlns="urn:pikou:tips:recon:1"><Head><MsgId>DZ42010000000120261215</MsgId><Collector>{COLLECTOR}</Collector><BankCode>BOC</BankCode>
<ReconDate>2026-12-15</ReconDate><Count>{len(lines)}</Count><Total>{total // 100}.{total % 100:02d}</Total></Head>
<Items>
{items}
</Items></ReconNotice>
""")
tsv(os.path.join(folder, "TIPSX_BOC_DZ_20261215.expected.tsv"), ["line", "theirs", "amount_fen", "date", "id_number", "state"],
    [(n + 5, *e[1:]) for n, e in enumerate(expected)] + lacking)
folder = os.path.join(HERE, "treasury", "TIPSF")
head = "H" + fixed(COLLECTOR, 12) + fixed("BOC", 8) + "20261215" + fixed(len(lines), 10, "0", True) + fixed(total, 17, "0", True)
body = ["D" + "20261215" + fixed(i, 18) + fixed(p, 20) + fixed(f, 15, "0", True) + s + fixed(se, 20) + fixed(v, 20) for i, p, f, s, se, v, *_ in lines]
write(os.path.join(folder, "TIPSF_BOC_DZ_20261215.txt"), "\n".join([head] + body) + "\n", "gbk", crlf=True)
tsv(os.path.join(folder, "TIPSF_BOC_DZ_20261215.expected.tsv"), ["line", "theirs", "amount_fen", "date", "id_number", "state"],
    [(n + 2, *e[1:]) for n, e in enumerate(expected)] + lacking)
