#include "ifnsig/count/count_output.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <span>
#include <tuple>
#include <nlohmann/json.hpp>

#include "ifnsig/core/json_io.hpp"
#include "ifnsig/core/version.hpp"

namespace ifnsig::count {
namespace {

// featureCounts lists a gene's exons by contig (in order of first appearance) and start.
std::vector<std::uint32_t> sorted_exons(const annotation::GeneModel& model, const annotation::GeneInfo& gene) {
  std::vector<std::uint32_t> order = gene.exons;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const annotation::Exon& x = model.exons()[a];
    const annotation::Exon& y = model.exons()[b];
    return std::tie(x.contig, x.start) < std::tie(y.contig, y.start);
  });
  return order;
}

void append_number(std::string& line, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  line.append(buffer, result.ptr);
}

// Appends "a;b;c" with one item per exon.
template <typename Field>
void append_joined(std::string& line, std::span<const std::uint32_t> exons, Field field) {
  for (std::size_t i = 0; i < exons.size(); ++i) {
    if (i > 0) line += ';';
    field(exons[i]);
  }
}

// --extraAttributes of a gene: one value when all its exons agree, else each exon's, joined by ';'.
void append_extra(std::string& line, const annotation::GeneModel& model, std::span<const std::uint32_t> exons,
                  std::size_t attribute) {
  const std::string& first = model.extra_attribute(exons.front(), attribute);
  const bool same = std::all_of(exons.begin(), exons.end(),
                                [&](std::uint32_t e) { return model.extra_attribute(e, attribute) == first; });
  if (same) {
    line += first;
    return;
  }
  append_joined(line, exons, [&](std::uint32_t e) { line += model.extra_attribute(e, attribute); });
}

nlohmann::json profile_json(const CountProfile& profile) {
  nlohmann::json stages = nlohmann::json::object();
  const std::pair<const char*, const StageTime*> named[] = {
      {"read", &profile.read},     {"inflate", &profile.inflate}, {"link", &profile.link},
      {"assign", &profile.assign}, {"queue", &profile.queue},     {"pairing", &profile.pairing}};
  for (const auto& [name, time] : named) stages[name] = {{"cpu_seconds", time->cpu_seconds}, {"wall_seconds", time->wall_seconds}};
  return {{"stages", stages}, {"serial_share", profile.serial_share()}};
}

// A count of chosen genes only: what it read, and the index's totals. The summary categories and the
// assigned fraction describe only the records read, so they are replaced by null.
void targeted_json(const TargetedReading& reading, nlohmann::json& item) {
  item["summary"] = nullptr;
  item["assigned_fraction"] = nullptr;
  nlohmann::json totals = nlohmann::json::array();
  for (const auto& contig : reading.index_totals) {
    totals.push_back({{"contig", contig.name}, {"mapped", contig.mapped}, {"unmapped", contig.unmapped}});
  }
  item["targeted"] = {{"targets", reading.targets},
                      {"regions", reading.regions},
                      {"region_bases", reading.region_bases},
                      {"region_records", reading.region_records},
                      {"mate_positions", reading.mate_positions},
                      {"mate_records", reading.mate_records},
                      {"unplaced_records", reading.unplaced_records},
                      {"compressed_bytes", reading.compressed_bytes},
                      {"file_bytes", reading.file_bytes},
                      {"remote_bytes", reading.remote_bytes},
                      {"remote_requests", reading.remote_requests},
                      {"index_totals", totals},
                      {"index_unplaced", reading.unplaced},
                      {"not_known", "the summary categories and the counts of genes not chosen: only the records "
                                    "that can count for the chosen genes were read"}};
}

// A column of the table and the summary: a file, or with --byReadGroup one of its read groups
// ("<file>:<ID>", as featureCounts names it).
struct Column {
  std::string name;
  const std::vector<std::int64_t>* target_units;
  const StatusCounts* status;
  bool targeted;  // --genes: the summary is not known
};

std::vector<Column> table_columns(const std::vector<FileCounts>& files, const CountOptions& options) {
  std::vector<Column> columns;
  for (const auto& file : files) {
    if (!options.by_read_group) {
      columns.push_back({file.path, &file.target_units, &file.status, file.targeted.has_value()});
      continue;
    }
    for (const auto& group : file.read_groups) {
      columns.push_back({file.path + ':' + group.id, &group.target_units, &group.status, false});
    }
  }
  return columns;
}

}  // namespace

