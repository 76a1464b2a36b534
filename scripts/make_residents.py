#!/usr/bin/env python3
"""Writes a synthetic county for the residents' annual collection (城乡居民两险): the roster, the
departments' group lists, payments made elsewhere, a tier change, and the participation targets.

Every person is invented (valid GB 11643 check characters, Luhn-valid test card numbers, names from a
syllable list); the county, its towns and villages too. The same --seed gives the same files.

  python3 scripts/make_residents.py --residents 50000 --seed 3 --out DIR [--year 2027]
  python3 scripts/make_residents.py --find-spouse DIR   # prints a husband of 50+ whose wife alone is on 计生's list

writes into DIR:
  residents.csv          the roster: one row per resident and insurance, scheme residents-annual, each
                         resident in a household of a village (household, relation: 户主, 配偶, 子女, ...)
  groups/<group>.csv     one list per group of the policy (低保, 五保, 重度残疾, 扶贫户, 脱贫, 特困, 计生,
                         在校学生); 计生's as a department sends it (GBK, 姓名,身份证号, no dates), naming one
                         spouse of each couple, with one person not in the roster
  payments.csv           personal parts paid through an app or a counter (about 5%)
  tier-changes.csv       roster rows of 40 residents who move to a higher pension tier after round 1
  targets.csv            eligible residents per village (the household register's count) and the
                         county's and towns' participation targets
"""
import argparse, csv, os, random, sys

# The roster generator's ID check weights, names and card helpers (one place for the synthetic data's rules).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_roster import CHECK, GIVEN, SURNAMES, WEIGHTS, luhn, pick  # noqa: E402

COUNTY, REGION = "示范县", "420199"
TOWNS = ["城关镇", "河口镇", "石桥乡", "柳林乡", "青山镇", "白沙乡", "东湖镇", "西岭乡"]
BANKS = [("BOC", "621661", 30), ("CCB", "621700", 25), ("ICBC", "622202", 20), ("WHRCB", "622188", 25)]
TIERS = [("300", 40), ("500", 20), ("600", 8), ("800", 8), ("1000", 10), ("1500", 5), ("2000", 5), ("3000", 2), ("5000", 2)]
# Each group's share of the residents (计生 only for women of 50 and over).
GROUPS = {"低保": 0.03, "五保": 0.006, "重度残疾": 0.01, "扶贫户": 0.015, "脱贫": 0.02, "特困": 0.004, "计生": 0.02}
COLUMNS = ["id_number", "name", "phone", "district", "street", "community", "insurance", "tier", "start_period",
           "end_period", "status", "bank", "account", "account_name", "agreement_no", "agreement_status", "scheme", "joined",
           "household", "relation"]


