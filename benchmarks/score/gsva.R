# R side of the score benchmark: GSVA 1.46's gsva() or ssgsea on the same matrix and gene sets.
# Usage: Rscript gsva.R EXPR.tsv SETS.gmt METHOD(gsva|ssgsea) THREADS OUT.tsv
suppressPackageStartupMessages({library(GSVA); library(BiocParallel)})
args <- commandArgs(trailingOnly = TRUE)
expr <- as.matrix(read.delim(args[1], row.names = 1, check.names = FALSE))
gmt <- strsplit(readLines(args[2]), "\t")
sets <- setNames(lapply(gmt, function(x) x[-(1:2)]), vapply(gmt, `[`, "", 1))
threads <- as.integer(args[4])
param <- if (threads > 1) MulticoreParam(threads) else SerialParam()
scores <- gsva(expr, sets, method = args[3], kcdf = "Gaussian", verbose = FALSE, BPPARAM = param)
write.table(scores, args[5], sep = "\t", quote = FALSE)
