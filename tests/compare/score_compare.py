"""Compares ifnsig score tables with the R reference (score_gsva.sh): max |difference| per method.
Usage: score_compare.py R_SCORES.tsv TOLERANCE IFNSIG_SCORES.tsv:R_METHOD[:sign][:tol=X] ..."""
import csv
import sys


def read(path, method_column=True):
    table = {}
    with open(path) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            table[(row["panel"], row["method"] if method_column else "", row["sample"])] = float(row["score"])
    return table


reference = read(sys.argv[1])
tolerance = float(sys.argv[2])
failed = False
for spec in sys.argv[3:]:
    path, method, *flags = spec.split(":")
    ours = {(p, s): v for (p, _, s), v in read(path).items()}
    expected = {(p, s): v for (p, m, s), v in reference.items() if m == method}
    if not expected or set(expected) != set(ours):
        print(f"{method}: sets or samples differ ({len(expected)} reference, {len(ours)} ifnsig)")
        failed = True
        continue
    worst = 0.0
    for panel in {p for p, _ in expected}:
        keys = [k for k in expected if k[0] == panel]
        error = max(abs(ours[k] - expected[k]) for k in keys)
        if "sign" in flags:
            error = min(error, max(abs(ours[k] + expected[k]) for k in keys))
        worst = max(worst, error)
    limit = next((float(f[4:]) for f in flags if f.startswith("tol=")), tolerance)
    print(f"{method}: max |ifnsig - R| = {worst:.3g} over {len(expected)} scores (tolerance {limit:g})")
    failed |= worst > limit
sys.exit(1 if failed else 0)
