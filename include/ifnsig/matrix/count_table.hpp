// Owns: reading gene count tables (featureCounts, htseq-count, plain gene x sample TSV/CSV) into one
//       GeneMatrix plus per-gene annotation (Chr, Length, gene_name, ...), and merging several by gene id.
// Thread-safety: free functions; reading parses blocks of lines in parallel (io/delimited_table.hpp), results
//                independent of threads.
// Invariant: counts.values.rows() == every annotation column's size; lengths_bp empty or one per gene.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "ifnsig/matrix/gene_matrix.hpp"

namespace ifnsig::matrix {

enum class CountFormat { kFeatureCounts, kHtseq, kPlain };

struct CountTable {
  GeneMatrix counts;
  std::vector<std::string> annotation_columns;          // names, in file order
  std::vector<std::vector<std::string>> annotation;     // [column][gene]
  std::vector<double> lengths_bp;                       // from a Length column; empty if none
  std::vector<std::string> sources;                     // per sample: the file it came from
};

CountFormat detect_count_format(const std::string& path);
// Sample id for a featureCounts column or an htseq file: basename without .bam/.cram/.sam (or any
// last extension for htseq files, after dropping .gz).
std::string sample_id_from_path(std::string_view path, bool alignment_only);
CountTable read_count_table(const std::string& path);
// Joins tables by gene id (every table must hold the same genes); sample ids must be unique overall.
CountTable merge_count_tables(std::vector<CountTable> tables);
// Keeps the genes listed in `gene_ids`, in that order; throws naming the genes that are absent.
CountTable select_genes(const CountTable& table, const std::vector<std::string>& gene_ids,
                        const std::string& wanted_by);

}  // namespace ifnsig::matrix
