#!/usr/bin/env python3
"""Writes a synthetic roster (and payments made elsewhere) for demos, tests and benchmarks.

Every person is invented: ID numbers carry a valid GB 11643 check character for random birth
dates in Wuhan district codes, card numbers a valid Luhn digit under test prefixes, names come from
a syllable list. The same --seed gives the same files.

  python3 scripts/make_roster.py --payers 20000 --seed 1 --out DIR [--bad 8] [--period 202612]

writes DIR/roster.csv (one row per payer and insurance; --bad rows are broken on purpose, one
defect each) and DIR/payments.csv (about 4% of the period's dues paid through other channels).
"""
import argparse, csv, os, random

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥建文辉力斌宇浩凯晨欣怡梓涵子轩雨萱佳琪思远博文"
DISTRICTS = {
    "江岸区": ("420102", ["大智街", "一元街", "车站街"]), "江汉区": ("420103", ["民族街", "花楼街", "水塔街"]),
    "硚口区": ("420104", ["六角亭街", "汉正街", "宝丰街"]), "汉阳区": ("420105", ["建桥街", "鹦鹉街", "洲头街"]),
    "武昌区": ("420106", ["积玉桥街", "中华路街", "粮道街"]), "青山区": ("420107", ["红卫路街", "冶金街", "钢都街"]),
    "洪山区": ("420111", ["珞南街", "关山街", "狮子山街"]),
}
BANKS = [("BOC", "621661", 30), ("CCB", "621700", 30), ("ICBC", "622202", 25), ("HKB", "623595", 15),
         ("ISO20022", "621483", 12), ("WHRCB", "622188", 10), ("HUBB", "621468", 8), ("HBNX", "623521", 8)]
PENSION_TIERS = [("60", 50), ("80", 15), ("100", 25), ("150", 5), ("200", 3), ("300", 2)]
COLUMNS = ["id_number", "name", "phone", "district", "street", "community", "insurance", "tier", "start_period",
           "end_period", "status", "bank", "account", "account_name", "agreement_no", "agreement_status"]

def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    r = rng.uniform(0, total)
    for value, w in weighted:
        r -= w
        if r <= 0:
            return value
    return weighted[-1][0]

def luhn(prefix):
    total = 0
    for i, d in enumerate(reversed([int(c) for c in prefix])):
        if i % 2 == 0:
            d *= 2
            if d > 9: d -= 9
        total += d
    return prefix + str((10 - total % 10) % 10)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--payers", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--bad", type=int, default=8)
    ap.add_argument("--period", default="202612")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    rows, payments, used = [], [], set()
    # Without broken rows (the bench) rows stream to the file as they are made: 10,000,000 payers'
    # rows held in lists would not fit in memory. Same seed, same bytes either way.
    roster_file = open(os.path.join(args.out, "roster.csv"), "w", newline="", encoding="utf-8")
    roster_writer = csv.writer(roster_file, lineterminator="\n")
    roster_writer.writerow(COLUMNS)
    written = 0
    for n in range(args.payers):
        if args.bad == 0 and rows:
            roster_writer.writerows(rows)
            written += len(rows)
            rows.clear()
        district = rng.choice(list(DISTRICTS))
        region, streets = DISTRICTS[district]
        street = rng.choice(streets)
        community = street.replace("街", "") + "社区" + str(rng.randint(1, 6))
        while True:
            body = f"{region}{rng.randint(1966, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
            if body not in used:
                used.add(body)
                break
        id_number = body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
        phone = "1" + rng.choice("3578") + "".join(str(rng.randint(0, 9)) for _ in range(9))
        bank, prefix, _ = pick(rng, [((b, p, w), w) for b, p, w in BANKS])
        account = luhn(prefix + "".join(str(rng.randint(0, 9)) for _ in range(18 - len(prefix))))
        start = rng.choice(["202401", "202501", "202601", "202606"])
        suspended = rng.random() < 0.02
        revoked = rng.random() < 0.01
        agreement = f"WH{bank}{n + 1:09d}"
        insurances = ["pension", "medical"] if rng.random() < 0.85 else ["pension"]
        for insurance in insurances:
            tier = pick(rng, PENSION_TIERS) if insurance == "pension" else "standard"
            rows.append([id_number, name, phone, district, street, community, insurance, tier, start, "",
                         "suspended" if suspended else "active", bank, account, name, agreement,
                         "revoked" if revoked else "active"])
            if rng.random() < 0.04 and not suspended:
                amount = {"60": 89532, "80": 119376, "100": 149220, "150": 223830, "200": 298440, "300": 447660,
                          "standard": 41470}[tier]
                payments.append([id_number, insurance, args.period, amount, rng.choice(["app", "counter", "etax"]),
                                 f"P{args.seed}{len(payments) + 1:010d}"])
    # Broken rows, one defect each, spread through the file.
    defects = [("id_number", lambda r: r[0][:17] + ("0" if r[0][17] != "0" else "1")),
               ("account", lambda r: r[12][:-1] + str((int(r[12][-1]) + 1) % 10)),
               ("bank", lambda r: "XYZ"), ("tier", lambda r: "999"), ("start_period", lambda r: "202613"),
               ("insurance", lambda r: "dental"), ("status", lambda r: "paused"), ("name", lambda r: "")]
    index = {c: i for i, c in enumerate(COLUMNS)}
    for k in range(min(args.bad, len(rows))):
        field, mutate = defects[k % len(defects)]
        victim = list(rows[rng.randrange(len(rows))])
        victim[0] = "420106199001011" + str(k % 10) + "0"  # a new payer, so the good rows stay good
        victim[0] = victim[0][:17] + CHECK[sum(int(d) * w for d, w in zip(victim[0][:17], WEIGHTS)) % 11]
        victim[index[field]] = mutate(victim)
        rows.insert(rng.randrange(len(rows)), victim)
    roster_writer.writerows(rows)
    written += len(rows)
    roster_file.close()
    with open(os.path.join(args.out, "payments.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id_number", "insurance", "period", "amount_fen", "channel", "reference"])
        w.writerows(payments)
    print(f"{args.out}/roster.csv: {written} rows for {args.payers} payers ({args.bad} broken on purpose); "
          f"{args.out}/payments.csv: {len(payments)} payments")

if __name__ == "__main__":
    main()
