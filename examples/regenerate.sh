#!/usr/bin/env bash
# Rebuilds the bundled example cohort: examples/data/annotation.gtf (real RefSeq gene structures from the
# Debian package subread-data) and the simulated BAMs (ifnsig simulate, fixed seed).
# Usage: examples/regenerate.sh [path/to/ifnsig]   (default: build/ifnsig; needs apt-get download or
#        SUBREAD_DATA=<dir where subread-data is unpacked>)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
IFNSIG=${1:-$HERE/../build/ifnsig}
[ -x "$IFNSIG" ] || { echo "no ifnsig binary at $IFNSIG" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ -z "${SUBREAD_DATA:-}" ]; then
  (cd "$WORK" && apt-get download subread-data >/dev/null) || { echo "apt-get download subread-data failed" >&2; exit 1; }
  dpkg -x "$WORK"/subread-data_*.deb "$WORK/subread-data"
  SUBREAD_DATA=$WORK/subread-data
fi
SAF=$SUBREAD_DATA/usr/share/doc/subread/examples/annotation/hg38_RefSeq_exon.txt.gz

# The named genes (IFN panels and housekeeping genes) plus their 3 nearest neighbours on each side.
python3 - "$SAF" "$HERE/data/gene_names.tsv" "$HERE/data/annotation.gtf" <<'PY'
import gzip, sys
saf, names_path, out_path = sys.argv[1:]
names = dict(line.rstrip("\n").split("\t")[:2] for line in open(names_path) if not line.startswith("gene_id"))
genes = {}  # id -> (chr, strand, [(start, end)]) on the gene's first contig
with gzip.open(saf, "rt") as f:
    next(f)
    for line in f:
        gid, chrom, start, end, strand = line.split()
        if gid not in genes:
            genes[gid] = (chrom, strand, set())
        if genes[gid][0] == chrom:
            genes[gid][2].add((int(start), int(end)))
by_chrom = {}
for gid, (chrom, strand, exons) in genes.items():
    if "_" in chrom or chrom.startswith("NT_"):
        continue
    by_chrom.setdefault(chrom, []).append((min(s for s, _ in exons), gid))
keep = set()
for chrom, starts in by_chrom.items():
    starts.sort()
    for i, (_, gid) in enumerate(starts):
        if gid in names:
            keep.update(g for _, g in starts[max(0, i - 3):i + 4])
def chrom_key(c):
    c = c[3:]
    return (0, int(c)) if c.isdigit() else (1, c)
rows = []
for gid in keep:
    chrom, strand, exons = genes[gid]
    for start, end in exons:
        rows.append((chrom_key(chrom), start, end, gid, chrom, strand))
rows.sort()
with open(out_path, "w") as out:
    out.write("#!annotation: NCBI RefSeq exons (hg38) via the Debian package subread-data; "
              "gene_name from examples/data/gene_names.tsv, else the Entrez id\n")
    for _, start, end, gid, chrom, strand in rows:
        out.write(f'{chrom}\tRefSeq\texon\t{start}\t{end}\t.\t{strand}\t.\tgene_id "{gid}"; gene_name "{names.get(gid, gid)}";\n')
print(f"{len(keep)} genes, {len(rows)} exons", file=sys.stderr)
PY

# 10 samples: 5 controls, 5 IFN-high with the Rice genes raised 8-fold; reverse-stranded paired-end 2x75.
rm -rf "$WORK/cohort"
"$IFNSIG" simulate -q -a "$HERE/data/annotation.gtf" -o "$WORK/cohort" --samples 10 --ifn-high 5 --fold 8 \
  --panel rice6 --pairs 2000 --depth-sd 0.25 --read-length 75 --fragment-mean 220 --strand reverse \
  --compression-level 9 --csi --seed 20261124 -T 2
mkdir -p "$HERE/data/bam"
rm -f "$HERE"/data/bam/*.bam "$HERE"/data/bam/*.csi
cp "$WORK"/cohort/*.bam "$WORK"/cohort/*.csi "$HERE/data/bam/"
cp "$WORK"/cohort/truth_counts.tsv "$WORK"/cohort/truth_expression.tsv "$WORK"/cohort/truth_genes.tsv "$HERE/data/"
# The sheet for the walkthrough: BAM paths relative to examples/.
awk -F'\t' 'BEGIN {OFS = "\t"} NR == 1 {print; next} {$2 = "data/bam/" $2; print}' "$WORK/cohort/samples.tsv" \
  >"$HERE/samples.tsv"
echo "examples regenerated: $(ls "$HERE"/data/bam/*.bam | wc -l) BAMs, $(du -sh "$HERE/data" | cut -f1) in examples/data"
