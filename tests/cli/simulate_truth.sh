#!/usr/bin/env bash
# Counting simulated BAMs with `ifnsig count` recovers the truth table exactly for every gene whose span
# overlaps no other gene (truth_genes.tsv: isolated=yes); elsewhere ambiguity can only lower the count of a
# gene's own fragments, so only the isolated genes are compared. Paired reverse, paired forward with
# single-end unstranded, on the hg38 RefSeq annotation (Entrez ids, panel symbols through --gene-names).
source "$SRC/tests/lib.sh"
SUBREAD=$(debian_data subread-data)
SAF=$SUBREAD/usr/share/doc/subread/examples/annotation/hg38_RefSeq_exon.txt.gz
NAMES=$SRC/examples/data/gene_names.tsv

check() {  # dir count-options...
  local dir=$1; shift
  "$IFNSIG" count -q -a "$SAF" -F SAF -o "$dir/counts.txt" --ignoreDup -T 2 "$@" "$dir/sample01.bam" 2>/dev/null
  python3 - "$dir" <<'PY' || fail "truth not recovered in $dir"
import csv, sys
d = sys.argv[1]
truth = {r["gene_id"]: int(r["sample01"]) for r in csv.DictReader(open(f"{d}/truth_counts.tsv"), delimiter="\t")}
isolated = {r["gene_id"] for r in csv.DictReader(open(f"{d}/truth_genes.tsv"), delimiter="\t") if r["isolated"] == "yes"}
counted = {}
for line in open(f"{d}/counts.txt"):
    if line.startswith("#") or line.startswith("Geneid"):
        continue
    f = line.rstrip("\n").split("\t")
    counted[f[0]] = int(f[6])
bad = [(g, truth[g], counted.get(g)) for g in isolated if counted.get(g) != truth[g]]
n_reads = sum(truth[g] for g in isolated)
print(f"{d}: {len(isolated)} isolated genes, {n_reads} fragments, {len(bad)} differ {bad[:5]}")
sys.exit(1 if bad or n_reads == 0 else 0)
PY
}

"$IFNSIG" simulate -q -a "$SAF" --gene-names "$NAMES" -o "$WORK/rev" --samples 1 --ifn-high 1 --pairs 200000 --seed 3 -T 2
grep -q '"missing": \[\]' "$WORK/rev/simulation.json" || fail "rice6 genes missing with --gene-names"
check "$WORK/rev" -p --countReadPairs -s 2
"$IFNSIG" simulate -q -a "$SAF" --gene-names "$NAMES" -o "$WORK/fwd" --samples 1 --ifn-high 0 --pairs 100000 --seed 4 \
  --strand forward -T 2
check "$WORK/fwd" -p --countReadPairs -s 1
"$IFNSIG" simulate -q -a "$SAF" --gene-names "$NAMES" -o "$WORK/se" --samples 1 --ifn-high 0 --pairs 100000 --seed 5 \
  --single-end --strand unstranded -T 2
check "$WORK/se" -s 0
# Without the names map, the panel's own Entrez ids place it on the Entrez-id annotation; an annotation whose
# ids match no panel gene is a clear error.
"$IFNSIG" simulate -a "$SAF" -o "$WORK/nonames" --samples 2 --ifn-high 1 --pairs 1000 2>"$WORK/nonames.log"
grep -q "panel rice6: 6 genes found, 0 missing" "$WORK/nonames.log" || fail "rice6 not placed by its Entrez ids"
printf 'GeneID\tChr\tStart\tEnd\tStrand\ngene_a\tchr1\t1000\t2000\t+\n' >"$WORK/unnamed.saf"
expect_failure 1 "none of the genes of panel rice6 is annotated" "$IFNSIG" simulate -a "$WORK/unnamed.saf" -F SAF \
  -o "$WORK/unnamed" --samples 2 --ifn-high 1 --pairs 1000
grep -q "gene-names" "$WORK/stderr.txt" || fail "the unplaced-panel error should suggest --gene-names"
echo "simulate truth: ok"
