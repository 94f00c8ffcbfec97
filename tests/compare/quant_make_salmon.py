#!/usr/bin/env python3
"""Writes a seeded cohort of salmon outputs for the tximport comparison (quant_tximport.sh).

Usage: quant_make_salmon.py OUTDIR [N_GENES] [N_SAMPLES]
OUTDIR gets genes.gtf (exon lines with gene_id, transcript_id, gene_name), tx2gene.tsv (no header, as nf-core's),
samples.txt and OUTDIR/<sample>/quant.sf in salmon's exact layout: Name, Length, EffectiveLength (3 decimals),
TPM (6 decimals), NumReads (3 decimals), transcripts in one order in every file. Genes have 1-5 transcripts with
effective lengths that differ between transcripts and samples; counts are negative-binomial per gene (dispersion
0.05 + 1/mean, as DESeq2's trend) split among transcripts by sample-specific fractions. Special genes: one with
no reads anywhere (tximport's average length over transcripts), one with none in the first sample (geometric mean
of the other samples' lengths), single-transcript genes whose counts end in .500 (R's round() halves to even).
"""
import math
import os
import random
import sys


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam < 40:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, int(round(rng.normalvariate(lam, math.sqrt(lam)))))


def main():
    out = sys.argv[1]
    n_genes = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
    n_samples = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    rng = random.Random(20)
    samples = [f"S{j + 1}" for j in range(n_samples)]
    depth = [rng.uniform(0.5, 2.0) for _ in samples]
    fragment = [rng.uniform(150, 260) for _ in samples]
    genes = []
    position = 1000
    for g in range(n_genes):
        gene_id = f"ENSG{g + 1:011d}"
        n_tx = 1 + min(4, int(rng.expovariate(0.8)))
        transcripts = []
        for t in range(n_tx):
            exons = []
            start = position
            for _ in range(rng.randint(1, 4)):
                length = rng.randint(60, 900)
                exons.append((start, start + length - 1))
                start += length + rng.randint(100, 2000)
            transcripts.append((f"ENST{g + 1:09d}{t:02d}", exons))
        position = start + 5000
        genes.append((gene_id, f"GENE{g + 1}", transcripts, math.exp(rng.uniform(-1, 8))))
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "genes.gtf"), "w") as gtf, open(os.path.join(out, "tx2gene.tsv"), "w") as t2g:
        gtf.write("#!genome-build test\n")
        for gene_id, name, transcripts, _ in genes:
            for tx_id, exons in transcripts:
                t2g.write(f"{tx_id}\t{gene_id}\t{name}\n")
                for k, (s, e) in enumerate(exons):
                    gtf.write(f'chr1\ttest\texon\t{s}\t{e}\t.\t+\t.\tgene_id "{gene_id}"; transcript_id "{tx_id}"; '
                              f'gene_name "{name}"; exon_number "{k + 1}";\n')
    with open(os.path.join(out, "samples.txt"), "w") as handle:
        handle.write("\n".join(samples) + "\n")
    # Sample-specific transcript fractions and effective lengths.
    for j, sample in enumerate(samples):
        rows = []
        for g, (gene_id, name, transcripts, mean) in enumerate(genes):
            dispersion = 0.05 + 1 / mean
            lam = mean * depth[j] * rng.gammavariate(1 / dispersion, dispersion)
            reads = poisson(rng, lam)
            if g == 0 or (g == 1 and j == 0):
                reads = 0  # no reads anywhere; none in the first sample
            weights = [rng.gammavariate(2.0, 1.0) for _ in transcripts]
            if len(transcripts) > 2 and rng.random() < 0.3:
                weights[rng.randrange(len(transcripts))] = 0.0  # a transcript without reads in this sample
            total = sum(weights) or 1.0
            for (tx_id, exons), w in zip(transcripts, weights):
                length = sum(e - s + 1 for s, e in exons)
                eff = max(1.0, length - fragment[j] + rng.uniform(-20, 20))
                num = reads * w / total
                if len(transcripts) == 1 and g % 7 == 3 and reads > 0:
                    num = reads + 0.5  # ties: round(x.5) goes to the even neighbour in R
                rows.append([tx_id, length, round(eff, 3), round(num, 3)])
        rate_sum = sum(r[3] / r[2] for r in rows)
        os.makedirs(os.path.join(out, sample), exist_ok=True)
        with open(os.path.join(out, sample, "quant.sf"), "w") as handle:
            handle.write("Name\tLength\tEffectiveLength\tTPM\tNumReads\n")
            for tx_id, length, eff, num in rows:
                tpm = 1e6 * (num / eff) / rate_sum
                handle.write(f"{tx_id}\t{length}\t{eff:.3f}\t{tpm:.6f}\t{num:.3f}\n")


if __name__ == "__main__":
    main()