def find_spouse(folder, year):
    """The ID of a man of 50 or more, enrolled in the pension, not on 计生's list, whose wife (户主 and
    配偶 of one household) is on it: the demo's example of a rule reaching both spouses."""
    with open(os.path.join(folder, "groups", "计生.csv"), encoding="gbk", newline="") as f:
        listed = {row[1] for row in csv.reader(f)}
    households = {}
    with open(os.path.join(folder, "residents.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            households.setdefault(row["household"], []).append(row)
    for rows in households.values():
        couple = [r for r in rows if r["relation"] in ("户主", "配偶")]
        if any(r["id_number"] in listed for r in couple):
            for r in couple:
                i = r["id_number"]
                if i not in listed and r["insurance"] == "pension" and int(i[16]) % 2 == 1 and year - int(i[6:10]) - 1 >= 50:
                    return i
    sys.exit("make_residents: no husband reached through 计生's list in " + folder)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--residents", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--out")
    ap.add_argument("--year", type=int, default=2027)
    ap.add_argument("--find-spouse", metavar="DIR", help="print a husband reached through his wife's 计生 listing, and stop")
    args = ap.parse_args()
    if args.find_spouse:
        print(find_spouse(args.find_spouse, args.year))
        return
    if not args.out:
        ap.error("--out DIR is required")
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "groups"), exist_ok=True)
    start = f"{args.year}01"
    villages = {town: [f"{town[:2]}{n}{kind}" for n, kind in zip(range(1, rng.randint(6, 10) + 1), rng.choices(["村", "社区"], [4, 1], k=12))]
                for town in TOWNS}
    rows, payments, members, people, used, names = [], [], {g: [] for g in GROUPS}, [], set(), {}
    enrolled_by_village = {}
    for n in range(args.residents):
        town = rng.choice(TOWNS)
        village = rng.choice(villages[town])
        # Ages 1 to 88 at the reference date; under 16 only in medical.
        while True:
            born = args.year - rng.choices([rng.randint(1, 15), rng.randint(16, 59), rng.randint(60, 69), rng.randint(70, 88)], [12, 58, 18, 12])[0]
            body = f"{REGION}{born}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
            if body not in used:
                used.add(body)
                break
        id_number = body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]
        age = args.year - born - 1
        woman = int(id_number[16]) % 2 == 0
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
        names[id_number] = name
        phone = "1" + rng.choice("3578") + "".join(str(rng.randint(0, 9)) for _ in range(9))
        bank, prefix = pick(rng, [((b, p), w) for b, p, w in BANKS])
        account = luhn(prefix + "".join(str(rng.randint(0, 9)) for _ in range(18 - len(prefix))))
        groups = [g for g, share in GROUPS.items() if rng.random() < share and (g != "计生" or (woman and age >= 50))]
        for g in groups:
            members[g].append(id_number)
        hardship = any(g in groups for g in ("低保", "五保", "重度残疾", "扶贫户"))
        insurances = ["medical"] if age < 16 else (["pension", "medical"] if rng.random() < 0.9 else ["pension"])
        for insurance in insurances:
            tier = ("100" if hardship and rng.random() < 0.8 else pick(rng, TIERS)) if insurance == "pension" else "standard"
            rows.append([id_number, name, phone, COUNTY, town, village, insurance, tier, start, "", "active", bank, account, name,
                         f"JM{bank}{n + 1:08d}", "active", "residents-annual", ""])
            enrolled_by_village.setdefault((town, village, insurance), 0)
            enrolled_by_village[(town, village, insurance)] += 1
            if not groups and rng.random() < 0.05:
                amount = int(tier) * 100 if insurance == "pension" else 32000
                if insurance == "medical" and age >= 60:
                    continue  # their personal part is shared by the government: left to the debit
                payments.append([id_number, insurance, start, amount, rng.choice(["app", "counter", "etax"]), f"JM{args.seed}{len(payments) + 1:09d}"])
        if "pension" in insurances and not groups:
            people.append(rows[-len(insurances)])
    # Households, drawn apart (their own generator: the draws above stay as they were): each village's
    # residents, in order, in households of one to five; the first is the head, an adult of the other
    # sex the spouse, the rest children (18 or more years younger) or other relatives. College students
    # (18 to 22) are on 教育局's list of students in school, insured through their school.
    hrng = random.Random(args.seed * 7919 + 1)
    by_village, facts = {}, {}
    for row in rows:
        if row[0] not in facts:
            facts[row[0]] = (int(row[0][6:10]), int(row[0][16]) % 2 == 0)
            by_village.setdefault((row[4], row[5]), []).append(row[0])
    links = {}
    for (town, village), ids in by_village.items():
        serial, index = 0, 0
        while index < len(ids):
            size = hrng.choices([1, 2, 3, 4, 5], [15, 35, 25, 18, 7])[0]
            serial += 1
            household = f"{REGION}{TOWNS.index(town) + 1:02d}{villages[town].index(village) + 1:02d}{serial:04d}"
            head = ids[index]
            links[head] = (household, "户主")
            for other in ids[index + 1:index + size]:
                (born, woman), (head_born, head_woman) = facts[other], facts[head]
                spouse = woman != head_woman and args.year - born > 20 and "配偶" not in [links[m][1] for m in ids[index:index + size] if m in links]
                links[other] = (household, "配偶" if spouse else "子女" if born - head_born >= 18 else "其他")
            index += size
    for row in rows:
        row += list(links[row[0]])
    students = [i for i, (born, _) in facts.items() if 18 <= args.year - born - 1 <= 22 and hrng.random() < 0.3]
    members["在校学生"] = students
    # 计生's list names the wives (women of 50 and over): a husband is reached through the roster's 户主 and 配偶.
    with open(os.path.join(args.out, "residents.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)
    for group, ids in members.items():
        if group == "计生":
            # As the health commission sends it: GBK, Chinese titles, no dates (the whole year), CRLF; and
            # one person the roster does not have, who goes back to the department (名册中无此人).
            body = f"{REGION}19700101999"
            stranger = body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]
            with open(os.path.join(args.out, "groups", f"{group}.csv"), "w", newline="", encoding="gbk") as f:
                w = csv.writer(f, lineterminator="\r\n")
                w.writerow(["姓名", "身份证号"])
                for id_number in ids:
                    w.writerow([names[id_number], id_number])
                w.writerow(["未登记", stranger])
            continue
        with open(os.path.join(args.out, "groups", f"{group}.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["id_number", "valid_from", "valid_to"])
            for id_number in ids:
                w.writerow([id_number, f"{args.year - 1}-01-01", ""])
    with open(os.path.join(args.out, "payments.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id_number", "insurance", "period", "amount_fen", "channel", "reference"])
        w.writerows(payments)
    # A higher pension tier after round 1: re-priced when not yet debited, a due for the difference when paid.
    with open(os.path.join(args.out, "tier-changes.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for row in rng.sample(people, min(40, len(people))):
            changed = list(row)
            higher = [t for t, _ in TIERS if int(t) > int(row[7])]
            changed[7] = higher[0] if higher else row[7]
            w.writerow(changed)
    # The household register's eligible residents per village (a few more than enrolled), the towns'
    # targets (pension 98 %, medical 95 %), and the county's.
    with open(os.path.join(args.out, "targets.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["district", "street", "community", "insurance", "eligible", "target_percent"])
        for insurance, target in (("pension", "98"), ("medical", "95")):
            w.writerow([COUNTY, "", "", insurance, "", target])
            for town in TOWNS:
                w.writerow([COUNTY, town, "", insurance, "", "98.5" if town == "城关镇" and insurance == "pension" else target])
                for village in villages[town]:
                    enrolled = enrolled_by_village.get((town, village, insurance), 0)
                    if enrolled:
                        w.writerow([COUNTY, town, village, insurance, enrolled + rng.randint(0, max(1, enrolled // 25)), ""])
    print(f"{args.out}/residents.csv: {len(rows)} rows for {args.residents} residents; "
          f"groups: {', '.join(f'{g} {len(ids)}' for g, ids in members.items())}; {len(payments)} payments elsewhere")


if __name__ == "__main__":
    main()
