// Owns: the per-sample outputs of RNA-seq quantifiers, read as they are written: salmon `quant.sf`, kallisto
//       `abundance.tsv`, RSEM `*.isoforms.results` (transcripts) and `*.genes.results` (genes), STAR
//       `ReadsPerGene.out.tab` (genes, three strand columns); recognised by their header, not their name;
//       the sample id each file stands for; and the transcript -> gene table (a GTF or a tx2gene TSV).
// Thread-safety: free functions without shared state.
// Invariant: every error names the file and line and says what to do; a file's rows keep the file's order.
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

namespace ifnsig::quant {

enum class Quantifier { kSalmon, kKallisto, kRsemTranscripts, kRsemGenes, kStar };
std::string to_string(Quantifier quantifier);
bool is_transcript_level(Quantifier quantifier);

// One quantifier file. Transcript- or gene-level rows (ids) with tximport's columns: abundance = TPM,
// counts = estimated counts, length = effective length. STAR files have no abundance or length (empty) and
// three count columns: unstranded, read 1 on the gene's strand (featureCounts -s 1), read 2 on it (-s 2).
struct QuantFile {
  std::string path;
  std::string sample_id;
  Quantifier quantifier = Quantifier::kSalmon;
  std::vector<std::string> ids;
  std::vector<double> abundance;
  std::vector<double> counts;
  std::vector<double> length;
  std::vector<double> star_columns[3];
  // `ids` were found equal to the first file's of a cohort and dropped to save memory (import_quant_inputs).
  bool rows_checked = false;
};

// The quantifier that wrote the file, from its header (STAR's from its four N_ lines); throws InputError for
// anything else, naming the formats it knows.
Quantifier detect_quantifier(const std::string& path);
QuantFile read_quant_file(const std::string& path);
// The sample a file stands for: the directory holding it for the fixed names quant.sf, abundance.tsv and
// ReadsPerGene.out.tab (nf-core's SAMPLE/quant.sf), else the file name without the quantifier's suffix
// (S1.genes.results -> S1, S1.ReadsPerGene.out.tab and S1ReadsPerGene.out.tab -> S1).
std::string quant_sample_id(const std::string& path);
// The quantifier files under a directory (nf-core's results/salmon, results/star_salmon, ...): the known file
// names in it and in its direct subdirectories, sorted by path. Throws InputError when there are none.
std::vector<std::string> find_quant_files(const std::string& directory);

// Transcript -> gene (and the gene's name, when the source has one).
struct Tx2Gene {
  std::string source;
  std::unordered_map<std::string, std::string> gene_of;    // transcript id -> gene id
  std::unordered_map<std::string, std::string> gene_name;  // gene id -> gene_name
};
// A GTF (transcript_id and gene_id of its exon lines; gene_name when present) or a TSV of transcript id,
// gene id and optionally gene name (tximport's tx2gene; nf-core's tx2gene.tsv), with or without a header.
Tx2Gene read_tx2gene(const std::string& path);

}  // namespace ifnsig::quant
