#!/usr/bin/env python3
"""Compares an `ifnsig run` output directory with the golden copy kept in tests/fixtures/golden, or (--update)
rewrites that copy. Tables and reference.json must be byte-identical. The JSON records and the report also
hold what legitimately differs from run to run (the command line, thread count, timings and the counting
profile, versions, start time, the output directory, the input files' mtime, ctime and inode): those keys and rows are dropped and the rest compared exactly."""
import json
import pathlib
import re
import shutil
import sys

VOLATILE_KEYS = {"command", "threads", "seconds", "wall_seconds", "cpu_seconds", "records_per_second",
                 "timings_seconds", "version", "htslib_version", "tbb_version", "profile",
                 "mtime_ns", "ctime_ns", "inode",  # the inputs' file status: another checkout, other values
                 "report_data_md5"}  # report_data.json holds the report's provenance rows below
VOLATILE_PROVENANCE = ("command", "started", "ifnsig", "threads", "output")
VOLATILE_ROWS = re.compile(r"<tr><th>(%s)</th>.*?</tr>" % "|".join(VOLATILE_PROVENANCE))


def stable_json(value, outdir):
    if isinstance(value, dict):
        return {k: stable_json(v, outdir) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):  # report_data.json's provenance is a list of [row, value] pairs
        return [stable_json(v, outdir) for v in value
                if not (isinstance(v, list) and len(v) == 2 and v[0] in VOLATILE_PROVENANCE)]
    if isinstance(value, str):
        return value.replace(outdir, "OUTDIR")
    return value


def stable_text(path, outdir):
    if path.suffix == ".json" and path.name != "reference.json":
        value = stable_json(json.loads(path.read_text()), outdir)
        return json.dumps(value, indent=1, sort_keys=True) + "\n"
    text = path.read_text()
    if path.suffix == ".html":
        text = VOLATILE_ROWS.sub("", text.replace(outdir, "OUTDIR"))
    return text


def main():
    update = sys.argv[1] == "--update"
    outdir, golden = map(pathlib.Path, sys.argv[2:4] if update else sys.argv[1:3])
    files = sorted(p.relative_to(outdir) for p in outdir.rglob("*") if p.is_file())
    if update:
        shutil.rmtree(golden, ignore_errors=True)
        for name in files:
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_text(stable_text(outdir / name, str(outdir)))
        print(f"wrote {len(files)} golden files to {golden}")
        return 0
    expected = sorted(p.relative_to(golden) for p in golden.rglob("*") if p.is_file())
    problems = [f"missing output {n}" for n in expected if n not in files]
    problems += [f"unexpected output {n}" for n in files if n not in expected]
    for name in set(files) & set(expected):
        if stable_text(outdir / name, str(outdir)) != (golden / name).read_text():
            problems.append(f"{name} differs from {golden / name}")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
