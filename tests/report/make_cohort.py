#!/usr/bin/env python3
"""Writes a tiny simulated cohort for the `ifnsig run` tests: annotation.gtf, one SAM per sample, samples.tsv.

Usage: make_cohort.py OUTDIR [--controls N] [--high N] [--low N] [--single] [--strand reverse|forward|unstranded]
                              [--seed S] [--prefix P] [--depth D] [--type-genes] [--type2 N]
                              [--followup SUBJECTS VISITS] [--single-visit N]
Genes: the rice6/feng5/isg4_az interferon genes plus 30 housekeeping genes on one contig, two exons each;
--type-genes adds the genes of the ifn1_specific and ifn2_specific panels (type I with the interferon genes).
IFN-high samples get 10x the control expression of the interferon (and type I) genes; --type2 N adds N
patients with 10x on the type II genes only. --followup adds SUBJECTS patients sampled at VISITS times (days 0,
28, 56, ...) whose interferon genes fall from 10x at the first visit to 1x at the last (geometrically), as under
treatment; --single-visit N adds N subjects sampled once (10x); the sheet then has `subject` and `time` columns.
truth.tsv says which sample is which (high, low, type2, or the fold of a follow-up sample).
"""
import argparse
import math
import os
import random

ISGS = ["IFI27", "IFI44L", "IFIT1", "ISG15", "RSAD2", "SIGLEC1", "LY6E", "OAS1", "OASL", "MX1", "IFI44"]
TYPE1 = ["HERC5", "HES4", "LAMP3", "SPATS2L", "OTOF", "TRIM6"]  # ifn1_specific besides OAS1
TYPE2 = ["IRF8", "SOCS1", "JAK2", "CCL5", "CCL7", "CCL2", "GBP6", "XCL1"]  # ifn2_specific
EXON, INTRON, GAP, READ = 300, 500, 1000, 50


def genes(type_genes):
    out, pos = [], 1000
    names = ISGS + ["HK%02d" % i for i in range(1, 31)] + (TYPE1 + TYPE2 if type_genes else [])
    for i, name in enumerate(names):
        strand = "+" if i % 2 == 0 else "-"
        exons = [(pos, pos + EXON - 1), (pos + EXON + INTRON, pos + 2 * EXON + INTRON - 1)]
        out.append((name, "ENSG%011d" % (i + 1), strand, exons))
        pos += 2 * EXON + INTRON + GAP
    return out, pos + 5000


