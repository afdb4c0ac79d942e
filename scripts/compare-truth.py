#!/usr/bin/env python3
"""Compares the JSON of `duty-agent check` with the truth.json of a generated office.

usage: compare-truth.py TRUTH.json CHECK.json
Charged anomalies must match exactly (person, date, shift, kind, minutes), excused ones too
(with their reason), suspected ones too (`suspected: true`, never charged); a truth anomaly that
gives its `unit` must be reported in that unit; every quality item of the truth must be among
those reported.
Prints the differences and exits 1 when there are any.
"""
import json
import sys
from collections import Counter


def key(a, reason=False):
    k = (str(a.get("date")), str(a.get("person")), str(a.get("shift")), str(a.get("kind")), int(a.get("minutes", -1)))
    return k + (str(a.get("reason")),) if reason else k


def matches(want, item):
    for k, v in want.items():
        got = item.get(k)
        if got is None:
            return False
        if k == "file":
            if not (str(got) == v or str(got).endswith("/" + v) or v.endswith("/" + str(got))):
                return False
        elif str(got) != str(v):
            return False
    return True


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    truth = json.load(open(sys.argv[1], encoding="utf-8"))
    got = json.load(open(sys.argv[2], encoding="utf-8"))
    reported = got.get("anomalies", [])
    problems = []
    for label, want, have in (
        ("charged", Counter(key(a) for a in truth["anomalies"]),
         Counter(key(a) for a in reported if not a.get("excused") and not a.get("suspected"))),
        ("excused", Counter(key(a, True) for a in truth["excused"]),
         Counter(key(a, True) for a in reported if a.get("excused"))),
        ("suspected", Counter(key(a) for a in truth.get("suspected", [])),
         Counter(key(a) for a in reported if a.get("suspected") and not a.get("excused"))),
    ):
        problems += [f"- {label} missing    {k}" for k in sorted((want - have).elements())]
        problems += [f"+ {label} unexpected {k}" for k in sorted((have - want).elements())]
    units = {}
    for a in reported:
        units.setdefault(key(a), set()).add(str(a.get("unit")))
    for a in truth["anomalies"] + truth["excused"] + truth.get("suspected", []):
        if "unit" in a and key(a) in units and a["unit"] not in units[key(a)]:
            problems.append(f"not in unit {a['unit']}: {key(a)} (reported in {sorted(units[key(a)])})")
    for q in truth.get("quality", []):
        if not any(matches(q, item) for item in got.get("quality", [])):
            problems.append(f"quality item not reported: {q}")
    for p in problems[:200]:
        print(p)
    if len(problems) > 200:
        print(f"... and {len(problems) - 200} more")
    charged = sum(1 for a in reported if not a.get("excused") and not a.get("suspected"))
    excused = sum(1 for a in reported if a.get("excused"))
    print(f"truth: {len(truth['anomalies'])} charged, {len(truth['excused'])} excused, "
          f"{len(truth.get('suspected', []))} suspected; check: {charged} charged, {excused} excused, "
          f"{len(reported) - charged - excused} suspected; {len(problems)} differences")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
