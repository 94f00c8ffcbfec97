#include "read_details.hpp"

#include <algorithm>

#include "ifnsig/count/counter.hpp"

namespace ifnsig::count {
namespace {

// featureCounts writes 0 for the reads it rejects before looking for features, -1 for the other
// unassigned ones, and the number of targets for the assigned ones.
const char* unassigned_number(ReadStatus status) {
  switch (status) {
    case ReadStatus::kUnmapped:
    case ReadStatus::kReadType:
    case ReadStatus::kSingleton:
    case ReadStatus::kMappingQuality: return "0";
    default: return "-1";
  }
}

}  // namespace

void DetailLines::clear() {
  text.clear();
  slots.clear();
  ends.clear();
}

std::filesystem::path read_details_path(const std::string& input, const std::filesystem::path& directory) {
  return directory / (std::filesystem::path(input).filename().string() + ".featureCounts");
}

ReadDetails::ReadDetails(const annotation::GeneModel& model, const CountOptions& options,
                         const std::filesystem::path& file)
    : non_split_only_(options.non_split_only), file_(file) {
  if (options.feature_level) {
    for (const auto& exon : model.exons()) target_names_.push_back(model.genes()[exon.gene].id);
  } else {
    for (const auto& gene : model.genes()) target_names_.push_back(gene.id);
  }
}

void ReadDetails::add(DetailLines& lines, std::size_t slot, std::string_view name, ReadStatus status,
                      std::vector<TargetHit>& targets) const {
  std::string& text = lines.text;
  text += name;
  text += '\t';
  text += read_status_name(status, non_split_only_);
  text += '\t';
  if (status != ReadStatus::kAssigned) {
    text += unassigned_number(status);
    text += "\tNA\n";
  } else {
    std::sort(targets.begin(), targets.end(),
              [](const TargetHit& a, const TargetHit& b) { return a.target < b.target; });
    text += std::to_string(targets.size());
    char separator = '\t';
    for (const auto& hit : targets) {
      text += separator;
      text += target_names_[hit.target];
      separator = ',';
    }
    text += '\n';
  }
  lines.slots.push_back(static_cast<std::uint32_t>(slot));
  lines.ends.push_back(text.size());
}

void ReadDetails::write_batch(const DetailLines& in_batch, DetailLines& late) {
  order_.resize(late.slots.size());
  for (std::uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
  std::sort(order_.begin(), order_.end(),
            [&](std::uint32_t a, std::uint32_t b) { return late.slots[a] < late.slots[b]; });
  const auto line = [](const DetailLines& lines, std::size_t i) {
    const std::size_t begin = i == 0 ? 0 : lines.ends[i - 1];
    return std::string_view(lines.text).substr(begin, lines.ends[i] - begin);
  };
  std::ostream& out = file_.stream();
  std::size_t next_late = 0;
  for (std::size_t i = 0; i < in_batch.slots.size(); ++i) {
    for (; next_late < order_.size() && late.slots[order_[next_late]] < in_batch.slots[i]; ++next_late) {
      out << line(late, order_[next_late]);
    }
    out << line(in_batch, i);
  }
  for (; next_late < order_.size(); ++next_late) out << line(late, order_[next_late]);
  late.clear();
}

void ReadDetails::write_lines(const DetailLines& lines) { file_.stream() << lines.text; }

}  // namespace ifnsig::count
