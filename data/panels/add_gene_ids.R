#!/usr/bin/env Rscript
# Fills the ids field (4th) of every gene line of the built-in panels with the gene's Entrez Gene id and its
# Ensembl gene ids, so that matrices keyed by Entrez or Ensembl ids match the panels without a --gene-map.
# Source: Bioconductor's org.Hs.eg.db (Debian package r-bioc-org.hs.eg.db), looked up by the panel symbol as
# an official symbol, else by its aliases in order. Run from anywhere: Rscript data/panels/add_gene_ids.R
suppressMessages(library(org.Hs.eg.db))
dir <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))))
meta <- metadata(org.Hs.eg.db)
source_line <- sprintf("# ids\tEntrez Gene and Ensembl gene ids from org.Hs.eg.db %s (Entrez Gene %s) by data/panels/add_gene_ids.R",
                       packageVersion("org.Hs.eg.db"), meta$value[meta$name == "EGSOURCEDATE"])
symbols <- keys(org.Hs.eg.db, "SYMBOL")
entrez_of <- function(symbol) {
  if (!symbol %in% symbols) return(NA_character_)
  unname(suppressMessages(mapIds(org.Hs.eg.db, symbol, "ENTREZID", "SYMBOL")))
}
for (file in list.files(dir, pattern = "\\.tsv$", full.names = TRUE)) {
  lines <- readLines(file)
  lines <- lines[!startsWith(lines, "# ids\t")]
  for (i in which(startsWith(lines, "gene\t"))) {
    fields <- strsplit(lines[i], "\t", fixed = TRUE)[[1]]
    aliases <- if (length(fields) >= 3 && nzchar(fields[3])) strsplit(fields[3], ",", fixed = TRUE)[[1]] else character()
    entrez <- NA_character_
    for (name in c(fields[2], aliases)) {
      entrez <- entrez_of(name)
      if (!is.na(entrez)) break
    }
    ids <- character()
    if (!is.na(entrez)) {
      ensembl <- suppressMessages(mapIds(org.Hs.eg.db, entrez, "ENSEMBL", "ENTREZID", multiVals = "list"))[[1]]
      ids <- c(entrez, sort(ensembl[!is.na(ensembl)]))
    } else {
      message(basename(file), ": no Entrez id for ", fields[2])
    }
    lines[i] <- paste(c("gene", fields[2], paste(aliases, collapse = ","), paste(ids, collapse = ",")), collapse = "\t")
  }
  first_gene <- which(startsWith(lines, "gene\t"))[1]
  lines <- append(lines, source_line, after = first_gene - 1)
  writeLines(lines, file)
}
