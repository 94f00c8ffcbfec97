#!/usr/bin/env python3
"""Compares two gene x sample (or sample x value) tables numerically, cell by cell, matched by ids.

Usage: norm_compare.py OURS THEIRS TOLERANCE [FLOOR] [COLUMN]
The relative difference is |a - b| / max(|b|, FLOOR) (FLOOR defaults to 1e-300; use 1 for log-scale values,
whose zero crossings make pure relative differences meaningless). With COLUMN, only that column of each
table is compared (for factor tables keyed by sample). Prints the max relative and absolute differences;
exits 1 above TOLERANCE or when ids differ.
"""
import math
import sys


def read(path, column):
    with open(path) as handle:
        header = handle.readline().rstrip("\n").split("\t")
        rows = {}
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if column:
                rows[fields[0]] = {column: float(fields[header.index(column)])}
            else:
                rows[fields[0]] = dict(zip(header[1:], map(float, fields[1:])))
    return rows


def main():
    ours_path, theirs_path, tolerance = sys.argv[1], sys.argv[2], float(sys.argv[3])
    floor = float(sys.argv[4]) if len(sys.argv) > 4 else 1e-300
    column = sys.argv[5] if len(sys.argv) > 5 else None
    ours, theirs = read(ours_path, column), read(theirs_path, column)
    if set(ours) != set(theirs):
        print(f"row ids differ: {len(set(ours) ^ set(theirs))} not shared")
        return 1
    worst_rel = worst_abs = 0.0
    where = ""
    for row, cells in theirs.items():
        if set(ours[row]) != set(cells):
            print(f"column ids differ in row {row}")
            return 1
        for col, b in cells.items():
            a = ours[row][col]
            if not math.isfinite(a):
                print(f"non-finite value {a} at {row}/{col}")
                return 1
            rel = abs(a - b) / max(abs(b), floor)
            worst_abs = max(worst_abs, abs(a - b))
            if rel > worst_rel:
                worst_rel, where = rel, f"{row}/{col} ({a!r} vs {b!r})"
    status = "ok" if worst_rel <= tolerance else "FAIL"
    print(f"{status} {ours_path.split('/')[-1]}: max rel diff {worst_rel:.3g} (tol {tolerance:g}), max abs {worst_abs:.3g} {where}")
    return 0 if worst_rel <= tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
