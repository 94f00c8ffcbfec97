# Writes a seeded negative-binomial count matrix (genes x samples) and a sample sheet with 4 batches.
# Usage: Rscript generate.R N_GENES N_SAMPLES OUTDIR
args <- commandArgs(trailingOnly = TRUE)
n_genes <- as.integer(args[1]); n_samples <- as.integer(args[2]); out <- args[3]
set.seed(7)
mu <- exp(rnorm(n_genes, mean = 3, sd = 2))
size <- 1 / (0.05 + 2 / (mu + 1))
depth <- exp(rnorm(n_samples, 0, 0.3))
batch <- paste0("batch", (seq_len(n_samples) - 1) %% 4 + 1)
shift <- matrix(rnorm(n_genes * 4, 0, 0.2), n_genes, 4)
samples <- sprintf("S%04d", seq_len(n_samples))
con <- file(file.path(out, "counts.tsv"), "w")
writeLines(paste(c("gene_id", samples), collapse = "\t"), con)
chunk <- 2000
for (first in seq(1, n_genes, by = chunk)) {
  rows <- first:min(n_genes, first + chunk - 1)
  b <- as.integer(sub("batch", "", batch))
  m <- outer(mu[rows], depth) * exp(shift[rows, b, drop = FALSE])
  counts <- matrix(rnbinom(length(m), mu = m, size = size[rows]), nrow = length(rows))
  writeLines(paste(sprintf("G%06d", rows), apply(counts, 1, paste, collapse = "\t"), sep = "\t"), con)
}
close(con)
write.table(data.frame(sample = samples, batch = batch), file.path(out, "samples.tsv"), sep = "\t", quote = FALSE,
            row.names = FALSE)
