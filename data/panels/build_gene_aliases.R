#!/usr/bin/env Rscript
# Writes the gene alias table gene_aliases.tsv.gz beside this script, then fills the aliases (3rd) and ids (4th)
# fields of every gene line of the built-in panels from it, so that panels and user gene sets match matrices
# whose annotation uses older or newer symbols (WARS <-> WARS1, DDX58 <-> RIGI) or Entrez / Ensembl ids.
# Source: Bioconductor's org.Hs.eg.db (Debian package r-bioc-org.hs.eg.db): every Entrez gene with its current
# symbol, its aliases (Entrez Gene's synonyms, which include HGNC previous symbols; the two are not told apart
# there) and its Ensembl gene ids. Run from anywhere: Rscript data/panels/build_gene_aliases.R
#
# A panel gene is looked up by its symbol as a current symbol, else as the alias of exactly one gene, else by
# its hand-written aliases the same way. Its aliases field then lists the gene's current symbol (when the panel
# symbol is not it), then the gene's aliases that name no other gene (neither another gene's current symbol
# nor another gene's alias), then hand-written aliases the table does not give; its ids field the Entrez id and
# the Ensembl ids. ifnsig applies the same rule when it matches (src/score/gene_aliases.cpp).
suppressMessages(library(org.Hs.eg.db))
dir <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))))
meta <- metadata(org.Hs.eg.db)
meta_value <- function(name) meta$value[meta$name == name]
provenance <- sprintf("org.Hs.eg.db %s (Entrez Gene %s, Ensembl %s) by data/panels/build_gene_aliases.R",
                      packageVersion("org.Hs.eg.db"), meta_value("EGSOURCEDATE"), meta_value("ENSOURCEDATE"))

symbol <- toTable(org.Hs.egSYMBOL)        # gene_id, symbol
alias <- toTable(org.Hs.egALIAS2EG)       # gene_id, alias_symbol
ensembl <- toTable(org.Hs.egENSEMBL)      # gene_id, ensembl_id
symbol <- symbol[order(symbol$symbol, as.integer(symbol$gene_id)), ]
aliases_of <- split(alias$alias_symbol, alias$gene_id)
ensembl_of <- split(ensembl$ensembl_id, ensembl$gene_id)
symbol_of <- setNames(symbol$symbol, symbol$gene_id)
sorted_unique <- function(x) if (is.null(x)) character() else sort(unique(x), method = "radix")
gene_aliases <- lapply(symbol$gene_id, function(id) setdiff(sorted_unique(aliases_of[[id]]), symbol_of[[id]]))
names(gene_aliases) <- symbol$gene_id

table_file <- file.path(dir, "gene_aliases.tsv.gz")
out <- gzcon(file(table_file, "wb"))
writeLines(c("#ifnsig-gene-aliases\t1",
             paste0("# source\t", provenance),
             "# columns\tsymbol: current symbol; entrez_id; aliases: Entrez Gene synonyms (HGNC previous symbols and aliases); ensembl_ids",
             "symbol\tentrez_id\taliases\tensembl_ids",
             paste(symbol$symbol, symbol$gene_id,
                   vapply(gene_aliases, paste, "", collapse = ","),
                   vapply(symbol$gene_id, function(id) paste(sorted_unique(ensembl_of[[id]]), collapse = ","), ""),
                   sep = "\t")),
           out)
close(out)

# The genes each name stands for: the genes whose current symbol it is (Entrez Gene gives a few symbols, such as
# HBD or TEC, to two genes), else every gene that has it as an alias.
current <- split(symbol$gene_id, symbol$symbol)
alias_genes <- split(alias$gene_id, alias$alias_symbol)
genes_named <- function(name) {
  if (!is.null(current[[name]])) return(current[[name]])
  unique(alias_genes[[name]])
}

source_line <- paste0("# aliases and ids\tfrom ", provenance)
for (file in list.files(dir, pattern = "\\.tsv$", full.names = TRUE)) {
  lines <- readLines(file)
  lines <- lines[!startsWith(lines, "# ids\t") & !startsWith(lines, "# aliases and ids\t")]
  for (i in which(startsWith(lines, "gene\t"))) {
    fields <- strsplit(lines[i], "\t", fixed = TRUE)[[1]]
    written <- if (length(fields) >= 3 && nzchar(fields[3])) strsplit(fields[3], ",", fixed = TRUE)[[1]] else character()
    gene <- NA_character_
    for (name in c(fields[2], written)) {
      candidates <- genes_named(name)
      if (length(candidates) == 1) {
        gene <- candidates
        break
      }
    }
    aliases <- character()
    ids <- character()
    if (!is.na(gene)) {
      names_only_this_gene <- Filter(function(a) identical(genes_named(a), gene), gene_aliases[[gene]])
      aliases <- c(symbol_of[[gene]], names_only_this_gene)
      ids <- c(gene, sorted_unique(ensembl_of[[gene]]))
    } else {
      message(basename(file), ": ", fields[2], " is no gene of the table (or names several)")
    }
    aliases <- unique(c(aliases, written))
    aliases <- aliases[aliases != fields[2]]
    lines[i] <- paste(c("gene", fields[2], paste(aliases, collapse = ","), paste(ids, collapse = ",")), collapse = "\t")
  }
  first_gene <- which(startsWith(lines, "gene\t"))[1]
  lines <- append(lines, source_line, after = first_gene - 1)
  writeLines(lines, file)
}
