#!/usr/bin/env bash
# ifnsig normalize gives byte-identical outputs at 1, 2 and 8 threads (VST, ComBat, TMM/logCPM, reference JSON).
source "$SRC/tests/lib.sh"
COUNTS="$SHARED_DATA/tb_hiv/TB_hiv_counts.tsv"
[ -f "$COUNTS" ] || fail "missing $COUNTS"
{ printf 'sample\tbatch\n'; head -1 "$COUNTS" | tr '\t' '\n' | tail -n +2 | awk '{print $1 "\t" substr($1, 1, 3)}'; } \
  >"$WORK/samples.tsv"
for t in 1 2 8; do
  "$IFNSIG" -q normalize -i "$COUNTS" --method ratio --transform vst -T $t -o "$WORK/vst.$t.tsv" \
    --factors "$WORK/vst_f.$t.tsv"
  "$IFNSIG" -q normalize -i "$COUNTS" --samples "$WORK/samples.tsv" --method tmm --transform logcpm --batch batch \
    -T $t -o "$WORK/combat.$t.tsv" --save-reference "$WORK/combat.$t.json"
  sed -i '/"command_line"/d; /"checksum"/d' "$WORK/combat.$t.json"  # both differ with the command line
done
for f in vst vst_f combat; do
  cmp "$WORK/$f.1.tsv" "$WORK/$f.2.tsv" && cmp "$WORK/$f.1.tsv" "$WORK/$f.8.tsv" || fail "$f differs across thread counts"
done
cmp "$WORK/combat.1.json" "$WORK/combat.8.json" || fail "reference JSON differs across thread counts"
echo "normalize outputs identical at 1, 2 and 8 threads"
