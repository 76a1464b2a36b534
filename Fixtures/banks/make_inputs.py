#!/usr/bin/env python3
"""Writes the synthetic CSV inputs of the bank fixtures: debits.csv and returns.csv per bank.

All people are invented: ID numbers are generated with a valid GB 11643 check character for
random birth dates, card numbers with a valid Luhn digit under a test prefix, names from a
syllable list. Run from Fixtures/banks/; the golden files are then made with `pikou file write`
(see README.md here) and the broken variants with make_broken.py.
"""
import csv, random

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["小明", "建国", "秀英", "桂兰", "志强", "丽娟", "海燕", "文博", "子涵", "雨萱", "浩然", "欣怡"]

def id_number(rng, region):
    body = f"{region}{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]

def luhn_complete(prefix):
    digits = [int(d) for d in prefix]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9: d -= 9
        total += d
    return prefix + str((10 - total % 10) % 10)

OUTCOME_CODES = {
    # outcome: {bank: (code, text)}
    "succeeded":         {"BOC": ("0000", "交易成功"), "CCB": ("00", "成功"), "ICBC": ("S", ""), "HKB": ("000", "成功"), "ISO20022": ("ACSC", ""), "WHRCB": ("0000", "交易成功"), "HUBB": ("0000", "交易成功"), "HBNX": ("0000", "交易成功")},
    "insufficientFunds": {"BOC": ("1001", "余额不足"), "CCB": ("51", "余额不足"), "ICBC": ("F", "余额不足"), "HKB": ("101", "余额不足"), "ISO20022": ("RJCT/AM04", "余额不足"), "WHRCB": ("E101", "余额不足"), "HUBB": ("0101", "余额不足"), "HBNX": ("0101", "余额不足")},
    "accountFrozen":     {"BOC": ("1002", "账户冻结"), "CCB": ("E9", "账户冻结"), "ICBC": ("F", "账户止付"), "HKB": ("102", "账户冻结"), "ISO20022": ("RJCT/AC06", "账户冻结"), "WHRCB": ("E102", "账户冻结"), "HUBB": ("0102", "账户冻结"), "HBNX": ("0102", "账户冻结")},
    "bankSystemError":   {"BOC": ("9001", "系统错误"), "CCB": ("96", "系统故障"), "ICBC": ("F", "交易超时"), "HKB": ("900", "系统繁忙请稍后"), "ISO20022": ("RJCT/MS03", "系统错误"), "WHRCB": ("E901", "系统错误"), "HUBB": ("0901", "系统繁忙"), "HBNX": ("0901", "系统繁忙")},
    "exceedsLimit":      {"BOC": ("1008", "超过限额"), "CCB": ("61", "超限额"), "ICBC": ("F", "超过单笔限额"), "HKB": ("108", "超限额"), "ISO20022": ("RJCT/AM14", "超过限额"), "WHRCB": ("E108", "超过限额"), "HUBB": ("0109", "超过限额"), "HBNX": ("0109", "超过限额")},
    "accountClosed":     {"BOC": ("1003", "账户已销户"), "CCB": ("Q1", "账户已销户"), "ICBC": ("F", "账户已销户"), "HKB": ("103", "已销户"), "ISO20022": ("RJCT/AC04", "账户已销户"), "WHRCB": ("E103", "账户已销户"), "HUBB": ("0103", "账户已销户"), "HBNX": ("0103", "账户已销户")},
    "accountNotFound":   {"BOC": ("1004", "无此账户"), "CCB": ("14", "无此账户"), "ICBC": ("F", "无此账户"), "HKB": ("104", "账户不存在"), "ISO20022": ("RJCT/AC01", "无此账户"), "WHRCB": ("E104", "无此账户"), "HUBB": ("0104", "无此账户"), "HBNX": ("0104", "无此账户")},
    "nameMismatch":      {"BOC": ("1005", "户名不符"), "CCB": ("N1", "户名不符"), "ICBC": ("F", "户名不符"), "HKB": ("105", "户名不符"), "ISO20022": ("RJCT/BE01", "户名不符"), "WHRCB": ("E105", "户名不符"), "HUBB": ("0105", "户名不符"), "HBNX": ("0105", "户名不符")},
    "idMismatch":        {"BOC": ("1006", "证件不符"), "CCB": ("N2", "证件号码不符"), "ICBC": ("F", "证件号码不符"), "HKB": ("106", "证件不符"), "ISO20022": ("RJCT/RR01", "证件不符"), "WHRCB": ("E106", "证件号码不符"), "HUBB": ("0106", "证件号码不符"), "HBNX": ("0106", "证件号码不符")},
    "agreementMissing":  {"BOC": ("1007", "协议不存在"), "CCB": ("A1", "无扣款协议"), "ICBC": ("F", "协议不存在"), "HKB": ("107", "无代扣协议"), "ISO20022": ("RJCT/MD01", "协议不存在"), "WHRCB": ("E107", "协议不存在"), "HUBB": ("0107", "无代扣协议"), "HBNX": ("0107", "无代扣协议")},
    # 协议已解约: only the banks whose tables have a code for it.
    "agreementRevoked":  {"HUBB": ("0108", "协议已解约"), "HBNX": ("0108", "协议已解约")},
}
ORDER = ["succeeded", "insufficientFunds", "succeeded", "accountFrozen", "bankSystemError", "exceedsLimit",
         "accountClosed", "succeeded", "accountNotFound", "nameMismatch", "idMismatch", "agreementMissing"]
HEADER = ["seq", "payer_id_number", "payer_name", "account", "agreement_no", "amount_fen", "period", "memo"]

def make(bank, seed, region, prefix):
    rng = random.Random(seed)
    rows = []
    # A bank with a code for 协议已解约 answers one more line with it.
    order = ORDER + [o for o in ["agreementRevoked"] if bank in OUTCOME_CODES[o]]
    for seq in range(1, len(order) + 1):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if seq == 5:
            account = str(rng.randint(10**16, 10**17 - 1))  # a passbook account: no Luhn
        else:
            account = luhn_complete(prefix + "".join(str(rng.randint(0, 9)) for _ in range(18 - len(prefix))))
        amount = rng.choice([71520, 82340, 48770, 124000, 40770 + 700])  # pension/medical tiers, in fen
        rows.append([seq, id_number(rng, region), name, account, f"XY{region}{seq:08d}", amount, "202612",
                     "补缴2026-11" if seq == 3 else ""])
    with open(f"{bank}/debits.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n"); w.writerow(HEADER); w.writerows(rows)
    with open(f"{bank}/returns.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n"); w.writerow(HEADER + ["result_code", "result_text", "bank_serial"])
        for row, outcome in zip(rows, order):
            code, text = OUTCOME_CODES[outcome][bank]
            w.writerow(row + [code, text, f"{bank[:2]}{row[0]:010d}"])

if __name__ == "__main__":
    import os
    for bank, seed, region, prefix in [("BOC", 1, "420106", "621661"), ("CCB", 2, "420102", "621700"), ("ICBC", 3, "420111", "622202"), ("HKB", 4, "420103", "623595"),
                                         ("ISO20022", 5, "420104", "621483"),
                                         ("WHRCB", 6, "420105", "622188"),
                                         ("HUBB", 7, "420107", "621468"), ("HBNX", 8, "420112", "623521")]:
        os.makedirs(bank, exist_ok=True)
        make(bank, seed, region, prefix)
