#!/usr/bin/env python3
"""Writes a small random genome, its GTF and paired-end FASTQ files for quant_star.sh.

Usage: quant_make_star_reads.py OUTDIR
OUTDIR gets genome.fa (two 150 kb contigs), genes.gtf (40 genes of 2-4 exons, half on each strand, apart from each
other) and, per sample <protocol><k> (forward1, forward2, reverse1, reverse2, unstranded1, unstranded2), R1/R2
FASTQ files of 2 x 75 bp pairs from spliced transcripts: read 1 on the gene's strand (forward, featureCounts -s 1),
on the opposite strand (reverse, dUTP: -s 2) or either (unstranded). Seeded.
"""
import os
import random
import sys

COMPLEMENT = str.maketrans("ACGT", "TGCA")


def revcomp(seq):
    return seq.translate(COMPLEMENT)[::-1]


def main():
    out = sys.argv[1]
    rng = random.Random(11)
    os.makedirs(out, exist_ok=True)
    contigs = {name: "".join(rng.choice("ACGT") for _ in range(150_000)) for name in ("chrA", "chrB")}
    with open(os.path.join(out, "genome.fa"), "w") as fa:
        for name, seq in contigs.items():
            fa.write(f">{name}\n")
            for i in range(0, len(seq), 60):
                fa.write(seq[i:i + 60] + "\n")
    genes = []
    with open(os.path.join(out, "genes.gtf"), "w") as gtf:
        for c, (name, seq) in enumerate(contigs.items()):
            position = 2000
            for g in range(20):
                gene_id = f"G{c * 20 + g + 1:03d}"
                strand = "+" if g % 2 == 0 else "-"
                exons = []
                for _ in range(rng.randint(2, 4)):
                    length = rng.randint(150, 600)
                    exons.append((position, position + length - 1))
                    position += length + rng.randint(200, 800)
                position += 3000
                for k, (s, e) in enumerate(exons):
                    gtf.write(f'{name}\ttest\texon\t{s}\t{e}\t.\t{strand}\t.\tgene_id "{gene_id}"; '
                              f'transcript_id "{gene_id}.t1"; gene_name "N{gene_id}"; exon_number "{k + 1}";\n')
                mrna = "".join(seq[s - 1:e] for s, e in exons)
                genes.append((gene_id, strand, mrna if strand == "+" else revcomp(mrna)))
    for protocol in ("forward", "reverse", "unstranded"):
        for k in (1, 2):
            sample = f"{protocol}{k}"
            with open(os.path.join(out, f"{sample}_R1.fq"), "w") as r1, open(os.path.join(out, f"{sample}_R2.fq"), "w") as r2:
                n = 0
                for gene_id, strand, mrna in genes:
                    for _ in range(rng.randint(20, 300)):
                        size = rng.randint(180, min(320, len(mrna)))
                        start = rng.randint(0, len(mrna) - size)
                        fragment = mrna[start:start + size]  # on the gene's strand
                        sense = protocol == "forward" or (protocol == "unstranded" and rng.random() < 0.5)
                        first, second = (fragment[:75], revcomp(fragment)[:75]) if sense else (revcomp(fragment)[:75], fragment[:75])
                        n += 1
                        r1.write(f"@p{n}/1\n{first}\n+\n{'I' * 75}\n")
                        r2.write(f"@p{n}/2\n{second}\n+\n{'I' * 75}\n")


if __name__ == "__main__":
    main()
