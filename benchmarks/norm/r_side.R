# The R side of the benchmark: one task, reading and writing included, as a user would run it.
# Usage: Rscript r_side.R TASK COUNTS SAMPLES OUT   (TASK: tmm_logcpm, ratio_vst, combat)
suppressPackageStartupMessages({ library(DESeq2); library(edgeR); library(sva) })
args <- commandArgs(trailingOnly = TRUE)
task <- args[1]
counts <- as.matrix(read.delim(args[2], row.names = 1, check.names = FALSE))
sheet <- read.delim(args[3])
result <- switch(task,
  tmm_logcpm = cpm(calcNormFactors(DGEList(counts), method = "TMM"), log = TRUE),
  ratio_vst = assay(varianceStabilizingTransformation(
    DESeqDataSetFromMatrix(counts, data.frame(row.names = colnames(counts)), ~1), blind = TRUE)),
  combat = ComBat(cpm(calcNormFactors(DGEList(counts), method = "TMM"), log = TRUE), sheet$batch))
write.table(data.frame(gene_id = rownames(result), result, check.names = FALSE), args[4], sep = "\t", quote = FALSE,
            row.names = FALSE)
