// Owns: reading an annotation for counting (the gene model and the file's MD5, on two threads when the budget
//       has two) and the annotation cache: a binary copy of both in a directory the user names
//       (--annotation-cache), keyed by the annotation file's identity (absolute path, size, modification and
//       status-change times, inode) and the options that shape the model, so that the many jobs of a cohort
//       parse a GENCODE-size GTF once.
// Thread-safety: processes may share a cache directory: a copy is written under a temporary name and renamed,
//       so a reader sees a whole copy or none.
// Invariant: a copy is used only for the file and options it was made from; a copy that cannot be read is a
//            miss (the annotation is read and the copy written again), never an error, and one that cannot be
//            written is a warning.
#pragma once
#include <filesystem>
#include <string>

#include "ifnsig/annotation/gene_model.hpp"

namespace ifnsig::annotation {

struct Annotation {
  GeneModel model;
  std::string md5;  // empty for what is not a regular file (a pipe)
  bool from_cache = false;
};

// An empty cache_dir: no cache.
Annotation load_annotation(const std::string& path, const AnnotationOptions& options,
                           const std::filesystem::path& cache_dir, int threads);

}  // namespace ifnsig::annotation
