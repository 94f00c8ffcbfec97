#!/usr/bin/env python3
"""Writes benchmarks/RESULTS.md (stdout) and benchmarks/plots/*.svg from the measurements of benchmarks/run.
Standard library only; called by benchmarks/run with its settings in the environment."""
import csv
import datetime
import os

WORK = os.environ["WORK"]
HERE = os.environ["HERE"]
PLOTS = os.path.join(HERE, "plots")
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]


def load_times():
    times = {}
    with open(os.path.join(WORK, "times.tsv")) as f:
        for name, wall, cpu, rss in csv.reader(f, delimiter="\t"):
            times[name] = (float(wall), float(cpu), int(rss))
    return times


def round_ratios(other):
    """ifnsig's wall time over OTHER's, round by round, at 2 threads on the coordinate-sorted BAM: the tools
    run one after another in a round, so each ratio is spared most of the machine's drift."""
    walls = {"ifnsig": [], other: []}
    with open(os.path.join(WORK, "runs.tsv")) as f:
        for name, wall, _cpu, _rss in csv.reader(f, delimiter="\t"):
            tool, _, rest = name.partition("/")
            if rest == "coordinate/2" and tool in walls:
                walls[tool].append(float(wall))
    ratios = [a / b for a, b in zip(walls["ifnsig"], walls[other])]
    ordered, n = sorted(ratios), len(ratios)
    median = (ordered[n // 2] + ordered[(n - 1) // 2]) / 2
    return f"{'/'.join(f'{r:.2f}' for r in ratios)}; median {median:.2f}"


def agreement(name):
    """'yes' or 'no (largest relative difference X)' from an agree_*.txt file of benchmarks/run."""
    path = os.path.join(WORK, name)
    if not os.path.exists(path):
        return "not measured"
    same, worst = open(path).read().split()
    return "yes" if same == "yes" else f"no (largest relative difference {worst})"


def svg_line(name, title, xlabel, ylabel, series, log_x=False):
    """A small line chart: series is {label: [(x, y), ...]}."""
    import math
    right = 40 + 7 * max((len(label) for label in series), default=10)  # room for the legend
    width, height, left, top, bottom = 410 + right, 340, 70, 40, 50
    xs = [x for points in series.values() for x, _ in points]
    ys = [y for points in series.values() for _, y in points]
    if not xs:
        return None
    fx = (lambda v: math.log10(v)) if log_x else (lambda v: v)
    x0, x1 = min(map(fx, xs)), max(map(fx, xs))
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    y1 = max(ys) * 1.1 or 1
    px = lambda v: left + (fx(v) - x0) / (x1 - x0) * (width - left - right)
    py = lambda v: height - bottom - v / y1 * (height - top - bottom)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2 - 60}" y="22" font-size="14">{title}</text>',
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="black"/>',
           f'<text x="{(left + width - right) / 2 - 30}" y="{height - 12}">{xlabel}</text>',
           f'<text x="16" y="{(top + height - bottom) / 2}" transform="rotate(-90 16 {(top + height - bottom) / 2})">{ylabel}</text>']
    for i in range(5):
        v = y1 * i / 4
        out.append(f'<line x1="{left - 4}" y1="{py(v):.1f}" x2="{width - right}" y2="{py(v):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8}" y="{py(v) + 4:.1f}" text-anchor="end">{v:.3g}</text>')
    for x in sorted(set(xs)):
        out.append(f'<text x="{px(x):.1f}" y="{height - bottom + 16}" text-anchor="middle">{x:g}</text>')
    for k, (label, points) in enumerate(series.items()):
        colour = COLOURS[k % len(COLOURS)]
        points = sorted(points)
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>' for x, y in points]
        out.append(f'<rect x="{width - right + 12}" y="{top + 18 * k}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{width - right + 30}" y="{top + 18 * k + 10}">{label}</text>')
    out.append("</svg>")
    os.makedirs(PLOTS, exist_ok=True)
    with open(os.path.join(PLOTS, name), "w") as f:
        f.write("\n".join(out) + "\n")
    return f"plots/{name}"


