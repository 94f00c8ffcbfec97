# R side of the tximport comparison (quant_tximport.sh): tximport 1.26 and DESeq2 1.38 on salmon quant.sf files.
# Usage: Rscript quant_tximport.R DIR OUT
# DIR holds samples.txt, tx2gene.tsv and DIR/<sample>/quant.sf. For each countsFromAbundance mode OUT/<mode>/ gets
# txi's counts.tsv, abundance.tsv and length.tsv, and, after DESeqDataSetFromTximport(txi, ~1):
# estimateSizeFactors's normalized counts (normalized.tsv), its size factors (factors.tsv: sizeFactors(dds), or for
# "no", where DESeq2 stores normalization factors from avgTxLength instead, the size factors estimateNormFactors
# computes inside: estimateSizeFactorsForMatrix(counts / nm)), normalizationFactors (norm_factors.tsv, "no" only),
# varianceStabilizingTransformation(dds, blind = TRUE) (vst.tsv) and, for "no", the normalized counts of
# estimateSizeFactors(type = "poscounts") (normalized_poscounts.tsv).
suppressPackageStartupMessages({
  library(tximport)
  library(DESeq2)
})
options(digits = 17)
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
out <- args[2]
samples <- readLines(file.path(dir, "samples.txt"))
files <- file.path(dir, samples, "quant.sf")
names(files) <- samples
tx2gene <- read.delim(file.path(dir, "tx2gene.tsv"), header = FALSE, colClasses = "character")[, 1:2]

write_matrix <- function(m, path) {
  write.table(data.frame(gene_id = rownames(m), m, check.names = FALSE), path, sep = "\t", quote = FALSE,
              row.names = FALSE)
}
write_factors <- function(f, path) {
  write.table(data.frame(sample = names(f), factor = f), path, sep = "\t", quote = FALSE, row.names = FALSE)
}

col_data <- data.frame(row.names = samples, one = rep(1, length(samples)))
for (mode in c("no", "scaledTPM", "lengthScaledTPM")) {
  dest <- file.path(out, mode)
  dir.create(dest, recursive = TRUE, showWarnings = FALSE)
  txi <- tximport(files, type = "salmon", tx2gene = tx2gene, countsFromAbundance = mode)
  write_matrix(txi$counts, file.path(dest, "counts.tsv"))
  write_matrix(txi$abundance, file.path(dest, "abundance.tsv"))
  write_matrix(txi$length, file.path(dest, "length.tsv"))
  dds <- DESeqDataSetFromTximport(txi, col_data, ~1)
  write_matrix(counts(dds), file.path(dest, "rounded.tsv"))
  dds <- estimateSizeFactors(dds)
  write_matrix(counts(dds, normalized = TRUE), file.path(dest, "normalized.tsv"))
  if (mode == "no") {
    stopifnot(is.null(sizeFactors(dds)), !is.null(normalizationFactors(dds)))
    nm <- assays(dds)[["avgTxLength"]]
    nm <- nm / exp(rowMeans(log(nm)))
    write_factors(estimateSizeFactorsForMatrix(counts(dds) / nm), file.path(dest, "factors.tsv"))
    write_matrix(normalizationFactors(dds), file.path(dest, "norm_factors.tsv"))
  } else {
    write_factors(sizeFactors(dds), file.path(dest, "factors.tsv"))
  }
  vsd <- varianceStabilizingTransformation(dds, blind = TRUE)
  if (mode == "no") {  # type = "poscounts": geometric means of the counts themselves, size factors centered
    pos <- estimateSizeFactors(dds, type = "poscounts")
    write_matrix(counts(pos, normalized = TRUE), file.path(dest, "normalized_poscounts.tsv"))
  }
  write_matrix(assay(vsd), file.path(dest, "vst.tsv"))
}

# kallisto abundance.tsv and RSEM isoforms.results holding the same numbers (quant_tximport.sh writes them from the
# quant.sf files, next to DIR): tximport's type = "kallisto" (lengthScaledTPM) and type = "rsem" with txIn (no).
kallisto <- file.path(dirname(dir), "kallisto", samples, "abundance.tsv")
names(kallisto) <- samples
txi <- tximport(kallisto, type = "kallisto", tx2gene = tx2gene, countsFromAbundance = "lengthScaledTPM")
dir.create(file.path(out, "kallisto"), showWarnings = FALSE)
for (table in c("counts", "abundance", "length")) write_matrix(txi[[table]], file.path(out, "kallisto", paste0(table, ".tsv")))
rsem <- file.path(dirname(dir), "rsem", paste0(samples, ".isoforms.results"))
names(rsem) <- samples
txi <- tximport(rsem, type = "rsem", txIn = TRUE, txOut = FALSE, tx2gene = tx2gene)
dir.create(file.path(out, "rsem"), showWarnings = FALSE)
for (table in c("counts", "abundance", "length")) write_matrix(txi[[table]], file.path(out, "rsem", paste0(table, ".tsv")))
# RSEM genes.results of the same estimates (txIn = FALSE: gene-level, countsFromAbundance "no"), then
# DESeqDataSetFromTximport: normalization factors from the effective lengths, and the normalized counts.
rsem_genes <- file.path(dirname(dir), "rsem_genes", paste0(samples, ".genes.results"))
names(rsem_genes) <- samples
txi <- tximport(rsem_genes, type = "rsem", txIn = FALSE, txOut = FALSE)
dest <- file.path(out, "rsem_genes")
dir.create(dest, showWarnings = FALSE)
for (table in c("counts", "abundance", "length")) write_matrix(txi[[table]], file.path(dest, paste0(table, ".tsv")))
dds <- estimateSizeFactors(DESeqDataSetFromTximport(txi, col_data, ~1))
nm <- assays(dds)[["avgTxLength"]]
nm <- nm / exp(rowMeans(log(nm)))
write_factors(estimateSizeFactorsForMatrix(counts(dds) / nm), file.path(dest, "factors.tsv"))
write_matrix(counts(dds, normalized = TRUE), file.path(dest, "normalized.tsv"))
