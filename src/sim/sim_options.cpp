#include "ifnsig/sim/sim_options.hpp"

#include <sstream>

#include "ifnsig/core/error.hpp"

namespace ifnsig::sim {
namespace {

void check_fraction(double value, const char* option) {
  if (!(value >= 0.0 && value <= 1.0)) throw UsageError(std::string(option) + " must be between 0 and 1");
}

}  // namespace

const char* library_strand_name(LibraryStrand strand) {
  switch (strand) {
    case LibraryStrand::kForward:
      return "forward";
    case LibraryStrand::kReverse:
      return "reverse";
    default:
      return "unstranded";
  }
}

LibraryStrand parse_library_strand(const std::string& text) {
  if (text == "unstranded" || text == "0") return LibraryStrand::kUnstranded;
  if (text == "forward" || text == "1") return LibraryStrand::kForward;
  if (text == "reverse" || text == "2") return LibraryStrand::kReverse;
  throw UsageError("--strand '" + text + "' is not a strandedness", "use unstranded, forward or reverse");
}

void SimulateOptions::validate() const {
  if (annotation.empty()) throw UsageError("-a ANNOTATION is required");
  if (output_dir.empty()) throw UsageError("-o DIR is required");
  if (n_samples < 1) throw UsageError("--samples must be at least 1");
  if (n_ifn_high < 0 || n_ifn_high > n_samples) throw UsageError("--ifn-high must be between 0 and --samples");
  if (n_second_high < 0 || n_ifn_high + n_second_high > n_samples) {
    throw UsageError("--second-high must be between 0 and --samples minus --ifn-high");
  }
  if (n_second_high > 0 && second_panel.members.empty()) {
    throw UsageError("--second-high needs --second-panel", "name the gene set the second group of samples raises");
  }
  if (!(fold > 0)) throw UsageError("--fold must be positive");
  if (pairs < 1) throw UsageError("--pairs must be at least 1");
  if (!(depth_sd >= 0 && depth_sd <= 2)) throw UsageError("--depth-sd must be between 0 and 2");
  if (read_length_bp < 20 || read_length_bp > 500) throw UsageError("--read-length must be between 20 and 500");
  if (!(fragment_mean_bp >= read_length_bp) || !(fragment_sd_bp >= 0)) {
    throw UsageError("--fragment-mean must be at least the read length and --fragment-sd non-negative");
  }
  if (!(expression_sdlog >= 0) || !(dispersion > 0)) throw UsageError("--expression-sdlog >= 0 and --dispersion > 0");
  check_fraction(silent_fraction, "--silent-fraction");
  check_fraction(intronic_fraction, "--intronic");
  check_fraction(intergenic_fraction, "--intergenic");
  check_fraction(multimapper_fraction, "--multimappers");
  check_fraction(duplicate_fraction, "--duplicates");
  check_fraction(unmapped_mate_fraction, "--unmapped-mates");
  check_fraction(supplementary_fraction, "--supplementary");
  check_fraction(soft_clip_fraction, "--soft-clips");
  check_fraction(indel_fraction, "--indels");
  if (intronic_fraction + intergenic_fraction + multimapper_fraction >= 1.0) {
    throw UsageError("--intronic + --intergenic + --multimappers must stay below 1");
  }
  if (threads < 1) throw UsageError("-T must be at least 1");
  if (compression_level < 0 || compression_level > 9) throw UsageError("--compression-level must be 0..9");
}

std::string SimulateOptions::describe() const {
  std::ostringstream out;
  out << "ifnsig simulate --seed " << seed << " --samples " << n_samples << " --ifn-high " << n_ifn_high
      << " --fold " << fold << " --panel " << panel.name;
  // Only with a second group, so that the parameters (and @PG) of one-panel cohorts stay as they were.
  if (n_second_high > 0) out << " --second-panel " << second_panel.name << " --second-high " << n_second_high;
  out << " --pairs " << pairs << " --depth-sd " << depth_sd
      << (paired ? "" : " --single-end") << " --strand " << library_strand_name(strand) << " --read-length "
      << read_length_bp << " --fragment-mean " << fragment_mean_bp << " --fragment-sd " << fragment_sd_bp
      << " --expression-sdlog " << expression_sdlog << " --silent-fraction " << silent_fraction << " --dispersion "
      << dispersion << " --intronic " << intronic_fraction << " --intergenic " << intergenic_fraction
      << " --multimappers " << multimapper_fraction << " --duplicates " << duplicate_fraction << " --unmapped-mates "
      << unmapped_mate_fraction << " --supplementary " << supplementary_fraction << " --soft-clips "
      << soft_clip_fraction << " --indels " << indel_fraction << " --compression-level " << compression_level;
  return out.str();
}

}  // namespace ifnsig::sim
