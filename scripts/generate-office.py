#!/usr/bin/env python3
"""Writes a synthetic office for duty-agent, with the truth of every anomaly it injected.

usage: generate-office.py --people N --days D --start YYYY-MM-DD --out DIR
                          [--seed S] [--anomaly-rate R] [--readers K] [--min-each M]
                          [--site-id ID] [--holidays-from DIR] [--one-file] [--lunch-rate L]

DIR receives:
  agent.toml        the agent config in the format of DESIGN.md (day shift 09:00-17:30 with a
                    12:00-13:30 break, night duty 20:00-08:00 in the duty room, away_limit 15)
  people.csv        id,name,unit,badge,joined,left in several units, one of them nested (执法大队/一中队);
                    the leaders (局领导) are on no schedule: their punches must never be judged;
                    one person joins and one leaves within the range
  transfers.csv     person,date,unit: one person moves to another unit within the range
  badges/N_attlog.dat  ZKTeco USB attlog per reader: office readers 1..K (direction unknown),
                    the duty room's entrance K+1 ("in") and exit K+2 ("out"); reader 2 writes CRLF;
                    reader 1 holds a few corrupted rows, punches of an unknown badge and NUL padding;
                    with --one-file, every reader's punches go to one badges/attlog.dat instead (LF,
                    in time order, the reader in the device column; corrupted rows and padding in it)
  roster.csv        one night-duty officer a night, every night of the range
  leaves.csv        whole-day leaves (excused) and partial ones (moving the start or the end)
  holidays/Y.json   the holiday-cn files for the years touched, copied from --holidays-from
  truth.json        {"from","to","anomalies":[charged],"excused":[…],"suspected":[…],"quality":[…],"counts":{…}}

With two office readers or more, the last one dies for a workday in the second half of the range:
it records nothing, its users (who badge only there) are unverified that day, and the truth has
the `reader_silent` item naming it. Some duty officers leave the duty room and are next seen
leaving it in the morning: a suspected off-post (truth "suspected"), never charged. Every
anomaly of the truth carries the unit of its date.

The truth follows the rules of DESIGN.md with the defaults (grace 5, debounce 60 s, window
-60/+120 min, minutes rounded up from seconds). Injected minutes stay well clear of every
boundary and normal punches stay well inside the grace, so the truth does not depend on a
reading of an edge case. Output is deterministic for a seed.
"""
import argparse
import datetime as dt
import json
import random
import shutil
import sys
from pathlib import Path

DAY_START, DAY_END = 9 * 3600, 17 * 3600 + 1800          # 09:00-17:30
DAY_MINUTES = 420                                         # 510 less the 90-minute break
DUTY_START, DUTY_END = 20 * 3600, 32 * 3600               # 20:00-08:00 next day
DUTY_MINUTES = 720
DUTY_SHIFT, DAY_SHIFT = "night-duty", "day"

BASE_UNITS = [
    "市场监管局/办公室",
    "市场监管局/人事科",
    "市场监管局/食品科",
    "市场监管局/综合科",
    "市场监管局/执法大队",
    "市场监管局/执法大队/一中队",
    "市场监管局/执法大队/二中队",
]
DUTY_UNITS = ("市场监管局/办公室", "市场监管局/执法大队")
LEADERS = "市场监管局/局领导"      # on no schedule and no roster: their punches are never judged
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文红玉兰志宏海波鹏飞宇婷雪琳晨浩然子轩欣怡思远嘉"
# (kind, note): the kind as an HR office writes it in the leaves file, which every output shows as written.
WHOLE_LEAVES = [("年假", ""), ("病假", ""), ("出差", ""), ("事假", "")]
PARTIAL_LEAVES = [("事假", ""), ("外出", ""), ("调休", "")]
DAY_KINDS = ["late", "early_leave", "absent", "missing_in", "missing_out"]
DAY_WEIGHTS = [0.34, 0.24, 0.12, 0.15, 0.15]
DUTY_KINDS = ["off_post", "late", "early_leave", "missing_in", "missing_out", "absent", "suspected"]
DUTY_WEIGHTS = [0.40, 0.15, 0.15, 0.08, 0.09, 0.08, 0.05]
UNKNOWN_BADGE = "99999"


def ceil_minutes(seconds):
    return (seconds + 59) // 60


