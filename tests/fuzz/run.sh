#!/usr/bin/env bash
# Runs every libFuzzer harness of a fuzz build (IFNSIG_FUZZ=ON): first over its kept regression inputs
# (tests/fuzz/regressions/<harness>/: inputs that once crashed, each must now pass), then from seed corpora
# made of the test fixtures and the example cohort, for a bounded time each, with a fixed seed. Prints one
# line per harness (executions, seconds, corpus size) and exits non-zero when any harness found something,
# whose input is left in BUILD/fuzz-findings/ (keep it under regressions/ once fixed).
# Usage: tests/fuzz/run.sh BUILD_DIR [SECONDS]   (per harness; default 60)
set -euo pipefail
build=$(cd "$1" && pwd)
seconds=${2:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
work="$build/fuzz-work"
findings="$build/fuzz-findings"
rm -rf "$work" && mkdir -p "$work" "$findings"
export TMPDIR="$work"

# Seeds, made from the repository's own test inputs each time.
seeds="$work/seeds"
mkdir -p "$seeds"/{annotation,alias,count_table,sample_sheet,gene_sets,reference_json,alignments,quant_files}
i=0
for f in "$src"/tests/fixtures/annotation/* "$src"/tests/fixtures/count/*.gtf; do
  for format in 0 1 2 3; do  # the harness's first byte: auto, GTF, GFF3, SAF
    { printf "\\x$(printf %02x "$format")"; cat "$f"; } >"$seeds/annotation/$((i++))"
  done
done
{ printf '\x01'; head -c 20000 "$src/examples/data/annotation.gtf"; } >"$seeds/annotation/example"
printf '1,chr1\nchrX,X\n' >"$seeds/alias/plain"
printf 'chrX, X \r\n\n1,one\n' >"$seeds/alias/spaces"
cp "$src"/tests/fixtures/norm/*.t* "$src"/tests/fixtures/norm/*.csv "$seeds/count_table/"
gzip -c "$src/tests/fixtures/norm/featurecounts.txt" >"$seeds/count_table/featurecounts.txt.gz"
cp "$src/tests/fixtures/norm/sheet.tsv" "$seeds/sample_sheet/norm_sheet.tsv"
cp "$src/examples/samples.tsv" "$seeds/sample_sheet/run_sheet.tsv"
cp "$src"/data/panels/*.tsv "$seeds/gene_sets/"
cp "$src/examples/data/gene_names.tsv" "$seeds/gene_sets/gene_map.tsv"
awk -F'\t' '!/^#/ && $1 != "gene" {g = g "\t" $1} END {print "rice6\tRice\t" g}' "$src/data/panels/rice6.tsv" \
  >"$seeds/gene_sets/rice6.gmt"
{ printf '#ifnsig-gene-aliases\t1\n'; zcat "$src/data/panels/gene_aliases.tsv.gz" | sed -n '2,4p;/^WARS1\t/p;/^RIGI\t/p'; } \
  >"$seeds/gene_sets/gene_aliases.tsv"
# Quantifier outputs as each tool writes them (the headers tests/quant/tximport_test.cpp reads), and tx2gene.
printf 'Name\tLength\tEffectiveLength\tTPM\tNumReads\nt1\t1000\t850.5\t12.5\t100.25\nt2\t500\t350\t0\t0\n' \
  >"$seeds/quant_files/quant.sf"
printf 'target_id\tlength\teff_length\test_counts\ttpm\nt1\t1000\t851.2\t99\t11.9\nt2\t500\t351\t0\t0\n' \
  >"$seeds/quant_files/abundance.tsv"
printf 'gene_id\ttranscript_id(s)\tlength\teffective_length\texpected_count\tTPM\tFPKM\nG1\tt1,t2\t900\t750.3\t100.00\t12.50\t10.1\n' \
  >"$seeds/quant_files/S1.genes.results"
printf 'transcript_id\tgene_id\tlength\teffective_length\texpected_count\tTPM\tFPKM\tIsoPct\nt1\tG1\t1000\t850.5\t100.00\t12.50\t10.1\t100.00\n' \
  >"$seeds/quant_files/S1.isoforms.results"
printf 'N_unmapped\t10\t10\t10\nN_multimapping\t2\t2\t2\nN_noFeature\t5\t30\t7\nN_ambiguous\t1\t0\t0\nG1\t30\t2\t28\n' \
  >"$seeds/quant_files/ReadsPerGene.out.tab"
printf 'transcript_id\tgene_id\tgene_name\nt1\tG1\tONE\nt2\tG1\tONE\n' >"$seeds/quant_files/tx2gene.tsv"
head -c 20000 "$src/examples/data/annotation.gtf" | sed 's/gene_id \("[^"]*"\)/transcript_id \1; gene_id \1/' \
  >"$seeds/quant_files/annotation.gtf"
for f in "$src"/tests/fixtures/count/*.sam; do
  cp "$f" "$seeds/alignments/"
  samtools view -b -o "$seeds/alignments/$(basename "$f" .sam).bam" "$f"
done
# Frozen references as ifnsig writes them: the example cohort's counts, normalized and scored.
"$build/ifnsig" -q count -a "$src/examples/data/annotation.gtf" -p --countReadPairs -s 2 -o "$work/counts.txt" \
  "$src"/examples/data/bam/sample0{1,2,3,6,7}.bam
awk -F'\t' 'NR == 1 || /sample0[12367]/' "$src/examples/samples.tsv" >"$work/samples.tsv"
"$build/ifnsig" -q normalize -i "$work/counts.txt" -o "$work/norm.tsv" --samples "$work/samples.tsv" \
  --save-reference "$seeds/reference_json/normalize.json"
"$build/ifnsig" -q score -i "$work/norm.tsv" --samples "$work/samples.tsv" --panel rice6 \
  --gene-map "$work/counts.txt.genes.tsv" -o "$work/scores.tsv" --save-reference "$seeds/reference_json/score.json"
# Also without their checksum: a mutation of a checksummed reference is refused at the checksum, while one
# without a checksum is read (with a warning), so these seeds are the ones that reach the readers of its keys.
for f in normalize score; do
  sed '/^ "checksum": /d' "$seeds/reference_json/$f.json" >"$seeds/reference_json/$f.unchecked.json"
done
cp "$work/counts.txt" "$seeds/count_table/ifnsig_counts.txt"

status=0
for harness in "$build"/*_fuzz; do
  name=$(basename "$harness" _fuzz)
  regressions="$src/tests/fuzz/regressions/$name"
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    "$harness" -runs=1 "$regressions"/* >"$work/$name.regressions.log" 2>&1 ||
      { echo "FAIL: $name: a kept regression input fails again (see $work/$name.regressions.log)" >&2; status=1; continue; }
  fi
  corpus="$work/corpus/$name"
  mkdir -p "$corpus"
  start=$(date +%s)
  if ! "$harness" -seed=1 -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=4096 \
      -artifact_prefix="$findings/$name-" "$corpus" "$seeds/$name" >"$work/$name.log" 2>&1; then
    echo "FAIL: $name: a finding (input in $findings, log $work/$name.log):" >&2
    grep -m5 -E "ERROR|SUMMARY|untyped|runtime error" "$work/$name.log" >&2 || tail -5 "$work/$name.log" >&2
    status=1
    continue
  fi
  done_line=$(grep -E "^Done [0-9]+ runs" "$work/$name.log" | tail -1)
  printf 'fuzz: %-15s %s; corpus %s inputs; %ss\n' "$name" "${done_line:-?}" "$(ls "$corpus" | wc -l)" \
    "$(($(date +%s) - start))"
done
exit $status
