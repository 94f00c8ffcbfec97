# Every option of featureCounts' usage (Debian package subread) has a row in docs/count.md's option table and
# appears in `ifnsig count --help`, so that a featureCounts option cannot go unlisted; each refused option is
# refused by name, with exit 2, never ignored.
source "$SRC/tests/lib.sh"
need_packages subread
cd "$WORK"

featureCounts >usage.txt 2>&1 || true
grep -oE '^  (-[A-Za-z]|--[A-Za-z0-9]+)' usage.txt | sed 's/^  //' | sort -u >fc_options.txt
[ "$(wc -l <fc_options.txt)" -ge 40 ] || fail "featureCounts' usage gave only $(wc -l <fc_options.txt) options: $(head -3 usage.txt)"

# The table's rows: | `OPTION` | STATUS | RULE |
grep -oE '^\| `-[^`]+` \| [a-z]+ \|' "$SRC/docs/count.md" | sed -E 's/^\| `([^`]+)` \| ([a-z]+) \|/\1 \2/' >table.txt
"$IFNSIG" count --help >help.txt 2>&1 || fail "ifnsig count --help failed: $(cat help.txt)"
missing=()
while read -r option; do
  status=$(awk -v o="$option" '$1 == o {print $2}' table.txt)
  [ -n "$status" ] || { missing+=("$option (docs/count.md)"); continue; }
  case $status in implemented | accepted | refused | differs) ;; *) fail "docs/count.md: $option has status '$status'" ;; esac
  grep -qE "(^|[ ,])$option([ ,=]|$)" help.txt || missing+=("$option (ifnsig count --help)")
done <fc_options.txt
((${#missing[@]} == 0)) || fail "featureCounts options not listed: ${missing[*]}"

# A refused option stops the count by name, before any input is read.
write_reads_sam reads.sam chr1 chr1:110
printf 'GeneID\tChr\tStart\tEnd\tStrand\nA\tchr1\t101\t200\t+\n' >genes.saf
while read -r option status; do
  [ "$status" = refused ] || continue
  value=()
  grep -qE "^  $option <" usage.txt && value=(x)
  expect_failure 2 "$option" "$IFNSIG" count -a genes.saf -F SAF -o out.txt "$option" "${value[@]}" reads.sam
  [ ! -e out.txt ] || fail "$option left an output behind"
done <table.txt
echo "$(wc -l <fc_options.txt) featureCounts options listed"