def cohort_section():
    """Time and memory of normalize and score as the cohort grows, from the rows benchmarks/norm/run.sh and
    benchmarks/score/run.sh append to cohort.tsv (part, task, genes, samples, ifnsig wall/CPU/MiB, R wall/MiB)."""
    p = print
    p("### With cohort size (normalize, score)\n")
    path = os.path.join(WORK, "cohort.tsv")
    rows = list(csv.reader(open(path), delimiter="\t")) if os.path.exists(path) else []
    if not rows:
        p("No measurements (see cohort_*.err in benchmarks/cache/work).\n")
        return
    p("Generated matrices (genes as given); ifnsig -T 2 beside R (one run each; R's time includes loading its "
      "packages, which dominates small cohorts). CPU s is given where it was recorded; on a shared machine it, "
      "not the wall time, is the figure to compare. R's column says what happened where R could not finish.\n")
    p("| command | task | genes | samples | ifnsig wall s | ifnsig CPU s | ifnsig peak MiB | R wall s | R peak MiB | R / ifnsig (wall) |")
    p("|---|---|---|---|---|---|---|---|---|---|")
    time_series, mem_series = {}, {}
    for part, task, genes, samples, wall, cpu, mib, r_wall, r_mib in sorted(rows, key=lambda r: (r[0], r[1], int(r[3]))):
        command = "normalize" if part == "norm" else "score"
        if r_wall in ("", "-") or not r_wall.lstrip(">").replace(".", "", 1).isdigit():
            ratio = "-"
        elif r_wall.startswith(">"):
            ratio = f"> {float(r_wall[1:]) / max(float(wall), 1e-3):.1f}x"
        else:
            ratio = f"{float(r_wall) / max(float(wall), 1e-3):.1f}x"
        p(f"| {command} | {task} | {int(genes):,} | {int(samples):,} | {float(wall):.2f} | {cpu or '-'} | {mib} | "
          f"{r_wall or '-'} | {r_mib or '-'} | {ratio} |")
        time_series.setdefault(f"{command} {task}", []).append((int(samples), float(cpu or wall)))
        mem_series.setdefault(f"{command} {task}", []).append((int(samples), float(mib)))
    for plot in (svg_line("cohort_time.svg", "ifnsig time vs cohort size (CPU s where recorded, else wall s)", "samples (log scale)", "seconds", time_series, log_x=True),
                 svg_line("cohort_memory.svg", "ifnsig peak memory vs cohort size", "samples (log scale)", "MiB", mem_series, log_x=True)):
        if plot:
            p(f"\n![]({plot})")
    p("")


