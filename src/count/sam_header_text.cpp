#include "sam_header_text.hpp"

#include <string_view>
#include <unordered_set>

namespace ifnsig::count {
namespace {

io::HeaderPtr parse_header(const std::string& text) {
  return io::HeaderPtr(text.empty() ? sam_hdr_init() : sam_hdr_parse(text.size(), text.c_str()));
}

// The contig an `@SQ` line names (its SN tag), empty for other lines.
std::string_view contig_named(std::string_view line) {
  if (!line.starts_with("@SQ\t")) return {};
  const std::size_t tag = line.find("\tSN:");
  if (tag == std::string_view::npos) return {};
  const std::string_view rest = line.substr(tag + 4);
  return rest.substr(0, rest.find('\t'));
}

// HTSlib's SAM reader takes a header line only of these types, whatever its parser of header text accepts
// (which takes a bare `@PG`, `@XY` or `@pg`).
bool known_type(std::string_view line) {
  return line.starts_with("@HD\t") || line.starts_with("@SQ\t") || line.starts_with("@RG\t") ||
         line.starts_with("@PG\t") || line.starts_with("@CO");
}

}  // namespace

ReadableSamHeader keep_readable_header_lines(const std::vector<std::string>& lines) {
  ReadableSamHeader result;
  std::string text;
  bool known_types = true;
  for (const auto& line : lines) {
    known_types = known_types && known_type(line);
    (text += line) += '\n';
  }
  if (known_types) {
    result.header = parse_header(text);
    if (result.header) return result;
  }

  text.clear();
  std::unordered_set<std::string_view> contigs;
  std::vector<std::string_view> left_out_contigs;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string alone = lines[i] + '\n';
    const std::string_view contig = contig_named(lines[i]);
    const bool readable = known_type(lines[i]) && parse_header(alone) != nullptr &&
                          (contig.empty() || contigs.insert(contig).second);
    if (readable) {
      text += alone;
      continue;
    }
    if (result.left_out++ == 0) {
      result.first_left_out = i + 1;
      result.first_left_out_text = lines[i];
    }
    if (!contig.empty()) left_out_contigs.push_back(contig);
  }
  for (const std::string_view contig : left_out_contigs) {
    if (!contigs.contains(contig)) result.contigs_left_out.emplace_back(contig);
  }
  result.header = parse_header(text);
  return result;
}

}  // namespace ifnsig::count
