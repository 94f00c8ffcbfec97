# A realistic large cohort for the comparisons at scale (cohort_scale.sh), made from the TB/HIV counts.
#
# Usage: Rscript scale_cohort.R N_SAMPLES OUTDIR TB_COUNTS TB_COLDATA [SEED]
#
# The TB/HIV counts (genes x 31 samples) without all-zero genes; each of the N new samples takes a random
# source column (scaled to the geometric mean library size; its disease is the sample's `group`), one of 8
# batches (each batch multiplies every gene's mean by its own log-normal factor, sd 0.15 on the log scale),
# a log-normal library-size factor (sd 0.35) and negative-binomial counts around that mean with the
# mean-dependent dispersion 0.02 + 0.5 / (mean + 0.5); 0.5% of the genes get an outlier (x 10-50) in one to
# three samples.
#
# Writes to OUTDIR: counts.tsv (genes x samples, all-zero genes dropped) and samples.tsv (sample, batch, group).
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[1]); out <- args[2]; source_path <- args[3]; coldata_path <- args[4]
seed <- if (length(args) >= 5) as.integer(args[5]) else 1000L
dir.create(out, showWarnings = FALSE, recursive = TRUE)

set.seed(seed + n)
src <- as.matrix(read.delim(source_path, row.names = 1, check.names = FALSE))
src <- src[rowSums(src) > 0, , drop = FALSE]
coldata <- read.delim(coldata_path)
lib <- colSums(src)
scaled <- sweep(src, 2, lib / exp(mean(log(lib))), "/")
pick <- sample(ncol(src), n, replace = TRUE)
depth <- exp(rnorm(n, 0, 0.35))
batch <- sample(8, n, replace = TRUE)
batch_effect <- matrix(exp(rnorm(nrow(src) * 8, 0, 0.15)), nrow = nrow(src))
mu <- sweep(scaled[, pick, drop = FALSE] * batch_effect[, batch, drop = FALSE], 2, depth, "*")
counts <- matrix(rnbinom(length(mu), mu = mu, size = 1 / (0.02 + 0.5 / (mu + 0.5))), nrow = nrow(mu))
outlier_genes <- sample(nrow(counts), round(0.005 * nrow(counts)))
for (g in outlier_genes) {
  cols <- sample(n, sample(3, 1))
  counts[g, cols] <- round(counts[g, cols] * runif(length(cols), 10, 50) + runif(length(cols), 0, 20))
}
storage.mode(counts) <- "integer"
dimnames(counts) <- list(rownames(src), sprintf("S%04d", seq_len(n)))
counts <- counts[rowSums(counts) > 0, , drop = FALSE]
write.table(data.frame(gene_id = rownames(counts), counts, check.names = FALSE), file.path(out, "counts.tsv"),
            sep = "\t", quote = FALSE, row.names = FALSE)
write.table(data.frame(sample = colnames(counts), batch = sprintf("b%d", batch),
                       group = coldata$Disease[match(colnames(src)[pick], coldata$sample)]),
            file.path(out, "samples.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
message("cohort: ", nrow(counts), " genes x ", ncol(counts), " samples")