def negbin(rng, mean, dispersion=0.05):
    shape = 1 / dispersion
    lam = rng.gammavariate(shape, mean / shape)
    # Poisson by inversion for small means, normal approximation for large ones.
    if lam > 500:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def fragment_records(name, gene, rng, args, contig_len):
    _, _, strand, exons = gene
    start, end = exons[rng.randrange(2)]
    length = rng.randint(120, 250) if not args.single else READ
    left = rng.randint(start, end - length + 1)
    right = left + length - READ
    gene_forward = strand == "+"
    # reverse (dUTP): read 1 on the opposite strand of the gene; forward: same strand; unstranded: either.
    if args.strand == "unstranded":
        read1_forward = rng.random() < 0.5
    else:
        read1_forward = gene_forward if args.strand == "forward" else not gene_forward
    if args.single:
        flag = 0 if read1_forward else 16
        return ["%s\t%d\tchr1\t%d\t60\t%dM\t*\t0\t0\t*\t*\tNH:i:1" % (name, flag, left, READ)]
    # Read 1 is leftmost when it is on the forward strand.
    pos1, pos2 = (left, right) if read1_forward else (right, left)
    tlen = right + READ - left
    f1 = 1 | 2 | 64 | (0 if read1_forward else 16) | (32 if read1_forward else 0)
    f2 = 1 | 2 | 128 | (16 if read1_forward else 0) | (0 if read1_forward else 32)
    t1, t2 = (tlen, -tlen) if read1_forward else (-tlen, tlen)
    return ["%s\t%d\tchr1\t%d\t60\t%dM\t=\t%d\t%d\t*\t*\tNH:i:1" % (name, f1, pos1, READ, pos2, t1),
            "%s\t%d\tchr1\t%d\t60\t%dM\t=\t%d\t%d\t*\t*\tNH:i:1" % (name, f2, pos2, READ, pos1, t2)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--controls", type=int, default=6)
    ap.add_argument("--high", type=int, default=4)
    ap.add_argument("--low", type=int, default=2)
    ap.add_argument("--single", action="store_true")
    ap.add_argument("--strand", default="reverse")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--prefix", default="S")
    ap.add_argument("--depth", type=float, default=1.0)
    ap.add_argument("--type-genes", action="store_true")
    ap.add_argument("--type2", type=int, default=0)
    ap.add_argument("--followup", type=int, nargs=2, default=[0, 0], metavar=("SUBJECTS", "VISITS"))
    ap.add_argument("--single-visit", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    if args.type2 and not args.type_genes:
        ap.error("--type2 needs --type-genes")
    model, contig_len = genes(args.type_genes)
    os.makedirs(os.path.join(args.outdir, "bam"), exist_ok=True)
    with open(os.path.join(args.outdir, "annotation.gtf"), "w") as gtf:
        for name, gid, strand, exons in model:
            for n, (s, e) in enumerate(exons):
                gtf.write('chr1\tsim\texon\t%d\t%d\t.\t%s\t.\tgene_id "%s"; transcript_id "%s.1"; gene_name "%s"; '
                          'exon_number "%d";\n' % (s, e, strand, gid, gid, name, n + 1))
    base = {name: rng.lognormvariate(math.log(150), 0.5) for name, _, _, _ in model}
    # (group, raised genes, their fold, subject, time)
    plan = [("control", "low", 10, "", "")] * args.controls + [("patient", "high", 10, "", "")] * args.high
    plan += [("patient", "low", 10, "", "")] * args.low + [("patient", "type2", 10, "", "")] * args.type2
    subjects, visits = args.followup
    for s in range(subjects):
        for v in range(visits):
            fold = 10 ** (1 - v / max(1, visits - 1))
            plan.append(("patient", "high", fold, "P%d" % (s + 1), str(28 * v)))
    plan += [("patient", "high", 10, "Q%d" % (s + 1), "0") for s in range(args.single_visit)]
    follow_up = subjects > 0 or args.single_visit > 0
    raised = {"high": set(ISGS + TYPE1), "type2": set(TYPE2), "low": set()}
    sheet = ["sample\tbam\tgroup" + ("\tsubject\ttime" if follow_up else "")]
    truth = ["sample\tifn"]
    for i, (group, ifn, fold, subject, time) in enumerate(plan):
        sample = "%s%02d" % (args.prefix, i + 1)
        depth = args.depth * rng.uniform(0.7, 1.4)
        lines = ["@HD\tVN:1.6\tSO:unsorted", "@SQ\tSN:chr1\tLN:%d" % contig_len]
        n = 0
        for gene in model:
            mean = base[gene[0]] * depth * (fold if gene[0] in raised[ifn] else 1)
            for _ in range(negbin(rng, mean)):
                n += 1
                lines += fragment_records("r%d" % n, gene, rng, args, contig_len)
        for _ in range(int(0.05 * n)):  # intergenic fragments: Unassigned_NoFeatures
            n += 1
            pos = contig_len - 4000 + rng.randrange(3000)
            flag = 0 if args.single else 1 | 2 | 64 | 32
            mate = "" if args.single else "\n" + "r%d\t%d\tchr1\t%d\t60\t%dM\t=\t%d\t0\t*\t*\tNH:i:1" % (n, 1 | 2 | 128 | 16, pos + 100, READ, pos)
            lines.append("r%d\t%d\tchr1\t%d\t60\t%dM\t%s\t%d\t0\t*\t*\tNH:i:1%s" % (
                n, flag, pos, READ, "*" if args.single else "=", 0 if args.single else pos + 100, mate))
        with open(os.path.join(args.outdir, "bam", sample + ".sam"), "w") as sam:
            sam.write("\n".join(lines) + "\n")
        sheet.append("%s\tbam/%s.sam\t%s" % (sample, sample, group) + ("\t%s\t%s" % (subject, time) if follow_up else ""))
        truth.append("%s\t%s" % (sample, ifn if not subject else "fold %.3g" % fold))
    with open(os.path.join(args.outdir, "samples.tsv"), "w") as f:
        f.write("\n".join(sheet) + "\n")
    with open(os.path.join(args.outdir, "truth.tsv"), "w") as f:
        f.write("\n".join(truth) + "\n")


if __name__ == "__main__":
    main()
