# DESeq2's VST on a realistic large cohort, with every stage of the dispersion fit written out, to compare
# ifnsig's VST with DESeq2's at scale (hundreds to thousands of samples).
#
# Usage: Rscript norm_vst_scale.R COUNTS OUTDIR (COUNTS as scale_cohort.R writes them)
#
# Writes to OUTDIR:
#   size_factors.tsv      sample, factor
#   genes.tsv             per non-zero gene: baseMean, baseVar, muhat (linearModelMu, the mean fitDisp sees
#                         before the size factors), roughDisp, momentsDisp, alpha_init, initial_lp, last_lp,
#                         line-search log alpha and iterations, dispGeneEst, dispGeneIter, grid refit, useForFit
#   trend.tsv             each round of parametricDispersionFit: asymptDisp, extraPois, glm iterations,
#                         glm converged, number of genes used
#   coefficients.tsv      DESeq2's final trend coefficients, of the full fit (vst_full) and of vst() (vst_sub)
#   vst_full.tsv          varianceStabilizingTransformation(dds, blind = TRUE)
#   vst_sub.tsv           vst(dds, blind = TRUE)
# Numbers are written with 17 significant digits.
suppressPackageStartupMessages(library(DESeq2))
args <- commandArgs(trailingOnly = TRUE)
out <- args[2]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
say <- function(...) {  # with the elapsed and CPU seconds so far
  t <- proc.time()
  message(sprintf("[%6.1f s, CPU %6.1f s] ", t[["elapsed"]], t[["user.self"]] + t[["sys.self"]]), ...)
}
num <- function(x) sprintf("%.17g", x)
write_tsv <- function(df, name) {
  for (k in seq_along(df)) if (is.double(df[[k]])) df[[k]] <- num(df[[k]])
  write.table(df, file.path(out, name), sep = "\t", quote = FALSE, row.names = FALSE)
}
write_matrix <- function(m, name) {  # genes x samples, 17 digits, in chunks of rows
  con <- file(file.path(out, name), "w")
  writeLines(paste(c("gene_id", colnames(m)), collapse = "\t"), con)
  for (first in seq(1, nrow(m), by = 1000)) {
    rows <- first:min(nrow(m), first + 999)
    cells <- matrix(num(m[rows, , drop = FALSE]), nrow = length(rows))
    writeLines(paste(rownames(m)[rows], apply(cells, 1, paste, collapse = "\t"), sep = "\t"), con)
  }
  close(con)
}

counts <- as.matrix(read.delim(args[1], row.names = 1, check.names = FALSE))
say("cohort: ", nrow(counts), " genes x ", ncol(counts), " samples")

# --- DESeq2, stage by stage (what varianceStabilizingTransformation(blind = TRUE) runs) ---
dds <- DESeqDataSetFromMatrix(counts, data.frame(row.names = colnames(counts)), ~1)
dds <- estimateSizeFactors(dds)
write_tsv(data.frame(sample = colnames(dds), factor = sizeFactors(dds)), "size_factors.tsv")
# fitDisp's results (iterations, initial and last log posterior, log alpha) as estimateDispersionsGeneEst
# receives them.
fit_disp <- NULL
trace("fitDispWrapper", where = asNamespace("DESeq2"), print = FALSE,
      exit = quote(assign("fit_disp", returnValue(), envir = globalenv())))
dds <- estimateDispersionsGeneEst(dds, quiet = TRUE)
untrace("fitDispWrapper", where = asNamespace("DESeq2"))
say("gene-wise dispersions")
nz <- !mcols(dds)$allZero
normalized <- counts(dds, normalized = TRUE)[nz, , drop = FALSE]
x <- model.matrix(~1, data.frame(row.names = colnames(dds)))
muhat <- DESeq2:::linearModelMu(normalized, x)[, 1]
rough <- DESeq2:::roughDispEstimate(normalized, x)
moments <- DESeq2:::momentsDispEstimate(dds[nz, ])
max_disp <- max(10, ncol(dds))
alpha_init <- pmin(pmax(1e-8, pmin(rough, moments)), max_disp)
gene_est <- mcols(dds)$dispGeneEst[nz]
line_search <- pmin(exp(fit_disp$log_alpha), max_disp)
no_increase <- fit_disp$last_lp < fit_disp$initial_lp + abs(fit_disp$initial_lp) / 1e6
converged <- fit_disp$iter < 100 & fit_disp$iter != 1
grid <- !converged & ifelse(no_increase, alpha_init, line_search) > 1e-7
use_for_fit <- gene_est > 100 * 1e-8
write_tsv(data.frame(gene_id = rownames(dds)[nz], baseMean = mcols(dds)$baseMean[nz], baseVar = mcols(dds)$baseVar[nz],
                     muhat = muhat, roughDisp = rough, momentsDisp = moments, alpha_init = alpha_init,
                     initial_lp = fit_disp$initial_lp, last_lp = fit_disp$last_lp, log_alpha = fit_disp$log_alpha,
                     iter = fit_disp$iter, no_increase = as.integer(no_increase), grid = as.integer(grid),
                     dispGeneEst = gene_est, dispGeneIter = mcols(dds)$dispGeneIter[nz],
                     useForFit = as.integer(use_for_fit)), "genes.tsv")

# parametricDispersionFit, round by round.
means <- mcols(dds)$baseMean[nz][use_for_fit]; disps <- gene_est[use_for_fit]
coefs <- c(0.1, 1); rounds <- list()
for (round in 0:10) {
  residuals <- disps / (coefs[1] + coefs[2] / means)
  good <- which(residuals > 1e-4 & residuals < 15)
  fit <- suppressWarnings(glm(disps[good] ~ I(1 / means[good]), family = Gamma(link = "identity"), start = coefs))
  old <- coefs; coefs <- coefficients(fit)
  rounds[[length(rounds) + 1]] <- data.frame(round = round, genes = length(good), asymptDisp = coefs[[1]],
                                             extraPois = coefs[[2]], glm_iter = fit$iter,
                                             glm_converged = as.integer(fit$converged), deviance = fit$deviance)
  if (!all(coefs > 0) || (sum(log(coefs / old)^2) < 1e-6 && fit$converged)) break
}
write_tsv(do.call(rbind, rounds), "trend.tsv")
dds <- estimateDispersionsFit(dds, quiet = TRUE)
coef_full <- attr(dispersionFunction(dds), "coefficients")
write_matrix(getVarianceStabilizedData(dds), "vst_full.tsv")
say("VST (trend ", num(coef_full[1]), ", ", num(coef_full[2]), ")")

# vst(): its trend from 1,000 genes (as DESeq2's vst() picks them), then the transformation itself.
base_mean <- rowMeans(counts(dds, normalized = TRUE))
high <- dds[base_mean > 5, ]
sub <- high[order(base_mean[base_mean > 5])[round(seq(from = 1, to = sum(base_mean > 5), length = 1000))], ]
sub <- estimateDispersionsFit(estimateDispersionsGeneEst(sub, quiet = TRUE), quiet = TRUE)
coef_sub <- attr(dispersionFunction(sub), "coefficients")
write_matrix(assay(vst(dds, blind = TRUE)), "vst_sub.tsv")
write_tsv(data.frame(fit = c("vst_full", "vst_sub"), asymptDisp = c(coef_full[[1]], coef_sub[[1]]),
                     extraPois = c(coef_full[[2]], coef_sub[[2]])), "coefficients.tsv")
say("vst() (trend ", num(coef_sub[1]), ", ", num(coef_sub[2]), ")")