std::string format_count(std::int64_t units, bool fractional) {
  if (!fractional || units % kCountScale == 0) return std::to_string(units / kCountScale);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", static_cast<double>(units) / static_cast<double>(kCountScale));
  return buffer;
}

void write_count_table(std::ostream& out, const annotation::GeneModel& model, const std::vector<FileCounts>& files,
                       const CountOptions& options, const CountRun& run) {
  out << "# Program:ifnsig v" << ifnsig_version() << "; Command:";
  for (const auto& argument : run.arguments) out << '"' << argument << "\" ";
  out << "\nGeneid\tChr\tStart\tEnd\tStrand\tLength";
  for (const auto& name : model.extra_attribute_names()) out << '\t' << name;
  const std::vector<Column> columns = table_columns(files, options);
  for (const auto& column : columns) out << '\t' << column.name;
  out << '\n';
  const auto& contigs = model.contigs();
  const auto& exons = model.exons();
  std::string line;
  const std::size_t n_extra = model.extra_attribute_names().size();
  const auto written = [&](std::uint32_t target) {
    return run.targets.empty() || std::binary_search(run.targets.begin(), run.targets.end(), target);
  };
  // Length, the extra attributes (of the target's exons) and the counts.
  const auto finish_line = [&](std::size_t target, std::int64_t length, std::span<const std::uint32_t> target_exons) {
    line += '\t';
    append_number(line, length);
    for (std::size_t a = 0; a < n_extra; ++a) {
      line += '\t';
      append_extra(line, model, target_exons, a);
    }
    for (const auto& column : columns) {
      line += '\t';
      line += format_count((*column.target_units)[target], options.fraction);
    }
    line += '\n';
    out << line;
  };
  if (options.feature_level) {
    for (std::size_t e = 0; e < exons.size(); ++e) {
      const annotation::Exon& exon = exons[e];
      const auto exon_index = static_cast<std::uint32_t>(e);
      if (!written(exon_index)) continue;
      line = model.genes()[exon.gene].id + '\t' + contigs[exon.contig] + '\t';
      append_number(line, exon.start);
      line += '\t';
      append_number(line, exon.end);
      line += '\t';
      line += annotation::strand_char(exon.strand);
      finish_line(e, exon.end - exon.start + 1, std::span(&exon_index, 1));
    }
    return;
  }
  for (std::uint32_t g = 0; g < model.genes().size(); ++g) {
    if (!written(g)) continue;
    const annotation::GeneInfo& gene = model.genes()[g];
    const auto gene_exons = sorted_exons(model, gene);
    line = gene.id;
    line += '\t';
    append_joined(line, gene_exons, [&](std::uint32_t e) { line += contigs[exons[e].contig]; });
    line += '\t';
    append_joined(line, gene_exons, [&](std::uint32_t e) { append_number(line, exons[e].start); });
    line += '\t';
    append_joined(line, gene_exons, [&](std::uint32_t e) { append_number(line, exons[e].end); });
    line += '\t';
    append_joined(line, gene_exons, [&](std::uint32_t e) { line += annotation::strand_char(exons[e].strand); });
    finish_line(g, model.union_length(g), gene_exons);
  }
}

void write_count_summary(std::ostream& out, const std::vector<FileCounts>& files, const CountOptions& options) {
  out << "Status";
  const std::vector<Column> columns = table_columns(files, options);
  for (const auto& column : columns) out << '\t' << (column.name == "-" ? "STDIN" : column.name);
  out << '\n';
  for (std::size_t s = 0; s < kReadStatusCount; ++s) {
    out << read_status_name(static_cast<ReadStatus>(s), options.non_split_only);
    for (const auto& column : columns) {
      out << '\t';
      if (column.targeted) {
        out << "NA";
      } else {
        out << column.status->counts[s];
      }
    }
    out << '\n';
  }
}

void write_gene_table(std::ostream& out, const annotation::GeneModel& model) {
  out << "gene_id\tgene_name\tgene_type\tlength\n";
  for (std::uint32_t g = 0; g < model.genes().size(); ++g) {
    const annotation::GeneInfo& gene = model.genes()[g];
    out << gene.id << '\t' << gene.name << '\t' << gene.type << '\t' << model.union_length(g) << '\n';
  }
}