class Office:
    """Plans the office, then writes it day by day."""

    def __init__(self, args):
        self.args = args
        self.rnd = random.Random(args.seed)
        self.start = dt.date.fromisoformat(args.start)
        self.dates = [self.start + dt.timedelta(days=i) for i in range(args.days + 1)]
        self.date_str = [d.isoformat() for d in self.dates]
        self.office_readers = [str(i + 1) for i in range(args.readers)]
        self.duty_in, self.duty_out = str(args.readers + 1), str(args.readers + 2)
        self.hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
        self.anomalies, self.excused, self.suspected, self.quality = [], [], [], []
        self.load_holidays()
        self.workday = [self.is_workday(d) for d in self.dates]

    # ---- calendar -------------------------------------------------------------------------
    def holiday_years(self):
        return sorted({d.year for d in self.dates})

    def load_holidays(self):
        self.off_days, self.make_up, self.holiday_files = set(), set(), []
        src = Path(self.args.holidays_from)
        for year in self.holiday_years():
            path = src / f"{year}.json"
            if not path.exists():
                continue
            self.holiday_files.append(path)
            for day in json.loads(path.read_text(encoding="utf-8"))["days"]:
                (self.off_days if day["isOffDay"] else self.make_up).add(day["date"])

    def is_workday(self, date):
        iso = date.isoformat()
        if iso in self.make_up:
            return True
        if iso in self.off_days:
            return False
        return date.weekday() < 5

    # ---- people, leaves, roster -------------------------------------------------------------
    def plan_people(self):
        n, rnd = self.args.people, self.rnd
        units = list(BASE_UNITS)
        branches = max(0, (n - 200) // 400)
        for b in range(branches):
            for section in ("综合股", "执法股"):
                units.append(f"市场监管局/基层分局/第{b + 1:02d}分局/{section}")
        self.people = []
        for i in range(n):
            pid = str(10001 + i)
            badge = str(70001 + i) if i % 12 == 5 else pid
            name = SURNAMES[rnd.randrange(len(SURNAMES))] + "".join(
                GIVEN[rnd.randrange(len(GIVEN))] for _ in range(1 + (rnd.random() < 0.6)))
            unit = LEADERS if i % 20 == 19 else units[i % len(units)]
            reader = self.office_readers[rnd.randrange(len(self.office_readers))]
            self.people.append({"id": pid, "name": name, "unit": unit, "badge": badge,
                                "pin": f"{badge:>9}", "reader": reader})
        self.staff = [i for i, p in enumerate(self.people) if p["unit"] != LEADERS]
        self.duty_pool = [i for i, p in enumerate(self.people)
                          if any(p["unit"] == u or p["unit"].startswith(u + "/") for u in DUTY_UNITS)]

    def plan_situations(self):
        """Issue 9's situations: a reader dead for a workday, a joiner, a leaver, a transfer."""
        rnd, days = self.rnd, self.args.days
        workdays = [d for d in range(days) if self.workday[d]]
        self.dead_reader, self.dead_day = None, None
        if len(self.office_readers) > 1 and len(workdays) >= 6:
            self.dead_reader = self.office_readers[-1]
            self.dead_day = workdays[len(workdays) // 2 + 1]
            self.quality.append({"kind": "reader_silent", "date": self.date_str[self.dead_day],
                                 "reader": self.dead_reader})
        self.joined, self.left, self.moves = {}, {}, {}
        pool = set(self.duty_pool)
        movable = [p for p in self.staff if p not in pool]
        rnd.shuffle(movable)
        if len(workdays) >= 6 and len(movable) >= 3:
            joiner, leaver, mover = movable[:3]
            self.joined[joiner] = workdays[len(workdays) // 3]
            self.left[leaver] = workdays[2 * len(workdays) // 3]
            units = sorted({p["unit"] for p in self.people if p["unit"] != LEADERS})
            here = self.people[mover]["unit"]
            there = units[(units.index(here) + 1) % len(units)]
            if there != here:
                self.moves[mover] = (workdays[len(workdays) // 2 - 1], there)

    def employed(self, p, d):
        return self.joined.get(p, 0) <= d <= self.left.get(p, self.args.days + 1)

    def unit_on(self, p, d):
        move = self.moves.get(p)
        return move[1] if move and d >= move[0] else self.people[p]["unit"]

    def unverified(self, p, d):
        """The person badges only at the reader that is dead on this date: not judged."""
        return d == self.dead_day and self.people[p]["reader"] == self.dead_reader

    def plan_leaves(self):
        """Whole-day leaves (excused) and partial leaves (moving the start or the end)."""
        rnd, days = self.rnd, self.args.days
        self.whole = {}    # (person, day) -> (kind, note)
        self.partial = {}  # (person, day) -> (where, start_s, end_s, kind)
        self.leave_rows = []
        workdays = [d for d in range(days) if self.workday[d]]
        if not workdays:
            return

        def add_whole(p, d, length):
            span = range(d, min(d + length, days))
            if any((p, x) in self.whole or (p, x) in self.partial for x in span):
                return False
            kind, note = WHOLE_LEAVES[rnd.randrange(len(WHOLE_LEAVES))]
            for x in span:
                self.whole[(p, x)] = kind
            self.leave_rows.append(f"{self.people[p]['id']},{self.date_str[d]},{self.date_str[span[-1]]},{kind},{note}")
            return any(self.workday[x] for x in span)

        def add_partial(p, d, where):
            if (p, d) in self.whole or (p, d) in self.partial or not self.workday[d]:
                return False
            kind, note = PARTIAL_LEAVES[rnd.randrange(len(PARTIAL_LEAVES))]
            if where == "start":
                s, e = DAY_START, DAY_START + 3600 * rnd.choice((1, 1.5, 2))
            elif where == "end":
                s, e = DAY_END - 3600 * rnd.choice((1.5, 2, 2.5)), DAY_END
            else:
                s, e = 14 * 3600, 15 * 3600
            s, e = int(s), int(e)
            self.partial[(p, d)] = (where, s, e, kind)
            self.leave_rows.append(f"{self.people[p]['id']},{self.date_str[d]} {self.hms[s][:5]},"
                                   f"{self.date_str[d]} {self.hms[e][:5]},{kind},{note}")
            return True

        for p in self.staff:
            for d in workdays:
                r = rnd.random()
                if r < 0.004:
                    add_whole(p, d, 1 + rnd.randrange(3))
                elif r < 0.010:
                    add_partial(p, d, ("start", "end", "middle")[rnd.randrange(3)])
        need = self.args.min_each
        whole_days = sum(1 for (p, d) in self.whole if self.workday[d])
        tries = 0
        while whole_days < need and tries < 1000:
            tries += 1
            if add_whole(rnd.choice(self.staff), rnd.choice(workdays), 1 + rnd.randrange(2)):
                whole_days = sum(1 for (p, d) in self.whole if self.workday[d])
        for where in ("start", "end"):
            have = sum(1 for v in self.partial.values() if v[0] == where)
            tries = 0
            while have < need and tries < 1000:
                tries += 1
                have += add_partial(rnd.choice(self.staff), rnd.choice(workdays), where)

    def plan_roster(self):
        rnd = self.rnd
        self.duty = [None] * self.args.days
        if not self.duty_pool:
            return
        previous = None
        for d in range(self.args.days):
            for _ in range(50):
                p = self.duty_pool[rnd.randrange(len(self.duty_pool))]
                if p != previous and (p, d) not in self.whole and (p, d + 1) not in self.whole:
                    break
            self.duty[d] = p
            previous = p

    def plan_forced(self):
        """At least --min-each anomalies of every kind, so a small office shows them all."""
        rnd, need = self.rnd, self.args.min_each
        self.forced_day, self.forced_duty = {}, {}
        free = [(p, d) for d in range(self.args.days) if self.workday[d]
                for p in self.staff if (p, d) not in self.whole and (p, d) not in self.partial
                and self.employed(p, d) and not self.unverified(p, d)]
        rnd.shuffle(free)
        for kind in DAY_KINDS:
            for _ in range(need):
                if free:
                    self.forced_day[free.pop()] = kind
        nights = [d for d in range(self.args.days) if self.duty[d] is not None]
        rnd.shuffle(nights)
        for kind in ["off_post"] * need + ["suspected"] * need + ["late"]:
            if nights:
                self.forced_duty[nights.pop()] = kind

    # ---- punches ------------------------------------------------------------------------------
    def uniform(self, low, high):
        """An integer in low...high, inclusive."""
        return low + int(self.rnd.random() * (high - low + 1))

    def punch(self, t, reader, pin, state):
        if reader == self.dead_reader and t // 86400 == self.dead_day:
            return      # the dead reader records nothing that day
        self.buckets[t // 86400][self.file_of[reader]].append((t, pin, state, reader))

    def truth(self, p, d, shift, kind, minutes, reason=None, suspected=False):
        item = {"person": self.people[p]["id"], "date": self.date_str[d], "shift": shift,
                "kind": kind, "minutes": minutes, "unit": self.unit_on(p, d)}
        if suspected:
            self.suspected.append(item)
        elif reason is None:
            self.anomalies.append(item)
        else:
            item["excused"] = True
            item["reason"] = reason
            self.excused.append(item)

    def day_instance(self, p, d):
        rnd, person = self.rnd, self.people[p]
        if (p, d) in self.whole:
            self.truth(p, d, DAY_SHIFT, "absent", DAY_MINUTES, reason=self.whole[(p, d)])
            return
        base, pin = d * 86400, person["pin"]
        reader = person["reader"]
        if len(self.office_readers) > 1 and rnd.random() < 0.1:
            # Now and then another office reader, never the one that dies (its users use it alone),
            # so that who relies on it is plain.
            others = [r for r in self.office_readers if r != self.dead_reader]
            if reader != self.dead_reader:
                reader = others[rnd.randrange(len(others))]
        start, end, limit = DAY_START, DAY_END, 90 * 60
        partial = self.partial.get((p, d))
        kind = self.forced_day.get((p, d))
        if partial:
            where, s, e, _ = partial
            if where == "start":
                start = e
            elif where == "end":
                end = s
            limit = 50 * 60
            if where != "middle" and rnd.random() < 0.3:
                kind = "late" if where == "start" else "early_leave"
        elif kind is None and rnd.random() < self.args.anomaly_rate:
            kind = rnd.choices(DAY_KINDS, DAY_WEIGHTS)[0]
        if kind == "absent":
            self.truth(p, d, DAY_SHIFT, "absent", DAY_MINUTES)
            return
        arrival = start + self.uniform(-1800, 240)
        departure = end + self.uniform(60, 3000)
        if kind == "late":
            late = self.uniform(600, limit)
            arrival = start + late
            self.truth(p, d, DAY_SHIFT, "late", ceil_minutes(late))
            if not partial and rnd.random() < 0.15:             # late in and early out the same day
                early = self.uniform(600, limit)
                departure = end - early
                self.truth(p, d, DAY_SHIFT, "early_leave", ceil_minutes(early))
        elif kind == "early_leave":
            early = self.uniform(600, limit)
            departure = end - early
            self.truth(p, d, DAY_SHIFT, "early_leave", ceil_minutes(early))
        elif kind in ("missing_in", "missing_out"):
            self.truth(p, d, DAY_SHIFT, kind, 0)
        if kind != "missing_in":
            self.punch(base + arrival, reader, pin, 0)
            if kind != "late" and rnd.random() < 0.03:           # a double swipe: one punch
                self.punch(base + arrival + self.uniform(3, 40), reader, pin, 0)
        if kind != "missing_out":
            self.punch(base + departure, reader, pin, 1)
            if kind != "early_leave" and rnd.random() < 0.03:
                self.punch(base + departure + self.uniform(3, 40), reader, pin, 1)
        if kind not in ("missing_in", "missing_out") and rnd.random() < self.args.lunch_rate:   # lunch out and back
            self.punch(base + 12 * 3600 + self.uniform(0, 1200), reader, pin, 2)
            self.punch(base + 13 * 3600 + self.uniform(0, 1500), reader, pin, 3)

    def duty_instance(self, p, d):
        rnd, pin, base = self.rnd, self.people[p]["pin"], d * 86400
        kind = self.forced_duty.get(d)
        if kind is None and rnd.random() < min(1.0, self.args.anomaly_rate * 3):
            kind = rnd.choices(DUTY_KINDS, DUTY_WEIGHTS)[0]
        if kind in ("missing_in", "absent") and not self.workday[d]:
            kind = "missing_out"      # keep a punch on a day off, so the date is never reader-silent
        if kind == "absent":
            self.truth(p, d, DUTY_SHIFT, "absent", DUTY_MINUTES)
            return
        arrival = DUTY_START + self.uniform(-1200, 240)
        departure = DUTY_END + self.uniform(-240, 600)
        if kind == "late":
            late = self.uniform(600, 90 * 60)
            arrival = DUTY_START + late
            self.truth(p, d, DUTY_SHIFT, "late", ceil_minutes(late))
        elif kind == "early_leave":
            early = self.uniform(600, 90 * 60)
            departure = DUTY_END - early
            self.truth(p, d, DUTY_SHIFT, "early_leave", ceil_minutes(early))
        elif kind in ("missing_in", "missing_out"):
            self.truth(p, d, DUTY_SHIFT, kind, 0)
        elif kind == "suspected":
            # Out of the duty room, next seen leaving it in the morning: the return is not shown.
            left = self.uniform(22 * 3600, 30 * 3600)
            self.punch(base + left, self.duty_out, pin, 1)
            departure = DUTY_END + self.uniform(60, 600)
            self.truth(p, d, DUTY_SHIFT, "off_post", ceil_minutes(DUTY_END - left), suspected=True)
        elif kind == "off_post":
            left = self.uniform(21 * 3600 + 1800, 29 * 3600)
            away = self.uniform(20 * 60, 90 * 60)
            if rnd.random() < 0.3:      # seen at an office reader, not at the duty room's exit
                self.punch(base + left, self.office_readers[0], pin, 255)
            else:
                self.punch(base + left, self.duty_out, pin, 1)
            self.punch(base + left + away, self.duty_in, pin, 0)
            self.truth(p, d, DUTY_SHIFT, "off_post", ceil_minutes(away))
        if kind in (None, "early_leave") and rnd.random() < 0.4:    # a short step out, inside the limit
            left = self.uniform(21 * 3600, 29 * 3600)
            self.punch(base + left, self.duty_out, pin, 1)
            self.punch(base + left + self.uniform(120, 720), self.duty_in, pin, 0)
        if kind != "missing_in":
            self.punch(base + arrival, self.duty_in, pin, 0)
        if kind != "missing_out":
            self.punch(base + departure, self.duty_out, pin, 1)

    def leader_visits(self, d):
        """The bureau's leaders come and go as meetings take them; no shift judges them."""
        rnd, base = self.rnd, d * 86400
        for p in range(len(self.people)):
            person = self.people[p]
            if person["unit"] == LEADERS and rnd.random() < 0.8:
                for _ in range(1 + rnd.randrange(3)):
                    self.punch(base + self.uniform(7 * 3600, 21 * 3600), person["reader"], person["pin"], 255)

    def day_off_visits(self, d):
        rnd, base = self.rnd, d * 86400
        for person in self.people:
            if rnd.random() < 0.01:
                self.punch(base + self.uniform(37800, 41400), person["reader"], person["pin"], 0)
                self.punch(base + self.uniform(50400, 57600), person["reader"], person["pin"], 1)

    # ---- files --------------------------------------------------------------------------------
    def open_badges(self):
        folder = self.out / "badges"
        folder.mkdir(parents=True, exist_ok=True)
        for stale in list(folder.glob("*_attlog.dat")) + list((self.out / "holidays").glob("*.json")):
            stale.unlink()      # files of an earlier run (more readers, other years) would be read too
        for stale in folder.glob("attlog.dat"):
            stale.unlink()
        self.readers = self.office_readers + [self.duty_in, self.duty_out]
        crlf_reader = "2" if len(self.office_readers) > 1 else self.duty_out
        # A file is named by its key: the reader's N_attlog.dat, or one attlog.dat for all of them.
        if self.args.one_file:
            self.file_of = {r: "attlog.dat" for r in self.readers}
        else:
            self.file_of = {r: f"{r}_attlog.dat" for r in self.readers}
        self.files, self.eol, self.lines_written = {}, {}, {}
        for r in self.readers:
            key = self.file_of[r]
            if key not in self.files:
                self.files[key] = open(folder / key, "wb", buffering=4 << 20)
                self.eol[key] = "\r\n" if r == crlf_reader and not self.args.one_file else "\n"
                self.lines_written[key] = 0
        self.punches = 0
        self.buckets = [{key: [] for key in self.files} for _ in self.dates]
        workdays = [d for d in range(self.args.days) if self.workday[d]] or [0]
        self.corrupt_day = workdays[len(workdays) // 2]
        self.unknown_days = set(workdays[:2])

    def flush(self, d):
        date_str, hms = self.date_str, self.hms
        for key, punches in self.buckets[d].items():
            punches.sort()
            eol = self.eol[key]
            lines = [f"{pin}\t{date_str[t // 86400]} {hms[t % 86400]}\t{r}\t{state}\t1\t0{eol}"
                     for t, pin, state, r in punches]
            self.punches += len(lines)
            if key == self.file_of[self.office_readers[0]] and d == self.corrupt_day:
                self.corrupt(key, lines)
            self.files[key].write("".join(lines).encode("ascii"))
            self.lines_written[key] += len(lines)
        self.buckets[d] = None

    def corrupt(self, key, lines):
        """Rows as found in real ZKTeco exports: fill bytes, control bytes, an impossible date."""
        eol, pin, r = self.eol[key], self.people[0]["pin"], self.office_readers[0]
        bad = [f"ZZZZZZZZZZ\t2047-02-30 19:13:30\t1\t90\t90\t1515870810{eol}",
               f"{pin}\t2047-02-30 08:12:44\t{r}\t0\t1\t0{eol}",
               f"\x10?0'?0\x02\x0c\t2047-02-30 19:12:48\t1\t90\t23\t32{eol}"]
        for i, row in enumerate(bad):
            at = min(len(lines), (i + 1) * len(lines) // 4 + i)
            lines.insert(at, row)
            self.quality.append({"kind": "bad_line", "file": f"badges/{key}",
                                 "line": self.lines_written[key] + at + 1})
        self.punches -= len(bad)

    def write_days(self):
        self.open_badges()
        unknown = f"{UNKNOWN_BADGE:>9}"
        for d in range(self.args.days):
            if self.workday[d]:
                for p in self.staff:
                    if self.employed(p, d) and not self.unverified(p, d):
                        self.day_instance(p, d)
                self.leader_visits(d)
            else:
                self.day_off_visits(d)
            if d in self.unknown_days:
                self.punch(d * 86400 + 8 * 3600 + 3000 + d, self.office_readers[0], unknown, 0)
                self.punch(d * 86400 + 17 * 3600 + 2700 + d, self.office_readers[0], unknown, 1)
            if self.duty[d] is not None:
                self.duty_instance(self.duty[d], d)
            self.flush(d)
        self.flush(self.args.days)
        self.files[self.file_of[self.office_readers[0]]].write(b"\x00" * 2048)    # NUL padding, as devices leave it
        for f in self.files.values():
            f.close()
        self.quality.append({"kind": "unknown_badge", "badge": UNKNOWN_BADGE})

    def write_inputs(self):
        out = self.out
        def day(p, dates):
            return self.date_str[dates[p]] if p in dates else ""
        rows = ["id,name,unit,badge,joined,left"] + [
            f"{p['id']},{p['name']},{p['unit']},{p['badge']},{day(i, self.joined)},{day(i, self.left)}"
            for i, p in enumerate(self.people)]
        (out / "people.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        rows = ["person,date,unit"] + [f"{self.people[p]['id']},{self.date_str[d]},{u}"
                                       for p, (d, u) in sorted(self.moves.items())]
        (out / "transfers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        rows = ["date,person,shift"] + [f"{self.date_str[d]},{self.people[p]['id']},{DUTY_SHIFT}"
                                        for d, p in enumerate(self.duty) if p is not None]
        (out / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        rows = ["person,start,end,kind,note"] + self.leave_rows
        (out / "leaves.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        (out / "holidays").mkdir(exist_ok=True)
        for path in self.holiday_files:
            shutil.copyfile(path, out / "holidays" / path.name)
        (out / "agent.toml").write_text(self.config(), encoding="utf-8")

    def config(self):
        readers = "".join(f'\n[[reader]]\nid = "{r}"\ndirection = "unknown"\n' for r in self.office_readers)
        top = sorted({p["unit"].split("/")[1] for p in self.people if p["unit"] != LEADERS})
        office = [f"市场监管局/{u}" for u in top if u != "执法大队"]
        enforcement = [f"市场监管局/{u}" for u in top if u == "执法大队"]
        schedules = "".join(
            f'\n[[schedule]]\nunits = [{", ".join(json.dumps(u, ensure_ascii=False) for u in group)}]\n'
            f'shift = "day"\ndays = "workdays"\n' for group in (office, enforcement) if group)
        return f'''# A synthetic office written by scripts/generate-office.py (seed {self.args.seed}).
[site]
id = "{self.args.site_id}"
timezone = "Asia/Shanghai"

[inputs]
people = "people.csv"
badges = ["badges/*.dat"]
roster = "roster.csv"
leaves = "leaves.csv"
transfers = "transfers.csv"
holidays = ["holidays/*.json"]
workweek = ["mon", "tue", "wed", "thu", "fri"]

[rules]
grace_late = 5
grace_early = 5
check_in_early = 60
check_out_late = 120
debounce_seconds = 60
away_limit = 30
serious_minutes = 30
absent_minutes = 60

[[shift]]
code = "{DAY_SHIFT}"
name = "日间班"
start = "09:00"
end = "17:30"
breaks = ["12:00-13:30"]

[[shift]]
code = "{DUTY_SHIFT}"
name = "夜间值班"
kind = "duty"
start = "20:00"
end = "08:00"
posts = ["duty-room"]
away_limit = 15
{readers}
[[reader]]
id = "{self.duty_in}"
post = "duty-room"
direction = "in"

[[reader]]
id = "{self.duty_out}"
post = "duty-room"
direction = "out"
{schedules}
[collector]                    # for `duty-agent run` / `push`; `check` does not need it
url = "http://127.0.0.1:8080"
token_file = "agent.token"     # written by `duty-collector agents add ... > agent.token`
spool = "spool"
'''

    def write_truth(self):
        order = lambda a: (a["date"], a["person"], a["shift"], a["kind"])
        truth = {
            "from": self.date_str[0],
            "to": self.date_str[self.args.days - 1],
            "generator": {"people": self.args.people, "days": self.args.days, "start": self.args.start,
                          "seed": self.args.seed, "anomaly_rate": self.args.anomaly_rate,
                          "readers": self.args.readers, "one_file": self.args.one_file,
                          "lunch_rate": self.args.lunch_rate},
            "counts": {"punches": self.punches, "lines": sum(self.lines_written.values()),
                       "anomalies": len(self.anomalies), "excused": len(self.excused),
                       "suspected": len(self.suspected)},
            "anomalies": sorted(self.anomalies, key=order),
            "excused": sorted(self.excused, key=order),
            "suspected": sorted(self.suspected, key=order),
            "quality": self.quality,
        }
        (self.out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")

    def generate(self):
        self.out = Path(self.args.out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.plan_people()
        self.plan_leaves()
        self.plan_roster()
        self.plan_situations()
        self.plan_forced()
        self.write_days()
        self.write_inputs()
        self.write_truth()


def main():
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--days", type=int, required=True)
    parser.add_argument("--start", required=True, help="first business date, YYYY-MM-DD")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--anomaly-rate", type=float, default=0.03, help="per person-shift (x3 per duty night)")
    parser.add_argument("--readers", type=int, default=2, help="office readers, besides the duty room's two")
    parser.add_argument("--min-each", type=int, default=2, help="at least this many of every kind")
    parser.add_argument("--site-id", default="synthetic-office")
    parser.add_argument("--lunch-rate", type=float, default=0.15,
                        help="share of day shifts with a lunch out and back (two more punches)")
    parser.add_argument("--one-file", action="store_true",
                        help="every reader's punches in one badges/attlog.dat (the device column names the reader)")
    parser.add_argument("--holidays-from", default=str(here.parent / "Tests/SharedFixtures/data/real/holiday-cn"),
                        help="holiday-cn folder (default: the repository's copy, Tests/SharedFixtures/data/real/holiday-cn)")
    args = parser.parse_args()
    if args.people < 1 or args.days < 1 or args.readers < 1:
        parser.error("--people, --days and --readers must be at least 1")
    if not Path(args.holidays_from).is_dir():
        parser.error(f"no holiday-cn folder at {args.holidays_from}; pass --holidays-from")
    Office(args).generate()


if __name__ == "__main__":
    sys.exit(main())
