# edgeR 3.40, sva 3.46 and GSVA 1.46 on a large cohort (cohort_scale.sh): TMM factors and logCPM of the
# whole cohort, ComBat across its batches keeping its group, and every GSVA method on the first GSVA_N
# samples of the TMM logCPM.
#
# Usage: Rscript scale_reference.R COUNTS SAMPLES GMT GSVA_N OUTDIR
#
# Writes to OUTDIR (17 significant digits): factors_tmm.tsv (sample, factor), logcpm_tmm.tsv, combat.tsv,
# logcpm_gsva.tsv (the GSVA input, GSVA_N samples) and gsva_scores.tsv (panel, method, sample, score).
suppressPackageStartupMessages({ library(edgeR); library(sva); library(GSVA) })
args <- commandArgs(trailingOnly = TRUE)
counts <- as.matrix(read.delim(args[1], row.names = 1, check.names = FALSE))
sheet <- read.delim(args[2])
gmt <- strsplit(readLines(args[3]), "\t")
sets <- setNames(lapply(gmt, function(x) x[-(1:2)]), vapply(gmt, `[`, "", 1))
gsva_n <- as.integer(args[4]); out <- args[5]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
say <- function(...) message(sprintf("[%6.1f s] ", proc.time()[["elapsed"]]), ...)
wtsv <- function(m, name) {
  write.table(data.frame(gene_id = rownames(m), formatC(m, digits = 17, format = "g"), check.names = FALSE),
              file.path(out, name), sep = "\t", quote = FALSE, row.names = FALSE)
}

y <- calcNormFactors(DGEList(counts), method = "TMM")
write.table(data.frame(sample = colnames(counts), factor = sprintf("%.17g", y$samples$norm.factors)),
            file.path(out, "factors_tmm.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
logcpm <- cpm(y, log = TRUE, prior.count = 2)
wtsv(logcpm, "logcpm_tmm.tsv")
say("edgeR")
sheet <- sheet[match(colnames(counts), sheet$sample), ]
wtsv(ComBat(logcpm, sheet$batch, mod = model.matrix(~group, data = sheet)), "combat.tsv")
say("ComBat")

x <- logcpm[, seq_len(gsva_n), drop = FALSE]
wtsv(x, "logcpm_gsva.tsv")
long <- function(scores, method) {
  data.frame(panel = rep(rownames(scores), ncol(scores)), method = method,
             sample = rep(colnames(scores), each = nrow(scores)), score = sprintf("%.17g", as.vector(scores)))
}
run <- function(...) gsva(x, sets, verbose = FALSE, parallel.sz = 1, ...)
res <- rbind(long(run(method = "gsva", kcdf = "Gaussian"), "gsva_gaussian"),
             long(run(method = "ssgsea", ssgsea.norm = TRUE), "ssgsea_norm"),
             long(run(method = "zscore"), "zscore"),
             long(run(method = "plage"), "plage"))
write.table(res, file.path(out, "gsva_scores.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
say("GSVA on ", gsva_n, " samples")
