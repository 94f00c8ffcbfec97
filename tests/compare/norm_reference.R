# R side of the normalize comparison: writes DESeq2/edgeR/sva results for one count matrix.
# Usage: Rscript norm_reference.R example|tb|fallback OUTDIR [TB_COUNTS TB_COLDATA]
# "fallback" is a seeded matrix whose dispersions grow with the mean, so that DESeq2's parametric trend
# fails and DESeq2 substitutes its local (locfit) trend; the script stops unless DESeq2 says so.
suppressPackageStartupMessages({ library(DESeq2); library(edgeR); library(sva) })
args <- commandArgs(trailingOnly = TRUE)
mode <- args[1]; out <- args[2]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
wtsv <- function(m, name) {
  df <- data.frame(gene_id = rownames(m), m, check.names = FALSE)
  write.table(df, file.path(out, name), sep = "\t", quote = FALSE, row.names = FALSE)
}
wfac <- function(f, name) {
  write.table(data.frame(sample = names(f), factor = f), file.path(out, name), sep = "\t", quote = FALSE,
              row.names = FALSE)
}
options(digits = 17)
# Runs `expr`, recording DESeq2's messages; stops unless it announced the local-trend fallback.
with_local_fallback <- function(expr) {
  notes <- character()
  value <- withCallingHandlers(expr, message = function(m) {
    notes <<- c(notes, conditionMessage(m))
    invokeRestart("muffleMessage")
  })
  if (!any(grepl("local regression fit was automatically substituted", notes))) {
    stop("DESeq2 did not fall back to the local dispersion trend")
  }
  value
}
if (mode == "fallback") {
  set.seed(4)
  counts <- counts(makeExampleDESeqDataSet(n = 3000, m = 12, dispMeanRel = function(x) 1e-3 * x))
  colnames(counts) <- paste0("s", seq_len(ncol(counts)))
  write.table(data.frame(gene_id = rownames(counts), counts, check.names = FALSE), file.path(out, "counts.tsv"),
              sep = "\t", quote = FALSE, row.names = FALSE)
  dds <- DESeqDataSetFromMatrix(counts, data.frame(row.names = colnames(counts)), ~1)
  wtsv(with_local_fallback(assay(varianceStabilizingTransformation(dds, blind = TRUE))), "vst_full.tsv")
  wtsv(with_local_fallback(vst(counts)), "vst_sub.tsv")
  quit(save = "no")
}
if (mode == "example") {
  set.seed(20240611)
  dds <- makeExampleDESeqDataSet(n = 4000, m = 20)
  counts <- counts(dds)
  colnames(counts) <- paste0("s", seq_len(ncol(counts)))
  lengths <- sample(300:12000, nrow(counts), replace = TRUE)
  sheet <- data.frame(sample = colnames(counts), batch = rep(c("b1", "b2", "b3", "b4"), 5),
                      group = as.character(colData(dds)$condition))
  mat <- data.frame(gene_id = rownames(counts), length = lengths, counts, check.names = FALSE)
  write.table(mat, file.path(out, "counts.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
} else {
  counts <- as.matrix(read.delim(args[3], row.names = 1, check.names = FALSE))
  coldata <- read.delim(args[4])
  sheet <- data.frame(sample = colnames(counts), batch = substr(colnames(counts), 1, 3),
                      group = coldata$Disease[match(colnames(counts), coldata$sample)])
  lengths <- NULL
}
write.table(sheet, file.path(out, "samples.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)

# DESeq2 size factors through the DESeqDataSet method (poscounts is re-centered there).
dds <- DESeqDataSetFromMatrix(counts, data.frame(row.names = colnames(counts)), ~1)
dds_ratio <- estimateSizeFactors(dds)
wfac(sizeFactors(dds_ratio), "factors_ratio.tsv")
wfac(sizeFactors(estimateSizeFactors(dds, type = "poscounts")), "factors_poscounts.tsv")
writeLines(rownames(counts)[seq(1, nrow(counts), by = 7)], file.path(out, "control_genes.txt"))
wfac(sizeFactors(estimateSizeFactors(dds, controlGenes = seq(1, nrow(counts), by = 7))), "factors_control.tsv")
for (m in c("TMM", "TMMwsp", "upperquartile", "RLE")) {
  wfac(calcNormFactors(counts, method = m), paste0("factors_", tolower(m), ".tsv"))
}
y <- calcNormFactors(DGEList(counts), method = "TMM")
wtsv(cpm(y), "cpm_tmm.tsv")
logcpm <- cpm(y, log = TRUE, prior.count = 2)
wtsv(logcpm, "logcpm_tmm.tsv")
wtsv(counts(dds_ratio, normalized = TRUE), "counts_ratio.tsv")
if (!is.null(lengths)) {
  rate <- counts / lengths
  wtsv(t(t(rate) / colSums(rate)) * 1e6, "tpm.tsv")
}
wtsv(assay(varianceStabilizingTransformation(dds, blind = TRUE)), "vst_full.tsv")
wtsv(vst(counts), "vst_sub.tsv")
wtsv(assay(varianceStabilizingTransformation(dds, blind = TRUE, fitType = "local")), "vst_local.tsv")
wtsv(vst(counts, fitType = "local"), "vst_sub_local.tsv")

# ComBat on TMM logCPM.
batch <- sheet$batch
if (mode == "example") {
  mod <- model.matrix(~group, data = sheet)
  wtsv(ComBat(logcpm, batch, mod = mod), "combat_param.tsv")
  wtsv(suppressMessages(ComBat(logcpm, batch, mod = mod, mean.only = TRUE)), "combat_meanonly.tsv")
  sub <- logcpm[seq_len(800), ]
  write.table(data.frame(gene_id = rownames(sub), sub, check.names = FALSE), file.path(out, "logcpm_sub.tsv"),
              sep = "\t", quote = FALSE, row.names = FALSE)
  wtsv(ComBat(sub, batch, mod = mod, par.prior = FALSE), "combat_nonparam.tsv")
} else {
  wtsv(ComBat(logcpm, batch), "combat_param.tsv")
}
