#include "ifnsig/quant/tximport.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/error.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/io/text.hpp"
#include "ifnsig/matrix/matrix_writer.hpp"
#include "ifnsig/matrix/r_stats.hpp"

namespace ifnsig::quant {
namespace {

constexpr double kStrandedThreshold = 0.8;    // as `ifnsig count -s auto` and nf-core/rnaseq
constexpr double kUnstrandedThreshold = 0.1;
constexpr double kMinStrandEvidence = 50;

std::string list_some(const std::vector<std::string>& items) {
  std::string text;
  for (std::size_t i = 0; i < std::min<std::size_t>(items.size(), 5); ++i) text += (i ? ", " : "") + quote_field(items[i]);
  if (items.size() > 5) text += " and " + std::to_string(items.size() - 5) + " more";
  return text;
}

void check_one_quantifier(const std::vector<QuantFile>& files) {
  for (const auto& file : files) {
    if (file.quantifier == files.front().quantifier) continue;
    throw InputError(file.path, "", "is " + to_string(file.quantifier) + " output but " + files.front().path + " is " +
                                        to_string(files.front().quantifier) + "'s",
                     "quantify every sample with one tool (their estimates differ), and give one kind of file per run");
  }
  std::unordered_map<std::string, const std::string*> seen;
  for (const auto& file : files) {
    const auto [it, added] = seen.emplace(file.sample_id, &file.path);
    if (!added) {
      throw InputError(file.path, "", "stands for sample " + quote_field(file.sample_id) + ", as does " + *it->second,
                       "put each sample's file in a directory named after the sample (nf-core's layout), or name "
                       "the files SAMPLE.genes.results / SAMPLE.ReadsPerGene.out.tab");
    }
  }
}

// `file` lists `first`'s rows in the same order (tximport takes them so).
void check_rows(const QuantFile& first, const QuantFile& file, const char* what) {
  const auto& ids = first.ids;
  if (file.ids == ids || (file.ids.empty() && file.rows_checked)) return;
  std::size_t k = 0;
  while (k < ids.size() && k < file.ids.size() && ids[k] == file.ids[k]) ++k;
  const std::string where = k < file.ids.size() ? "row " + std::to_string(k + 1) + " (" + quote_field(file.ids[k]) + ")"
                                                : "its end after " + std::to_string(k) + " rows";
  throw InputError(file.path, "", std::string("lists other ") + what + " than " + first.path + ", from " + where,
                   "quantify every sample against the same index (or annotation)");
}

void check_same_rows(const std::vector<QuantFile>& files, const char* what) {
  for (const auto& file : files) check_rows(files.front(), file, what);
}

matrix::CountTable table_of(const std::vector<QuantFile>& files, std::vector<std::string> genes, Eigen::MatrixXd counts,
                    const Tx2Gene* tx2gene) {
  matrix::CountTable table;
  table.counts.gene_ids = std::move(genes);
  for (const auto& file : files) {
    table.counts.sample_ids.push_back(file.sample_id);
    table.sources.push_back(file.path);
  }
  table.counts.values = std::move(counts);
  if (tx2gene != nullptr && !tx2gene->gene_name.empty()) {
    std::vector<std::string> names;
    for (const auto& gene : table.counts.gene_ids) {
      const auto it = tx2gene->gene_name.find(gene);
      names.push_back(it == tx2gene->gene_name.end() ? "" : it->second);
    }
    table.annotation_columns = {"gene_name"};
    table.annotation = {std::move(names)};
  }
  return table;
}

// R's colSums: long double accumulation.
std::vector<double> col_sums(const Eigen::MatrixXd& m) {
  std::vector<double> sums(static_cast<std::size_t>(m.cols()));
  for (Eigen::Index j = 0; j < m.cols(); ++j) {
    long double sum = 0;
    for (Eigen::Index g = 0; g < m.rows(); ++g) sum += m(g, j);
    sums[static_cast<std::size_t>(j)] = static_cast<double>(sum);
  }
  return sums;
}

// R's rowMeans: long double accumulation over columns, divided by their number.
std::vector<double> row_means(const Eigen::MatrixXd& m) {
  std::vector<double> means(static_cast<std::size_t>(m.rows()));
  for (Eigen::Index g = 0; g < m.rows(); ++g) {
    long double sum = 0;
    for (Eigen::Index j = 0; j < m.cols(); ++j) sum += m(g, j);
    means[static_cast<std::size_t>(g)] = static_cast<double>(sum / static_cast<long double>(m.cols()));
  }
  return means;
}

// tximport's makeCountsFromAbundance: counts proportional to TPM (scaledTPM) or to TPM times the gene's
// average length across samples (lengthScaledTPM), scaled to each sample's total estimated count.
Eigen::MatrixXd counts_from_abundance(const Eigen::MatrixXd& counts, const Eigen::MatrixXd& abundance,
                                      const Eigen::MatrixXd& length, CountsFromAbundance mode) {
  const auto counts_sum = col_sums(counts);
  Eigen::MatrixXd made = abundance;
  if (mode == CountsFromAbundance::kLengthScaledTpm) {
    const auto mean_length = row_means(length);
    for (Eigen::Index j = 0; j < made.cols(); ++j) {
      for (Eigen::Index g = 0; g < made.rows(); ++g) made(g, j) = abundance(g, j) * mean_length[static_cast<std::size_t>(g)];
    }
  }
  const auto new_sum = col_sums(made);
  for (Eigen::Index j = 0; j < made.cols(); ++j) {
    const double ratio = counts_sum[static_cast<std::size_t>(j)] / new_sum[static_cast<std::size_t>(j)];
    for (Eigen::Index g = 0; g < made.rows(); ++g) made(g, j) *= ratio;
  }
  return made;
}

GeneQuant summarize_transcripts(const std::vector<QuantFile>& files, const Tx2Gene& tx2gene, const ImportOptions& options) {
  check_same_rows(files, "transcripts");
  const auto& tx_ids = files.front().ids;
  const std::size_t n_tx = tx_ids.size(), n_samples = files.size();
  std::vector<std::string> tx_gene(n_tx), missing;
  for (std::size_t t = 0; t < n_tx; ++t) {
    const auto it = tx2gene.gene_of.find(tx_ids[t]);
    if (it == tx2gene.gene_of.end()) {
      missing.push_back(tx_ids[t]);
    } else {
      tx_gene[t] = it->second;
    }
  }
  if (!missing.empty()) {
    const bool gencode_names = tx_ids.front().find('|') != std::string::npos;
    throw InputError(files.front().path, "",
                     std::to_string(missing.size()) + " of its " + std::to_string(n_tx) + " transcripts are not in " +
                         tx2gene.source + ": " + list_some(missing),
                     gencode_names ? "the transcript names hold '|': index GENCODE transcripts with salmon --gencode, "
                                     "or give a tx2gene TSV with these names"
                                   : "give the GTF (or tx2gene TSV) of the transcriptome the quantifier's index was "
                                     "built from; versions (.1, .2) must match too");
  }
  // Genes in byte order of their ids, as R's rowsum sorts them (C locale).
  std::vector<std::string> genes(tx_gene);
  std::sort(genes.begin(), genes.end());
  genes.erase(std::unique(genes.begin(), genes.end()), genes.end());
  std::unordered_map<std::string_view, std::size_t> gene_index;
  for (std::size_t g = 0; g < genes.size(); ++g) gene_index.emplace(genes[g], g);
  std::vector<std::size_t> row_of(n_tx);
  for (std::size_t t = 0; t < n_tx; ++t) row_of[t] = gene_index.at(tx_gene[t]);

  const auto n_genes = static_cast<Eigen::Index>(genes.size());
  const auto m = static_cast<Eigen::Index>(n_samples);
  Eigen::MatrixXd abundance = Eigen::MatrixXd::Zero(n_genes, m), counts = Eigen::MatrixXd::Zero(n_genes, m),
                  weighted = Eigen::MatrixXd::Zero(n_genes, m);
  // rowsum(): plain double sums in transcript order.
  for (std::size_t j = 0; j < n_samples; ++j) {
    const auto& f = files[j];
    const auto c = static_cast<Eigen::Index>(j);
    for (std::size_t t = 0; t < n_tx; ++t) {
      const auto g = static_cast<Eigen::Index>(row_of[t]);
      abundance(g, c) += f.abundance[t];
      counts(g, c) += f.counts[t];
      weighted(g, c) += f.abundance[t] * f.length[t];
    }
  }
  Eigen::MatrixXd length = weighted.array() / abundance.array();
  // A gene whose transcripts all have abundance 0 in a sample: the geometric mean of its lengths in the other
  // samples; in none: the mean over its transcripts of their mean length across samples.
  std::vector<std::vector<double>> tx_means(genes.size());
  for (std::size_t t = 0; t < n_tx; ++t) {
    long double sum = 0;
    for (std::size_t j = 0; j < n_samples; ++j) sum += files[j].length[t];
    tx_means[row_of[t]].push_back(static_cast<double>(sum / static_cast<long double>(n_samples)));
  }
  for (Eigen::Index g = 0; g < n_genes; ++g) {
    std::vector<double> logs;
    bool any_missing = false;
    for (Eigen::Index j = 0; j < m; ++j) {
      if (std::isnan(length(g, j))) {
        any_missing = true;
      } else {
        logs.push_back(std::log(length(g, j)));
      }
    }
    if (!any_missing) continue;
    const double fill =
        logs.empty() ? matrix::r_mean(tx_means[static_cast<std::size_t>(g)]) : std::exp(matrix::r_mean(logs));
    for (Eigen::Index j = 0; j < m; ++j) {
      if (std::isnan(length(g, j))) length(g, j) = fill;
    }
  }
  if (options.counts_from_abundance != CountsFromAbundance::kNo) {
    counts = counts_from_abundance(counts, abundance, length, options.counts_from_abundance);
  }
  GeneQuant out;
  out.quantifier = files.front().quantifier;
  out.counts_from_abundance = options.counts_from_abundance;
  out.counts = table_of(files, std::move(genes), std::move(counts), &tx2gene);
  out.abundance = std::move(abundance);
  out.length = std::move(length);
  return out;
}

GeneQuant read_genes(const std::vector<QuantFile>& files, const Tx2Gene* tx2gene, const ImportOptions& options) {
  check_same_rows(files, "genes");
  if (options.counts_from_abundance != CountsFromAbundance::kNo) {
    throw UsageError("--counts-from-abundance " + to_string(options.counts_from_abundance) + " needs transcript-level "
                     "files; " + to_string(files.front().quantifier) + " files hold genes",
                     "use salmon/kallisto/RSEM isoform files, or --counts-from-abundance no (tximport's txIn = FALSE)");
  }
  {
    std::unordered_set<std::string_view> seen;
    for (const auto& id : files.front().ids) {
      if (!seen.insert(id).second) {
        throw InputError(files.front().path, "gene " + quote_field(id), "appears twice", "rerun the quantifier for this sample");
      }
    }
  }
  const auto n_genes = static_cast<Eigen::Index>(files.front().ids.size());
  const auto m = static_cast<Eigen::Index>(files.size());
  GeneQuant out;
  out.quantifier = files.front().quantifier;
  Eigen::MatrixXd counts(n_genes, m);
  if (out.quantifier == Quantifier::kStar) {
    for (Eigen::Index j = 0; j < m; ++j) {
      const auto& f = files[static_cast<std::size_t>(j)];
      const int column = options.star_strand ? *options.star_strand : infer_star_strand(f);
      out.star_strand.push_back(column);
      for (Eigen::Index g = 0; g < n_genes; ++g) counts(g, j) = f.star_columns[column][static_cast<std::size_t>(g)];
    }
  } else {
    out.abundance.resize(n_genes, m);
    out.length.resize(n_genes, m);
    for (Eigen::Index j = 0; j < m; ++j) {
      const auto& f = files[static_cast<std::size_t>(j)];
      for (Eigen::Index g = 0; g < n_genes; ++g) {
        const auto r = static_cast<std::size_t>(g);
        counts(g, j) = f.counts[r];
        out.abundance(g, j) = f.abundance[r];
        out.length(g, j) = f.length[r];
      }
    }
  }
  out.counts = table_of(files, files.front().ids, std::move(counts), tx2gene);
  return out;
}

}  // namespace

CountsFromAbundance parse_counts_from_abundance(const std::string& name) {
  if (name == "no") return CountsFromAbundance::kNo;
  if (name == "scaledTPM") return CountsFromAbundance::kScaledTpm;
  if (name == "lengthScaledTPM") return CountsFromAbundance::kLengthScaledTpm;
  throw UsageError("--counts-from-abundance must be no, scaledTPM or lengthScaledTPM (tximport's), not " + quote_field(name));
}

std::string to_string(CountsFromAbundance mode) {
  switch (mode) {
    case CountsFromAbundance::kNo: return "no";
    case CountsFromAbundance::kScaledTpm: return "scaledTPM";
    case CountsFromAbundance::kLengthScaledTpm: return "lengthScaledTPM";
  }
  return "?";
}

int infer_star_strand(const QuantFile& file) {
  long double forward = 0, reverse = 0;
  for (std::size_t g = 0; g < file.star_columns[1].size(); ++g) {
    forward += file.star_columns[1][g];
    reverse += file.star_columns[2][g];
  }
  const double total = static_cast<double>(forward + reverse);
  const char* hint = "give --strand 0 (unstranded: STAR's column 2), 1 (forward: column 3) or 2 (reverse: column 4)";
  if (total < kMinStrandEvidence) {
    throw InputError(file.path, "",
                     "too few reads on genes to infer the strandedness (" + io::format_double(total) + ")", hint);
  }
  const double fraction = static_cast<double>(forward) / total;
  char text[200];
  std::snprintf(text, sizeof text, "%.1f%% of %.0f reads in column 3 (read 1 on the gene's strand), %.1f%% in column 4",
                100 * fraction, total, 100 * (1 - fraction));
  int column = -1;
  if (fraction >= kStrandedThreshold) {
    column = 1;
  } else if (1 - fraction >= kStrandedThreshold) {
    column = 2;
  } else if (std::fabs(2 * fraction - 1) <= kUnstrandedThreshold) {
    column = 0;
  } else {
    throw InputError(file.path, "", std::string("cannot tell the strandedness: ") + text,
                     std::string("check the library protocol and ") + hint);
  }
  static constexpr const char* kNames[] = {"unstranded (column 2, -s 0)", "forward (column 3, -s 1)", "reverse (column 4, -s 2)"};
  log_info("STAR " + file.sample_id + ": " + kNames[column] + " inferred from " + text);
  return column;
}

GeneQuant import_quant(const std::vector<QuantFile>& files, const Tx2Gene* tx2gene, const ImportOptions& options) {
  if (files.empty()) throw UsageError("no quantifier files given");
  check_one_quantifier(files);
  const Quantifier quantifier = files.front().quantifier;
  if (is_transcript_level(quantifier)) {
    if (tx2gene == nullptr) {
      throw UsageError(to_string(quantifier) + " files hold transcripts: give --gtf GTF or --tx2gene TSV to sum them "
                       "to genes");
    }
    return summarize_transcripts(files, *tx2gene, options);
  }
  if (quantifier != Quantifier::kStar && options.star_strand) {
    throw UsageError("--strand chooses a column of STAR's ReadsPerGene.out.tab; " + to_string(quantifier) +
                     " files have one count column");
  }
  return read_genes(files, tx2gene, options);
}

GeneQuant import_quant_inputs(const QuantInputs& inputs) {
  std::vector<std::string> paths = inputs.files;
  if (!inputs.directory.empty()) {
    const auto found = find_quant_files(inputs.directory);
    log_info("found " + std::to_string(found.size()) + " quantifier files under " + inputs.directory);
    paths.insert(paths.end(), found.begin(), found.end());
  }
  std::vector<QuantFile> files;
  for (const auto& path : paths) {
    files.push_back(read_quant_file(path));
    // A cohort's files repeat one index's ids: each is checked against the first and then dropped.
    if (files.size() > 1 && files.back().quantifier == files.front().quantifier) {
      check_rows(files.front(), files.back(), is_transcript_level(files.front().quantifier) ? "transcripts" : "genes");
      std::vector<std::string>().swap(files.back().ids);
      files.back().rows_checked = true;
    }
  }
  check_one_quantifier(files);
  std::optional<Tx2Gene> tx2gene;
  if (!inputs.tx2gene.empty()) {
    tx2gene = read_tx2gene(inputs.tx2gene);
    log_info("read " + std::to_string(tx2gene->gene_of.size()) + " transcripts of " + inputs.tx2gene);
  }
  GeneQuant quant = import_quant(files, tx2gene ? &*tx2gene : nullptr, inputs.options);
  log_info("summarized " + std::to_string(files.size()) + " " + to_string(quant.quantifier) + " files to " +
           std::to_string(quant.counts.counts.gene_ids.size()) + " genes (countsFromAbundance " +
           to_string(quant.counts_from_abundance) + ")");
  return quant;
}

Eigen::MatrixXd length_offsets(const GeneQuant& quant) {
  if (quant.counts_from_abundance != CountsFromAbundance::kNo || quant.length.size() == 0) return {};
  return quant.length;
}

std::string describe(const GeneQuant& quant) {
  std::string text = to_string(quant.quantifier) + " files (";
  for (std::size_t j = 0; j < quant.counts.sources.size(); ++j) text += (j ? ", " : "") + quant.counts.sources[j];
  text += ")";
  if (quant.quantifier == Quantifier::kStar) {
    text += ", STAR column per sample:";
    for (std::size_t j = 0; j < quant.star_strand.size(); ++j) {
      text += " " + quant.counts.counts.sample_ids[j] + " " + std::to_string(quant.star_strand[j] + 2);
    }
    return text;
  }
  text += is_transcript_level(quant.quantifier) ? ", summed to genes as tximport's summarizeToGene"
                                                : ", gene-level as tximport reads them";
  text += ", countsFromAbundance " + to_string(quant.counts_from_abundance);
  if (length_offsets(quant).size() != 0) text += ", average transcript lengths as DESeq2's avgTxLength";
  return text;
}

void write_gene_quant(const GeneQuant& quant, const std::string& directory) {
  std::filesystem::create_directories(directory);
  const auto write = [&](const char* name, const Eigen::MatrixXd& values) {
    matrix::GeneMatrix matrix;
    matrix.gene_ids = quant.counts.counts.gene_ids;
    matrix.sample_ids = quant.counts.counts.sample_ids;
    matrix.values = values;
    AtomicFile out(std::filesystem::path(directory) / name);
    matrix::write_matrix_tsv(out.stream(), matrix);
    return out;
  };
  std::vector<AtomicFile> files;
  files.push_back(write("counts.tsv", quant.counts.counts.values));
  if (quant.abundance.size() != 0) files.push_back(write("abundance.tsv", quant.abundance));
  if (quant.length.size() != 0) files.push_back(write("length.tsv", quant.length));
  for (auto& file : files) file.commit();
}

}  // namespace ifnsig::quant
