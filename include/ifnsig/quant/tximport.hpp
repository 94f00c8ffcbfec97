// Owns: tximport's summarizeToGene for quantifier files (transcripts summed to genes, the abundance-weighted
//       average transcript length, countsFromAbundance no / scaledTPM / lengthScaledTPM) and STAR's strand
//       column (--strand, or inferred from the three columns), giving the gene x sample tables normalize reads.
// Thread-safety: pure functions.
// Invariant: counts, abundance and length equal tximport 1.26's txi$counts, txi$abundance and txi$length
//            (genes in byte order of their ids, as rowsum sorts them in the C locale) to rounding.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ifnsig/matrix/count_table.hpp"
#include "ifnsig/quant/quant_files.hpp"

namespace ifnsig::quant {

enum class CountsFromAbundance { kNo, kScaledTpm, kLengthScaledTpm };
CountsFromAbundance parse_counts_from_abundance(const std::string& name);  // throws UsageError
std::string to_string(CountsFromAbundance mode);

// STAR's column: 0 unstranded, 1 forward (-s 1), 2 reverse (-s 2); unset = inferred per file.
struct ImportOptions {
  CountsFromAbundance counts_from_abundance = CountsFromAbundance::kNo;
  std::optional<int> star_strand;
};

struct GeneQuant {
  Quantifier quantifier = Quantifier::kSalmon;
  CountsFromAbundance counts_from_abundance = CountsFromAbundance::kNo;
  matrix::CountTable counts;   // genes x samples; annotation column gene_name when known; sources = files
  Eigen::MatrixXd abundance;   // TPM summed per gene (empty for STAR)
  Eigen::MatrixXd length;      // average transcript length (empty for STAR)
  std::vector<int> star_strand;  // per sample, the column used (STAR only)
};

// tximport(files, type, tx2gene, countsFromAbundance) for salmon, kallisto and RSEM isoforms (transcripts,
// needing `tx2gene`), RSEM genes and STAR (genes; `tx2gene` only gives gene names). Every file must be of one
// quantifier and, for transcripts, list the same transcripts in the same order; every transcript must be in
// tx2gene. Throws InputError naming the file otherwise.
GeneQuant import_quant(const std::vector<QuantFile>& files, const Tx2Gene* tx2gene, const ImportOptions& options);

// STAR's column picked for a file from its three columns' gene sums: as `ifnsig count -s auto` and
// nf-core/rnaseq decide (>= 80% on one strand: stranded; within 10% of 50:50: unstranded; else an error).
int infer_star_strand(const QuantFile& file);

// What a command was given: quantifier files and/or a directory holding them, and the tx2gene source.
struct QuantInputs {
  std::vector<std::string> files;
  std::string directory;
  std::string tx2gene;  // GTF or TSV
  ImportOptions options;
  bool empty() const { return files.empty() && directory.empty(); }
};

// Finds, reads and summarizes the inputs (logging what it found and did).
GeneQuant import_quant_inputs(const QuantInputs& inputs);
// The average transcript lengths DESeqDataSetFromTximport keeps as avgTxLength (countsFromAbundance "no" with
// lengths); empty otherwise.
Eigen::MatrixXd length_offsets(const GeneQuant& quant);
// One line for provenance: the quantifier, the files, tximport's mode and STAR's columns.
std::string describe(const GeneQuant& quant);
// tximport's txi as TSV files in `directory`: counts.tsv, abundance.tsv, length.tsv (gene_id then samples;
// the last two not for STAR), each written atomically.
void write_gene_quant(const GeneQuant& quant, const std::string& directory);

}  // namespace ifnsig::quant
