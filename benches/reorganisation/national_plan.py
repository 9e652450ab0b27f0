#!/usr/bin/env python3
"""Writes the plan of the 2025 reorganisation of every province in a ketnap database, for
`ketnap reorganise --plan`: every district abolished (its communes placed directly under the
province, then the district dissolved), the communes of each former district merged three into
one (into the first of each three, by code), and the provinces merged two into one (P02 into P01,
P04 into P03, ...; with an odd count the last province stays alone).

    python3 benches/reorganisation/national_plan.py DATABASE_URL PLAN.csv [EFFECTIVE_ON]

DATABASE_URL is `sqlite:///path.db[?...]` (read with Python's sqlite3) or a `postgres://` URL
(read with psql). Prints the plan's line counts on stderr.
"""

import csv
import sqlite3
import subprocess
import sys
from collections import defaultdict

QUERY = (
    "SELECT u.code, u.level, p.code FROM units u LEFT JOIN units p ON p.id = u.parent_id "
    "WHERE u.dissolved_on IS NULL AND u.level IN ('PROVINCE', 'DISTRICT', 'COMMUNE') ORDER BY u.code"
)


def units(url):
    if url.startswith("sqlite:"):
        path = url.split("://", 1)[1].split("?", 1)[0]
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return db.execute(QUERY).fetchall()
    out = subprocess.run(["psql", url, "-At", "-F", "\t", "-c", QUERY], check=True, capture_output=True, text=True)
    return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line]


def main():
    url, path = sys.argv[1], sys.argv[2]
    on = sys.argv[3] if len(sys.argv) > 3 else "2025-07-01"
    provinces, districts, communes = [], defaultdict(list), defaultdict(list)
    for code, level, parent in units(url):
        {"PROVINCE": lambda: provinces.append(code),
         "DISTRICT": lambda: districts[parent].append(code),
         "COMMUNE": lambda: communes[parent].append(code)}[level]()
    counts = defaultdict(int)
    with open(path, "w", newline="", encoding="utf-8") as file:
        plan = csv.writer(file, lineterminator="\n")
        plan.writerow(["operation", "unit_code", "target_code", "effective_on"])

        def step(operation, unit, target=""):
            plan.writerow([operation, unit, target, on])
            counts[operation] += 1

        for province in provinces:
            for district in districts[province]:
                for commune in communes[district]:
                    step("MOVE", commune, province)
                step("DISSOLVE", district)
                group = communes[district]
                for start in range(0, len(group), 3):
                    for merged in group[start + 1:start + 3]:
                        step("MERGE", merged, group[start])
        for a, b in zip(provinces[0::2], provinces[1::2]):
            step("MERGE", b, a)
    print(f"{path}: {dict(counts)} ({len(provinces)} provinces, "
          f"{sum(map(len, districts.values()))} districts, {sum(map(len, communes.values()))} communes)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
