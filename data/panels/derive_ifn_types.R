#!/usr/bin/env Rscript
# Derives the type I / type II interferon panels (ifn1_specific.tsv, ifn2_specific.tsv) from lists that are
# confirmed elsewhere, by set rules stated in each file's `derivation` line:
#   ifn1_specific = Chiche M1.2 (the module Chiche 2014 reads as type I) minus every gene of an IFN-gamma
#                   curation (MSigDB Hallmark IFN-gamma response v7.5.1, GO:0071346 with its descendants)
#   ifn2_specific = genes in both IFN-gamma curations minus every gene of a type I curation (Hallmark IFN-alpha
#                   response v7.5.1, GO:0071357 with its descendants, Chiche M1.2)
# Gene ontology from Bioconductor's org.Hs.eg.db (Debian package r-bioc-org.hs.eg.db). Gene lines (symbol,
# aliases, ids) are copied from the source panel files. Run from anywhere: Rscript data/panels/derive_ifn_types.R
suppressMessages(library(org.Hs.eg.db))
dir <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))))
gene_lines <- function(panel) {
  lines <- readLines(file.path(dir, paste0(panel, ".tsv")))
  lines <- lines[startsWith(lines, "gene\t")]
  names(lines) <- vapply(strsplit(lines, "\t", fixed = TRUE), `[`, "", 2)
  lines
}
# Every name of a gene line: its symbol and its aliases (legacy and current symbols).
line_names <- function(line) {
  f <- strsplit(line, "\t", fixed = TRUE)[[1]]
  c(f[2], if (length(f) >= 3 && nzchar(f[3])) strsplit(f[3], ",", fixed = TRUE)[[1]])
}
all_names <- function(lines) unique(unlist(lapply(lines, line_names)))
go_symbols <- function(term) {
  s <- suppressMessages(select(org.Hs.eg.db, term, "SYMBOL", "GOALL"))$SYMBOL
  unique(s[!is.na(s)])
}
m1_2 <- gene_lines("chiche_m1_2")
alpha <- gene_lines("hallmark_ifna")
gamma <- gene_lines("hallmark_ifng")
go_type2 <- go_symbols("GO:0071346")  # cellular response to type II interferon (interferon-gamma)
go_type1 <- go_symbols("GO:0071357")  # cellular response to type I interferon
hits <- function(lines, names) vapply(lines, function(l) any(line_names(l) %in% names), TRUE)
type1 <- m1_2[!hits(m1_2, c(all_names(gamma), go_type2))]
type2 <- gamma[hits(gamma, go_type2) & !hits(gamma, c(all_names(alpha), go_type1, all_names(m1_2)))]
go_source <- sprintf("org.Hs.eg.db %s (GO of %s)", packageVersion("org.Hs.eg.db"),
                     with(metadata(org.Hs.eg.db), value[name == "GOSOURCEDATE"]))
header <- function(name, title, response, derivation, note, ids_from) c(
  "#ifnsig-panel\t1",
  paste0("name\t", name),
  paste0("title\t", title),
  paste0("citation\tderived by ifnsig from: Chiche L et al. Arthritis Rheumatol 2014;66(6):1583-95 (module M1.2, tmod DC.M1.2); ",
         "Liberzon A et al. Cell Syst 2015;1(6):417-425 (MSigDB Hallmark IFN-alpha and IFN-gamma response v7.5.1); ",
         "Gene Ontology GO:0071346 and GO:0071357 via ", go_source),
  "doi\t10.1002/art.38628 (DOI unconfirmed); 10.1016/j.cels.2015.12.004",
  paste0("version\tifnsig derivation 1 (data/panels/derive_ifn_types.R; tmod@d583238f, MSigDB v7.5.1, ", go_source, ")"),
  "status\tderived",
  paste0("source\tthe source lists are confirmed (signatures.md sections 5 and 7; GO from the Debian package); ",
         "the selection rule is ifnsig's, not a published panel, and is not validated against IFN-stimulated samples"),
  "licence\tCC BY 4.0 (MSigDB: Broad Institute, MIT, Regents of the University of California); GO: CC BY 4.0; gene symbols are facts",
  "method\trice",
  paste0("response\t", response),
  paste0("derivation\t", derivation),
  paste0("note\t", note),
  paste0("# genes\tcopied with their aliases and ids from ", ids_from))
writeLines(c(header("ifn1_specific",
  "Type I IFN (IFN-alpha/beta) genes not annotated as IFN-gamma-responsive (derived; UNVALIDATED as a type I-only score)",
  "type I",
  "Chiche M1.2 minus Hallmark IFN-gamma response minus GO:0071346 (and descendants)",
  paste("absence from IFN-gamma curations is not proof that IFN-gamma does not induce a gene; the 2025 NanoString type I/II",
        "lists (doi:10.1016/j.jacig.2025.100450) could not be confirmed and are not used"),
  "chiche_m1_2.tsv"), type1), file.path(dir, "ifn1_specific.tsv"))
writeLines(c(header("ifn2_specific",
  "IFN-gamma-dominant genes: in two IFN-gamma curations and in no type I curation (derived; UNVALIDATED as a type II score)",
  "type II",
  "(Hallmark IFN-gamma response AND GO:0071346 with descendants) minus Hallmark IFN-alpha response minus GO:0071357 with descendants minus Chiche M1.2",
  paste("curated IFN-gamma genes include chemokines and signalling genes that other stimuli (TNF, IL-1, LPS) also induce;",
        "read a type II call with the clinical picture; the 2025 NanoString type II list could not be confirmed and is not used"),
  "hallmark_ifng.tsv"), type2), file.path(dir, "ifn2_specific.tsv"))
message("ifn1_specific: ", paste(names(type1), collapse = " "))
message("ifn2_specific: ", paste(names(type2), collapse = " "))
