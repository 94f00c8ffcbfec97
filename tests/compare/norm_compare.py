#!/usr/bin/env python3
"""Compares two gene x sample (or sample x value) tables numerically, cell by cell, matched by ids.

Usage: norm_compare.py OURS THEIRS TOLERANCE [FLOOR] [COLUMN]
The relative difference is |a - b| / max(|b|, FLOOR) (FLOOR defaults to 1e-300; use 1 for log-scale values,
whose zero crossings make pure relative differences meaningless). With COLUMN, only that column of each
table is compared (for factor tables keyed by sample). Prints the max relative and absolute differences;
exits 1 above TOLERANCE or when ids differ.
"""
import itertools
import math
import sys


def rows(path, column):
    """Yields (row id, {column: value}) in file order."""
    with open(path) as handle:
        header = handle.readline().rstrip("\n").split("\t")
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if column:
                yield fields[0], {column: float(fields[header.index(column)])}
            else:
                yield fields[0], dict(zip(header[1:], map(float, fields[1:])))


def paired_rows(ours_path, theirs_path, column):
    """Yields (row id, our cells, their cells); streams while both files list the same rows in the same order
    (large benchmark matrices), else matches all rows by id in memory. Raises KeyError for unshared rows."""
    for ours, theirs in itertools.zip_longest(rows(ours_path, column), rows(theirs_path, column)):
        if ours is None or theirs is None or ours[0] != theirs[0]:
            break
        yield ours[0], ours[1], theirs[1]
    else:
        return
    ours, theirs = dict(rows(ours_path, column)), dict(rows(theirs_path, column))
    if set(ours) != set(theirs):
        raise KeyError(f"row ids differ: {len(set(ours) ^ set(theirs))} not shared")
    for row, cells in theirs.items():
        yield row, ours[row], cells


def main():
    ours_path, theirs_path, tolerance = sys.argv[1], sys.argv[2], float(sys.argv[3])
    floor = float(sys.argv[4]) if len(sys.argv) > 4 else 1e-300
    column = sys.argv[5] if len(sys.argv) > 5 else None
    worst_rel = worst_abs = 0.0
    where = ""
    try:
        for row, ours, cells in paired_rows(ours_path, theirs_path, column):
            if set(ours) != set(cells):
                print(f"column ids differ in row {row}")
                return 1
            for col, b in cells.items():
                a = ours[col]
                if not math.isfinite(a):
                    print(f"non-finite value {a} at {row}/{col}")
                    return 1
                rel = abs(a - b) / max(abs(b), floor)
                worst_abs = max(worst_abs, abs(a - b))
                if rel > worst_rel:
                    worst_rel, where = rel, f"{row}/{col} ({a!r} vs {b!r})"
    except KeyError as error:
        print(error.args[0])
        return 1
    status = "ok" if worst_rel <= tolerance else "FAIL"
    print(f"{status} {ours_path.split('/')[-1]}: max rel diff {worst_rel:.3g} (tol {tolerance:g}), max abs {worst_abs:.3g} {where}")
    return 0 if worst_rel <= tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
