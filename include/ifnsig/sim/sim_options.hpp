// Owns: the validated, read-only configuration of `ifnsig simulate` (cohort, library and error model).
// Thread-safety: immutable once validated; shared by all worker threads.
// Invariant: validate() has rejected out-of-range values before any output is written.
#pragma once
#include <cstdint>
#include <string>

#include "ifnsig/annotation/gene_model.hpp"
#include "ifnsig/score/gene_set.hpp"

namespace ifnsig::sim {

enum class LibraryStrand : std::uint8_t { kUnstranded = 0, kForward = 1, kReverse = 2 };
const char* library_strand_name(LibraryStrand strand);  // "unstranded", "forward", "reverse"
LibraryStrand parse_library_strand(const std::string& text);

struct SimulateOptions {
  std::string annotation;
  annotation::AnnotationOptions annotation_options;
  std::string output_dir;
  std::string gene_names;      // TSV with gene_id and gene_name columns; empty: names from the annotation
  score::GeneSet panel;        // genes raised in IFN-high samples
  score::GeneSet second_panel;  // genes raised in the n_second_high samples before them (e.g. type II genes)
  std::string sample_prefix = "sample";

  int n_samples = 8;
  int n_ifn_high = 4;
  int n_second_high = 0;        // samples raised on second_panel instead (the n_second_high before the IFN-high)
  double fold = 8.0;            // NB-mean fold change of panel genes in IFN-high samples
  std::int64_t pairs = 1000000;  // fragments (read pairs, or reads when single-end) per sample
  double depth_sd = 0.2;        // sdlog of library size between samples

  bool paired = true;
  LibraryStrand strand = LibraryStrand::kReverse;
  int read_length_bp = 100;
  double fragment_mean_bp = 250;
  double fragment_sd_bp = 60;

  double expression_sdlog = 1.8;  // log-normal spread of gene means
  double silent_fraction = 0.3;   // genes not expressed at all
  double dispersion = 0.1;        // typical negative-binomial dispersion (varies per gene)

  double intronic_fraction = 0.05;
  double intergenic_fraction = 0.02;
  double multimapper_fraction = 0.05;
  double duplicate_fraction = 0.08;
  double unmapped_mate_fraction = 0.01;
  double supplementary_fraction = 0.005;
  double soft_clip_fraction = 0.03;
  double indel_fraction = 0.02;

  std::uint64_t seed = 1;
  int threads = 1;
  bool csi_index = false;  // .csi instead of .bai (much smaller for sparse BAMs on long contigs)
  int compression_level = 1;  // as STAR writes BAM by default

  // Throws UsageError for out-of-range values.
  void validate() const;
  // The simulation parameters as one line (for @PG and simulation.json); excludes the thread count.
  std::string describe() const;
};

}  // namespace ifnsig::sim
