#include "ifnsig/annotation/annotation_cache.hpp"

#include <sys/stat.h>

#include <fstream>
#include <future>
#include <memory>
#include <optional>

#include "ifnsig/core/atomic_file.hpp"
#include "ifnsig/core/checksum.hpp"
#include "ifnsig/core/log.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::annotation {
namespace {

constexpr const char* kCacheFormat = "ifnsig-annotation-cache 1";

// The cache file of `path` under these options; nullopt for what is not a regular file.
std::optional<std::filesystem::path> cache_file(const std::string& path, const AnnotationOptions& options,
                                                const std::filesystem::path& cache_dir) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
  std::error_code ec;
  const auto absolute = std::filesystem::weakly_canonical(path, ec);
  std::string key = std::string(kCacheFormat) + '\n' + (ec ? path : absolute.string()) + '\n' +
                    std::to_string(status.st_size) + ' ' + std::to_string(status.st_mtim.tv_sec) + '.' +
                    std::to_string(status.st_mtim.tv_nsec) + ' ' + std::to_string(status.st_ctim.tv_sec) + '.' +
                    std::to_string(status.st_ctim.tv_nsec) + ' ' + std::to_string(status.st_ino) + '\n' +
                    std::to_string(static_cast<int>(options.format)) + '\n' + io::join(options.feature_types, ",") +
                    '\n' + options.gene_attribute + '\n' + io::join(options.extra_attributes, ",");
  return cache_dir / (md5_of_text(key) + ".annotation");
}

std::optional<Annotation> read_cached(const std::filesystem::path& file, const std::string& path,
                                      const AnnotationOptions& options) {
  // One read of the whole copy: the model is parsed from memory.
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  const auto size = static_cast<std::size_t>(in.tellg());
  const auto buffer = std::make_unique_for_overwrite<char[]>(size);
  if (!in.seekg(0) || !in.read(buffer.get(), static_cast<std::streamsize>(size))) return std::nullopt;
  const std::string_view bytes(buffer.get(), size);
  // Two text lines (the format, the annotation's MD5), then the model's binary form.
  const std::string_view format = kCacheFormat;
  const std::size_t md5_start = format.size() + 1, model_start = md5_start + 32 + 1;
  if (bytes.size() < model_start || !bytes.starts_with(format) || bytes[format.size()] != '\n' ||
      bytes[model_start - 1] != '\n') {
    return std::nullopt;
  }
  auto model = GeneModel::read_binary(bytes.substr(model_start), path, options);
  if (!model) return std::nullopt;
  return Annotation{std::move(*model), std::string(bytes.substr(md5_start, 32)), true};
}

void write_cached(const std::filesystem::path& file, const Annotation& annotation) {
  try {
    std::filesystem::create_directories(file.parent_path());
    AtomicFile out(file);
    out.stream() << kCacheFormat << '\n' << annotation.md5 << '\n';
    annotation.model.write_binary(out.stream());
    out.commit();
    log_info("annotation cached in " + file.string());
  } catch (const std::exception& error) {  // the cache only saves time: counting goes on without it
    log_warning("the annotation cache " + file.parent_path().string() + " cannot be written (" + error.what() +
                "); the annotation will be read again next time");
  }
}

}  // namespace

Annotation load_annotation(const std::string& path, const AnnotationOptions& options,
                           const std::filesystem::path& cache_dir, int threads) {
  const auto file = cache_dir.empty() ? std::nullopt : cache_file(path, options, cache_dir);
  if (file) {
    if (auto cached = read_cached(*file, path, options)) {
      log_info("annotation " + path + " from the cache " + file->string());
      return std::move(*cached);
    }
  }
  // On a GENCODE-size GTF the MD5 takes about as long as the parsing: a second thread computes it when the
  // budget has two (at one, inline).
  auto md5 = std::async(threads > 1 ? std::launch::async : std::launch::deferred, [&] { return md5_of_file(path); });
  Annotation annotation{GeneModel::read(path, options), {}, false};
  annotation.md5 = md5.get();
  if (file) write_cached(*file, annotation);
  return annotation;
}

}  // namespace ifnsig::annotation
