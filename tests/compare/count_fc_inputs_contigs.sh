# Contig names of the annotation and of the alignments that featureCounts 2.0.3 (Debian package subread) matches
# though they differ: a "chr" prefix removed from the alignments' name, or added to a name of at most two
# characters, alone and with -A alias files. `ifnsig count` must write the same counts and summary, and log the
# matches made by an alias or a prefix and list them in OUT.json.
source "$SRC/tests/lib.sh"
need_packages subread
checked=0
cd "$WORK"

# One read per name after $2 (a name may repeat), the i-th at 100 + i, on the contigs of $2's header.
write_sam() {
  local out=$1 contigs=$2 i=0 contig reads=(); shift 2
  for contig in "$@"; do i=$((i + 1)); reads+=("$contig:$((100 + i))"); done
  write_reads_sam "$out" "$contigs" "${reads[@]}"
}

# A GTF with one gene on each contig named (comma list), at 100-200.
write_gtf() {
  local out=$1 contig; : >"$out"
  for contig in ${2//,/ }; do printf '%s\tt\texon\t100\t200\t.\t+\t.\tgene_id "G_%s";\n' "$contig" "$contig" >>"$out"; done
}

# same_counts ANNOTATION_CONTIGS SAM [options]: counts and summary equal featureCounts'.
same_counts() {
  local contigs=$1 sam=$2; shift 2
  write_gtf genes.gtf "$contigs"
  featureCounts -a genes.gtf -o fc.txt "$@" "$sam" >fc.log 2>&1 || fail "featureCounts failed: $contigs $sam $*"
  "$IFNSIG" count -a genes.gtf -o if.txt "$@" "$sam" 2>if.log || fail "ifnsig count failed: $contigs $sam $*: $(cat if.log)"
  diff <(tail -n +2 fc.txt) <(tail -n +2 if.txt) >diff.txt || fail "counts differ ($contigs, $sam, $*): $(cat diff.txt)"
  diff fc.txt.summary if.txt.summary >diff.txt || fail "summary differs ($contigs, $sam, $*): $(cat diff.txt)"
  checked=$((checked + 1))
}

write_sam 4.sam 4 4
write_sam chr4.sam chr4 chr4
write_sam both.sam 4,chr4 4 chr4 chr4
write_sam mito.sam MT,chrM,M,chrMT MT chrM M chrMT
write_sam numbers.sam 10,chr10,123,chr123,X,Chr4 10 chr10 123 chr123 X Chr4
write_sam aliased.sam four,vier,chr4,4,chrfour four vier vier chr4 4 chrfour

# OUT.json's renamed_contigs of the last count: "alignment>annotation:rule" items, space-separated.
renamed_contigs() {
  python3 -c 'import json, sys; print(" ".join(c["alignment"] + ">" + c["annotation"] + ":" + c["rule"]
    for c in json.load(open(sys.argv[1]))["inputs"][0]["renamed_contigs"]))' if.txt.json
}

same_counts chr4 4.sam
[[ $(renamed_contigs) == "4>chr4:chr added" ]] || fail "OUT.json's renamed_contigs for 4.sam: $(renamed_contigs)"
grep -q "4.sam: 1 contig matched to the annotation's by adding or removing 'chr', as featureCounts does: '4' as 'chr4'" if.log ||
  fail "no log line for the contig matched by a prefix: $(cat if.log)"
same_counts 4 chr4.sam
grep -q "'chr4' as '4'" if.log || fail "no log line for the contig matched by a prefix: $(cat if.log)"
[[ $(renamed_contigs) == "chr4>4:chr removed" ]] || fail "OUT.json's renamed_contigs for chr4.sam: $(renamed_contigs)"
same_counts chr4 both.sam
same_counts 4 both.sam
same_counts 4,chr4 both.sam
grep -q "matched to the annotation's" if.log && fail "a prefix match logged where both names exist: $(cat if.log)"
[[ -z $(renamed_contigs) ]] || fail "OUT.json's renamed_contigs where both names exist: $(renamed_contigs)"
same_counts MT mito.sam
same_counts chrM mito.sam
same_counts chrMT mito.sam
same_counts chr10,chr123,chrX,chr4 numbers.sam
same_counts 10,123,X,4 numbers.sam
same_counts chr10,chr123,chrX,chr4 numbers.sam -s 1 -T 3

# -A: alias before the prefix rules, the same name before the alias, the last line of an alignment name wins.
printf 'chr4,four\nchr4,vier\n' >aliases.csv
same_counts chr4 aliased.sam -A aliases.csv
grep -q "aliased.sam: 2 contigs matched to the annotation's through the aliases of -A: 'four' as 'chr4', 'vier' as 'chr4'" if.log ||
  fail "no log line for the contigs matched by an alias: $(cat if.log)"
grep -q "aliased.sam: 1 contig matched to the annotation's by adding or removing 'chr', as featureCounts does: '4' as 'chr4'" if.log ||
  fail "no log line for the contig matched by a prefix: $(cat if.log)"
[[ $(renamed_contigs) == "four>chr4:alias vier>chr4:alias 4>chr4:chr added" ]] ||
  fail "OUT.json's renamed_contigs for aliased.sam: $(renamed_contigs)"
printf '# comment\nchr5,four\nnocomma\n\nchr4,four\nchr4,chrfour\nchrX4,4\n' >aliases.csv
same_counts chr4,chr5 aliased.sam -A aliases.csv
grep -q "aliases.csv: skipped 1 line without a comma, as featureCounts does (first: line 3)" if.log ||
  fail "no warning about the alias line without a comma: $(cat if.log)"
printf '4,four\n' >aliases.csv
same_counts 4,chr4 aliased.sam -A aliases.csv
same_counts four aliased.sam -A aliases.csv
# featureCounts takes spaces and a second comma as part of the names, and matches nothing with them.
for line in 'chr4, four' 'chr4 ,four' 'chr4,four,x'; do
  printf '%s\n' "$line" >aliases.csv
  write_gtf genes.gtf chr4
  expect_failure 1 "aliases.csv:line 1: " "$IFNSIG" count -q -a genes.gtf -o if.txt -A aliases.csv aliased.sam
done
echo "featureCounts and ifnsig agree on $checked contig matchings"
