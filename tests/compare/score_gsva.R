# Reference side of score_gsva.sh: GSVA 1.46 (Bioconductor) and singscore's published definition on the
# same logCPM matrix that ifnsig scores. Usage: Rscript score_gsva.R COUNTS.tsv GMT OUTDIR
suppressPackageStartupMessages(library(GSVA))
args <- commandArgs(trailingOnly = TRUE)
counts <- as.matrix(read.delim(args[1], row.names = 1, check.names = FALSE))
gmt <- strsplit(readLines(args[2]), "\t")
sets <- setNames(lapply(gmt, function(x) x[-(1:2)]), vapply(gmt, `[`, "", 1))
out <- args[3]

# logCPM by a simple formula; written with 17 significant digits so both tools read the same numbers.
cpm <- t(t(counts) / colSums(counts)) * 1e6
logcpm <- log2(cpm + 1)
write.table(data.frame(gene_id = rownames(logcpm), formatC(logcpm, digits = 17, format = "g"), check.names = FALSE),
            file.path(out, "logcpm.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)

long <- function(scores, method) {
  data.frame(panel = rep(rownames(scores), ncol(scores)), method = method,
             sample = rep(colnames(scores), each = nrow(scores)), score = sprintf("%.17g", as.vector(scores)))
}
run <- function(x, ...) gsva(x, sets, verbose = FALSE, parallel.sz = 1, ...)
res <- rbind(
  long(run(logcpm, method = "gsva", kcdf = "Gaussian"), "gsva_gaussian"),
  long(run(logcpm, method = "gsva", kcdf = "Gaussian", mx.diff = FALSE), "gsva_gaussian_nomxdiff"),
  long(run(counts, method = "gsva", kcdf = "Poisson"), "gsva_poisson"),
  long(run(logcpm, method = "ssgsea", ssgsea.norm = TRUE), "ssgsea_norm"),
  long(run(logcpm, method = "ssgsea", ssgsea.norm = FALSE), "ssgsea"),
  long(run(logcpm, method = "zscore"), "zscore"),
  long(run(logcpm, method = "plage"), "plage"))

# singscore (Foroutan 2018) by its published definition: ranks with ties "min", centred up-set score.
ranks <- apply(logcpm, 2, rank, ties.method = "min")
sing <- t(vapply(sets, function(s) {
  s <- intersect(s, rownames(ranks)); k <- length(s); n <- nrow(ranks)
  (colMeans(ranks[s, , drop = FALSE]) - (k + 1) / 2) / ((2 * n - k + 1) / 2 - (k + 1) / 2) - 0.5
}, numeric(ncol(ranks))))
res <- rbind(res, long(sing, "singscore"))
write.table(res, file.path(out, "r_scores.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