def main():
    t = load_times()
    env = os.environ
    pairs = int(env["MAIN_PAIRS"])
    quick = env["QUICK"] == "1"
    sizes = [int(s) for s in env["SIZES_LIST"].split()]
    p = print
    p("# ifnsig benchmarks\n")
    p(f"Generated by `benchmarks/run{' --quick' if quick else ''}` on "
      f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC in {int(env['ELAPSED']) // 60} min; "
      "never edited by hand. Times are medians of "
      f"{env['REPS']} repetitions (in the main comparison the three tools take turns, round by round), measured "
      "with `/usr/bin/time` (wall, user+system CPU, peak resident memory). "
      "Runs at the issues' sizes and dated reruns after changes are kept by hand in "
      "[RESULTS-runs.md](RESULTS-runs.md).\n")
    p("## Machine and versions\n")
    p(f"- {env['NPROC']} cores: {env['CPU']}; memory {env['MEM']}")
    p(f"- {env['V_IFNSIG']} (Release build in build-bench)")
    p(f"- featureCounts {env['V_FC']} (Debian subread); {env['V_SAMTOOLS']}; htseq-count {env['V_HTSEQ']}; {env['V_R']}\n")
    p("## Inputs\n")
    p(f"`ifnsig simulate --seed 2026 --pairs N` on the hg38 RefSeq exon annotation (SAF, NCBI RefSeq via the Debian "
      f"package subread-data): paired-end 2x100, reverse-stranded, spliced reads, 5% multi-mappers (NH/HI, secondary), "
      f"duplicates, unmapped mates, supplementary records, clips and indels. Main input: {pairs / 1e6:g}M pairs, "
      f"{int(env['MAIN_RECORDS']):,} records; name-sorted copy by `samtools sort -n`. Counting options for every tool: "
      "`-p --countReadPairs -s 2` (htseq-count: `-s reverse -m union -r name`).\n")
    p(f"## Counting {pairs / 1e6:g}M read pairs\n")
    p("| tool | input order | threads | wall s | CPU s | peak MB | read pairs/s | wall / featureCounts | identical to featureCounts | largest relative difference |")
    p("|---|---|---|---|---|---|---|---|---|---|")
    thread_counts = [int(x) for x in env["THREADS_LIST"].split()]
    for order in ("coordinate", "name"):
        for threads in thread_counts:
            fc = t.get(f"featureCounts/{order}/{threads}")
            agree = open(os.path.join(WORK, f"agree_{order}_{threads}.txt")).read().split()
            for tool in ("ifnsig", "featureCounts", "samtools"):
                row = t.get(f"{tool}/{order}/{threads}")
                if not row:
                    continue
                label = {"ifnsig": "ifnsig count", "samtools": f"samtools view -c{' -@' + str(threads) if threads > 1 else ''}"}.get(tool, tool)
                same = agree[0] if tool == "ifnsig" else ("(reference)" if tool == "featureCounts" else "-")
                diff = agree[1] if tool == "ifnsig" else "-"
                p(f"| {label} | {order} | {threads} | {row[0]:.2f} | {row[1]:.2f} | {row[2]} | {pairs / row[0]:,.0f} | "
                  f"{row[0] / fc[0]:.2f} | {same} | {diff} |")
    p("\n### Targets (2 threads, coordinate-sorted)\n")
    ours, fc, st = t["ifnsig/coordinate/2"], t["featureCounts/coordinate/2"], t["samtools/coordinate/2"]
    check = lambda ok: "met" if ok else "**not met**"
    p(f"- wall <= 0.4x featureCounts: {ours[0]:.2f} s vs {fc[0]:.2f} s = {ours[0] / fc[0]:.2f}x - {check(ours[0] <= 0.4 * fc[0])}")
    p(f"- wall <= samtools view -c -@2: {ours[0]:.2f} s vs {st[0]:.2f} s = {ours[0] / st[0]:.2f}x - {check(ours[0] <= st[0])}")
    p(f"- peak memory <= featureCounts': {ours[2]} MB vs {fc[2]} MB - {check(ours[2] <= fc[2])}")
    p(f"- ratios round by round: ifnsig / featureCounts {round_ratios('featureCounts')}; "
      f"ifnsig / samtools {round_ratios('samtools')}")
    name_ours, name_fc = t["ifnsig/name/2"], t["featureCounts/name/2"]
    p(f"- name-sorted input: {name_ours[0]:.2f} s vs {name_fc[0]:.2f} s = {name_ours[0] / name_fc[0]:.2f}x\n")

    k = int(env["HTSEQ_K"])
    p(f"## htseq-count on a {k}k-pair subset (name-sorted, 1 thread)\n")
    p("| tool | wall s | CPU s | peak MB | read pairs/s | identical to featureCounts |")
    p("|---|---|---|---|---|---|")
    htseq_agree = agreement("agree_htseq.txt")
    for name, label, same in (("htseq", "htseq-count", "- (other rules)"), ("featureCounts-htseq", "featureCounts", "(reference)"),
                              ("ifnsig-htseq", "ifnsig count", htseq_agree)):
        row = t.get(f"{name}/name/1")
        if row:
            p(f"| {label} | {row[0]:.2f} | {row[1]:.2f} | {row[2]} | {k * 1000 / row[0]:,.0f} | {same} |")
    p("\nhtseq-count's rules differ (union mode, no multi-overlap fractions, its own special counters), so only speed is compared.\n")

    p("## Scaling\n")
    p("### With reads (2 threads, coordinate-sorted)\n")
    p("| read pairs | ifnsig wall s | ifnsig peak MB | featureCounts wall s | featureCounts peak MB | wall / featureCounts | identical |")
    p("|---|---|---|---|---|---|---|")
    wall_series, mem_series = {"ifnsig count": [], "featureCounts": []}, {"ifnsig count": [], "featureCounts": []}
    for m in sizes:
        a, b = t.get(f"scale-ifnsig/{m}"), t.get(f"scale-featureCounts/{m}")
        if a and b:
            p(f"| {m}M | {a[0]:.2f} | {a[2]} | {b[0]:.2f} | {b[2]} | {a[0] / b[0]:.2f} | {agreement(f'agree_scale_{m}.txt')} |")
            wall_series["ifnsig count"].append((m, a[0])); wall_series["featureCounts"].append((m, b[0]))
            mem_series["ifnsig count"].append((m, a[2])); mem_series["featureCounts"].append((m, b[2]))
    if quick:
        p("\n(--quick skips the 16M-pair size.)")
    for plot in (svg_line("reads_time.svg", "Wall time vs reads (2 threads)", "million read pairs", "seconds", wall_series),
                 svg_line("reads_memory.svg", "Peak memory vs reads (2 threads)", "million read pairs", "MB", mem_series)):
        if plot:
            p(f"\n![]({plot})")
    p("\n### With threads (main input, coordinate-sorted)\n")
    p("| threads | ifnsig wall s | featureCounts wall s | samtools view -c wall s | ifnsig CPU/wall |")
    p("|---|---|---|---|---|")
    thread_series = {"ifnsig count": [], "featureCounts": [], "samtools view -c": []}
    for threads in thread_counts:
        a, b, c = (t.get(f"{tool}/coordinate/{threads}") for tool in ("ifnsig", "featureCounts", "samtools"))
        p(f"| {threads} | {a[0]:.2f} | {b[0]:.2f} | {c[0]:.2f} | {a[1] / a[0]:.2f} |")
        thread_series["ifnsig count"].append((threads, a[0]))
        thread_series["featureCounts"].append((threads, b[0]))
        thread_series["samtools view -c"].append((threads, c[0]))
    plot = svg_line("threads.svg", "Wall time vs threads", "threads", "seconds", thread_series)
    p(f"\n![]({plot})\n")
    cohort_section()

    runs = ((1, 1000000, t.get("simulate/T1"), env["SIM_RECORDS_T1"]),
            (2, int(env["SIM_PAIRS"]), t.get("simulate/T2"), env["SIM_RECORDS_T2"]))
    p("## ifnsig simulate\n")
    p("Target: 10M read pairs in under a minute on 2 cores.\n")
    p("| threads | read pairs | wall s | CPU s | peak MB | records/s | wall for 10M pairs |")
    p("|---|---|---|---|---|---|---|")
    for threads, sim_pairs, row, records in runs:
        if row:
            per_10m = row[0] * 1e7 / sim_pairs
            how = "measured" if sim_pairs == 10000000 else "projected"
            p(f"| {threads} | {sim_pairs / 1e6:g}M | {row[0]:.2f} | {row[1]:.2f} | {row[2]} | {int(records) / row[0]:,.0f} | "
              f"{per_10m:.0f} s ({how}) |")
    p("")

    micro = os.path.join(WORK, "micro.csv")
    rows = []
    if os.path.exists(micro):
        lines = [l for l in open(micro) if l.startswith('"') or l.startswith("name")]
        rows = list(csv.DictReader(lines))
    p("## Micro-benchmarks (Google Benchmark, benchmarks/micro)\n")
    if rows:
        p("| benchmark | time per iteration | CPU per iteration | items/s |")
        p("|---|---|---|---|")
        for r in rows:
            items = r.get("items_per_second") or ""
            items = f"{float(items):,.0f}" if items else "-"
            p(f"| {r['name']} | {float(r['real_time']):,.1f} {r['time_unit']} | {float(r['cpu_time']):,.1f} {r['time_unit']} | {items} |")
    else:
        p("ifnsig_micro produced no results.")
    p("")
    for part in env.get("SECTIONS_LIST", "").split():
        p(open(os.path.join(WORK, f"{part}.md")).read().rstrip() + "\n")


if __name__ == "__main__":
    main()
