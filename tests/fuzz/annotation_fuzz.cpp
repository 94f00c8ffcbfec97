// GTF, GFF3 and SAF annotations (the first byte picks the format, as -F would, or leaves it to detection),
// read into a GeneModel and indexed as counting indexes it.
#include "fuzz_input.hpp"
#include "ifnsig/annotation/feature_index.hpp"
#include "ifnsig/annotation/gene_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  using ifnsig::annotation::AnnotationFormat;
  constexpr AnnotationFormat kFormats[] = {AnnotationFormat::kAuto, AnnotationFormat::kGtf,
                                           AnnotationFormat::kGff3, AnnotationFormat::kSaf};
  ifnsig::annotation::AnnotationOptions options;
  options.format = kFormats[data[0] % 4];
  if ((data[0] & 4) != 0) options.extra_attributes = {"gene_name"};
  const std::string path = ifnsig::fuzz::write_input(data + 1, size - 1, "annotation");
  ifnsig::fuzz::expect_clean_outcome([&] {
    const ifnsig::annotation::GeneModel model = ifnsig::annotation::GeneModel::read(path, options);
    const ifnsig::annotation::FeatureIndex index(model, (data[0] & 8) != 0, 1);
  });
  return 0;
}
