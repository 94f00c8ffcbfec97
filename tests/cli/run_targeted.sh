# run --reference REF.json --targeted reads only the reference's normalizer genes and the panels' genes of each
# indexed BAM, and gives the same calls as a run that counts whole files against the same reference, scores and
# size factors within 2%. The cohort: 12 generated samples (5 IFN-high on rice6) on 4,758 genes of the hg38
# RefSeq annotation (every 6th gene and the panels' genes), 300,000 pairs each, negative-binomial dispersion
# 0.03 (that of well-expressed genes in blood RNA-seq); the reference keeps 400 normalizer genes. Also: the
# counted genes' counts equal the whole-file ones, a rerun reuses every sample, the scatter/gather steps give
# the same tables, and bad input stops before anything is written.
source "$SRC/tests/lib.sh"
need_packages samtools
saf_gz="$(debian_data subread-data)/usr/share/doc/subread/examples/annotation/hg38_RefSeq_exon.txt.gz"
panels="$SRC/data/panels"
awk -F'\t' '$1 == "gene" {split($4, ids, ","); print ids[1]}' "$panels"/{rice6,isg4_az,feng5,chiche_m1_2}.tsv |
  sort -u >"$WORK/panel_ids.txt"
zcat "$saf_gz" | awk -F'\t' 'NR == FNR {keep[$1]; next}
  FNR == 1 {print; next}
  !($1 in seen) {seen[$1] = ++n}
  ($1 in keep) || seen[$1] % 6 == 0' "$WORK/panel_ids.txt" - >"$WORK/genes.saf"
"$IFNSIG" -q simulate -a "$WORK/genes.saf" -o "$WORK/sim" --samples 12 --ifn-high 5 --pairs 300000 --panel rice6 \
  --dispersion 0.03 --seed 11 -T 2
sheet="$WORK/sim/samples.tsv"
run() { "$IFNSIG" -q run --samples "$sheet" -a "$WORK/genes.saf" -T 2 --panel rice6 --panel isg4_az --panel feng5 \
  --panel chiche_m1_2 "$@" >/dev/null; }

run -o "$WORK/full" --normalizer-genes 400
ref="$WORK/full/reference.json"
run -o "$WORK/whole" --reference "$ref"
run -o "$WORK/targeted" --reference "$ref" --targeted

python3 - "$WORK/whole" "$WORK/targeted" <<'EOF' || fail "targeted run differs from the whole-file run"
import csv, statistics, sys
whole, targeted = sys.argv[1:]
def rows(path):
    return [r for r in csv.reader(open(path), delimiter="\t") if not r[0].startswith("#")]
def by_gene(path):
    table = rows(path)
    return table[0], {r[0]: r for r in table[1:]}
# The targeted counts are the whole-file counts of the genes it counted.
head_w, counts_w = by_gene(f"{whole}/counts.tsv")
head_t, counts_t = by_gene(f"{targeted}/counts.tsv")
assert head_w == head_t, "count table headers differ"
assert len(counts_t) >= 400, f"only {len(counts_t)} genes counted"
bad = [g for g in counts_t if counts_t[g] != counts_w[g]]
assert not bad, f"counts differ for {len(bad)} genes, e.g. {counts_t[bad[0]]} vs {counts_w[bad[0]]}"
# Size factors: normalized = count / size factor.
def size_factors(out, counts):
    head, normalized = by_gene(f"{out}/normalized.tsv")
    factors = {}
    for j, sample in enumerate(head[1:], 1):
        k = head_w.index(sample)
        factors[sample] = statistics.median(float(counts[g][k]) / float(normalized[g][j])
                                            for g in normalized if float(counts[g][k]) > 0)
    return factors
sf_w, sf_t = size_factors(whole, counts_w), size_factors(targeted, counts_t)
sf_error = max(abs(sf_t[s] / sf_w[s] - 1) for s in sf_w)
def scores(out):
    return {(r["sample"], r["panel"], r["method"]): r for r in csv.DictReader(open(f"{out}/scores.tsv"), delimiter="\t")}
s_w, s_t = scores(whole), scores(targeted)
assert s_w.keys() == s_t.keys(), "scored panels differ"
flipped = [k for k in s_w if s_w[k]["call"] != s_t[k]["call"]]
assert not flipped, f"calls differ: {flipped}"
# Fold-change scores relative to themselves; z-score and module scores (near 0 in controls) relative to the
# largest score of their panel.
worst = {}
for k in s_w:
    w, t = float(s_w[k]["score"]), float(s_t[k]["score"])
    scale = abs(w) if k[2] == "rice" else max(abs(float(v["score"])) for kk, v in s_w.items() if kk[1:] == k[1:])
    worst[k[1:]] = max(worst.get(k[1:], 0), abs(t - w) / scale)
print(f"size factors within {100 * sf_error:.2f}%; scores within " +
      ", ".join(f"{p}/{m} {100 * e:.2f}%" for (p, m), e in sorted(worst.items())))
assert sf_error <= 0.02, f"a size factor differs by {100 * sf_error:.2f}%"
assert max(worst.values()) <= 0.02, f"a score differs by more than 2%: {worst}"
EOF

# A rerun reuses every sample; a run that counts whole files does not take the targeted counts.
run -o "$WORK/targeted" --reference "$ref" --targeted
python3 -c 'import json, sys; sys.exit(len(json.load(open(sys.argv[1]))["samples_counted"]))' "$WORK/targeted/run.json" ||
  fail "the rerun counted samples again"
run -o "$WORK/targeted" --reference "$ref" --sample sample01
python3 - "$WORK/targeted/samples/sample01.counts.tsv.json" <<'EOF' || fail "a whole-file run reused targeted counts"
import json, sys
sys.exit("targeted" in json.load(open(sys.argv[1]))["count"]["inputs"][0])
EOF

# Scatter and gather: the same tables.
for sample in $(tail -n +2 "$sheet" | cut -f1); do
  run -o "$WORK/scatter" --reference "$ref" --targeted --sample "$sample"
done
run -o "$WORK/scatter" --reference "$ref" --targeted --gather
for table in counts.tsv normalized.tsv scores.tsv calls.tsv signature_genes.tsv; do
  cmp "$WORK/targeted/$table" "$WORK/scatter/$table" || fail "scatter/gather $table differs from one run's"
done

# Bad input: one error, nothing written.
expect_failure 2 "--targeted scores against a frozen reference" run -o "$WORK/bad1" --targeted
expect_failure 2 "method 'gsva' of panel 'rice6' ranks genes" run -o "$WORK/bad2" --reference "$ref" --targeted --method gsva
mkdir -p "$WORK/full0" && cp -r "$WORK/full/samples" "$WORK/full0/"  # the same counts, a reference without normalizers
run -o "$WORK/full0" --normalizer-genes 0 --gather
expect_failure 1 "holds no normalizer genes" run -o "$WORK/bad3" --reference "$WORK/full0/reference.json" --targeted
mkdir -p "$WORK/unindexed"
cp "$WORK/sim/sample01.bam" "$WORK/unindexed/"
printf 'sample\tbam\tgroup\nS1\tsample01.bam\tcontrol\n' >"$WORK/unindexed/samples.tsv"
expect_failure 1 "sample 'S1': .*no index .*samtools index" \
  "$IFNSIG" -q run --samples "$WORK/unindexed/samples.tsv" -a "$WORK/genes.saf" -o "$WORK/bad4" --reference "$ref" --targeted
for bad in bad1 bad2 bad3 bad4; do [ ! -e "$WORK/$bad" ] || fail "$bad: output written despite the error"; done
echo "run_targeted: passed"