void write_count_json(std::ostream& out, const annotation::GeneModel& model, const std::vector<FileCounts>& files,
                      const CountOptions& options, const CountRun& run) {
  using nlohmann::json;
  json doc = provenance_json("ifnsig count", run.command_line);
  doc["annotation"] = {{"path", model.path()},
                       {"md5", run.annotation_md5},
                       {"genes", model.genes().size()},
                       {"exons", model.exons().size()},
                       {"feature_type", options.annotation.feature_types},
                       {"gene_attribute", options.annotation.gene_attribute}};
  doc["options"] = rules_json(options);
  doc["threads"] = options.threads;
  json inputs = json::array();
  const auto summary_json = [&](const StatusCounts& status) {
    json statuses = json::object();
    for (std::size_t s = 0; s < kReadStatusCount; ++s) {
      statuses[std::string(read_status_name(static_cast<ReadStatus>(s), options.non_split_only))] = status.counts[s];
    }
    return statuses;
  };
  for (const auto& file : files) {
    const json statuses = summary_json(file.status);
    json item = {{"path", file.path},
                 {"format", file.format},
                 {"records", file.records},
                 {"strandedness", strandedness_name(file.strandedness)},
                 {"summary", statuses},
                 {"assigned_fraction", file.status.total() == 0
                                           ? 0.0
                                           : static_cast<double>(file.status[ReadStatus::kAssigned]) /
                                                 static_cast<double>(file.status.total())},
                 {"lone_mates", file.lone_mates},
                 {"lone_supplementary", file.lone_supplementary},
                 {"seconds", file.seconds},
                 {"records_per_second", file.seconds > 0 ? static_cast<double>(file.records) / file.seconds : 0.0},
                 {"profile", profile_json(file.profile)}};
    json renamed = json::array();
    for (const auto& contig : file.renamed_contigs) {
      renamed.push_back(json{{"alignment", contig.alignment},
                             {"annotation", contig.annotation},
                             {"rule", std::string(renamed_contig_rule_name(contig.rule))}});
    }
    item["renamed_contigs"] = renamed;
    if (options.by_read_group) {
      json groups = json::array();
      for (const auto& group : file.read_groups) {
        groups.push_back(json{{"id", group.id}, {"summary", summary_json(group.status)}});
      }
      item["read_groups"] = groups;
    }
    if (file.targeted) targeted_json(*file.targeted, item);
    if (file.strand_evidence.reads_used > 0) {
      item["strand_detection"] = {{"reads_used", file.strand_evidence.reads_used},
                                  {"same_strand_fraction", file.strand_evidence.forward_fraction()},
                                  {"opposite_strand_fraction", 1 - file.strand_evidence.forward_fraction()}};
    }
    inputs.push_back(item);
  }
  doc["inputs"] = inputs;
  doc["wall_seconds"] = run.wall_seconds;
  doc["cpu_seconds"] = run.cpu_seconds;
  out << json_text(doc, 2) << '\n';
}

}  // namespace ifnsig::count

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/count/junction_counts.hpp"

namespace ifnsig::count {

std::vector<std::filesystem::path> count_output_paths(const std::string& out_path, bool junction_counts) {
  std::vector<std::filesystem::path> paths{out_path, out_path + ".summary", out_path + ".genes.tsv", out_path + ".json"};
  if (junction_counts) paths.emplace_back(out_path + ".jcounts");
  return paths;
}

void write_count_outputs(const std::string& out_path, const annotation::GeneModel& model,
                         const std::vector<FileCounts>& files, const CountOptions& options, const CountRun& run) {
  const auto paths = count_output_paths(out_path, options.junction_counts);
  std::vector<AtomicFile> outputs;
  outputs.reserve(paths.size());  // built in place: never moved
  for (const auto& path : paths) outputs.emplace_back(path);
  write_count_table(outputs[0].stream(), model, files, options, run);
  write_count_summary(outputs[1].stream(), files, options);
  write_gene_table(outputs[2].stream(), model);
  write_count_json(outputs[3].stream(), model, files, options, run);
  if (options.junction_counts) write_junction_table(outputs[4].stream(), model, files, options.junction_genome);
  for (AtomicFile& output : outputs) output.commit();
}

}  // namespace ifnsig::count
