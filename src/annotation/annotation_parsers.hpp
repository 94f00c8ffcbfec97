// Owns: the line parsers for GTF, GFF3 and SAF that fill a GeneModel (private to the annotation module), with
//       featureCounts 2.0.3's rules for which lines it skips and how it reads attribute columns.
// Thread-safety: stateless functions.
// Invariant: every rejected line raises InputError with the file, the line number and a hint; lines skipped or
//            read loosely, as featureCounts does, give one warning per file and kind.
#pragma once
#include <string>

#include "ifnsig/annotation/gene_model.hpp"

namespace ifnsig::annotation {

AnnotationFormat detect_annotation_format(const std::string& path);
// SAF: GeneID Chr Start End Strand.
void read_saf(const std::string& path, GeneModel& model);
// GTF and GFF3: attributes may be `key "value";` or `key=value;`. When a GFF3 feature lacks the gene
// attribute, its Parent chain is followed up to the gene.
void read_gtf_or_gff3(const std::string& path, AnnotationFormat format, const AnnotationOptions& options,
                      GeneModel& model);

}  // namespace ifnsig::annotation
