# R counterparts of a frozen reference applied to held-out samples (see docs/normalize.md).
# Usage: Rscript norm_frozen.R REF.tsv HELD.tsv SHEET.tsv TMM_REF_SAMPLE OUTDIR
suppressPackageStartupMessages({ library(DESeq2); library(edgeR); library(sva) })
args <- commandArgs(trailingOnly = TRUE)
read_counts <- function(path) as.matrix(read.delim(path, row.names = 1, check.names = FALSE))
ref <- read_counts(args[1]); held <- read_counts(args[2]); sheet <- read.delim(args[3])
ref_sample <- args[4]; out <- args[5]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
wtsv <- function(m, name) {
  write.table(data.frame(gene_id = rownames(m), m, check.names = FALSE), file.path(out, name), sep = "\t",
              quote = FALSE, row.names = FALSE)
}
wfac <- function(f, name) {
  write.table(data.frame(sample = names(f), factor = f), file.path(out, name), sep = "\t", quote = FALSE,
              row.names = FALSE)
}
both <- cbind(ref, held)

# DESeq2: size factors from the reference's geometric means (estimateSizeFactors(geoMeans=)), rescaled
# so that the reference samples keep their in-cohort size factors; VST with the reference's
# dispersionFunction (blind=FALSE), DESeq2's documented way to transform new samples.
dds_ref <- estimateSizeFactors(DESeqDataSetFromMatrix(ref, data.frame(row.names = colnames(ref)), ~1))
sf_ref <- sizeFactors(dds_ref)
with_gm <- estimateSizeFactorsForMatrix(both, geoMeans = exp(rowMeans(log(ref))))
sf_held <- with_gm[colnames(held)] * exp(mean(log(sf_ref / with_gm[colnames(ref)])))
wfac(sf_held, "held_ratio_factors.tsv")
dds_ref <- estimateDispersionsFit(estimateDispersionsGeneEst(dds_ref, quiet = TRUE), quiet = TRUE)
dds_held <- DESeqDataSetFromMatrix(held, data.frame(row.names = colnames(held)), ~1)
sizeFactors(dds_held) <- sf_held
dispersionFunction(dds_held) <- dispersionFunction(dds_ref)
wtsv(assay(varianceStabilizingTransformation(dds_held, blind = FALSE)), "held_vst.tsv")

# edgeR: TMM against the reference's reference column, rescaled to the reference's in-cohort factors;
# logCPM with the prior count scaled by the reference's mean effective library size.
nf_ref <- calcNormFactors(ref, method = "TMM")
nf_both <- calcNormFactors(both, method = "TMM", refColumn = which(colnames(both) == ref_sample))
nf_held <- nf_both[colnames(held)] * exp(mean(log(nf_ref / nf_both[colnames(ref)])))
wfac(nf_held, "held_tmm_factors.tsv")
lib_ref <- colSums(ref) * nf_ref
lib_held <- colSums(held) * nf_held
logcpm_held <- sapply(colnames(held), function(s) {
  cpm(held[, s, drop = FALSE], lib.size = lib_held[s], log = TRUE, prior.count = 2 * lib_held[s] / mean(lib_ref))
})
rownames(logcpm_held) <- rownames(held)
wtsv(logcpm_held, "held_logcpm.tsv")

# sva: ComBat inside the reference cohort.
logcpm_ref <- cpm(calcNormFactors(DGEList(ref), method = "TMM"), log = TRUE)
wtsv(ComBat(logcpm_ref, sheet$batch[match(colnames(ref), sheet$sample)]), "ref_combat.tsv")
