// Owns: gene sets: the built-in panel files (data/panels/*.tsv, with citation, version and status) and
//       user sets from GMT files; finding the panel directory of an installed or built ifnsig.
// Thread-safety: value types and pure functions (reading files only).
// Invariant: a GeneSet has a non-empty name and at least one member; members are unique by symbol.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace ifnsig::score {

struct GeneSetMember {
  std::string symbol;                // as published (may be a legacy symbol)
  std::vector<std::string> aliases;  // current symbols or other ids tried when `symbol` is absent
  std::vector<std::string> ids;      // Entrez and Ensembl gene ids (built-in panels), tried last
};

struct GeneSet {
  std::string name;
  std::string title;
  std::string citation;
  std::string doi;
  std::string version;
  std::string status;  // "confirmed", "unconfirmed", "derived" (set rules on confirmed lists), or "user" for GMT sets
  std::string source;
  std::string licence;
  std::string method;  // the method the set was published with (e.g. "rice"); empty for GMT sets
  std::string note;
  std::string response;    // "type I", "type II" (panels that separate the two responses) or empty
  std::string derivation;  // the set rule a derived panel was built by
  std::string origin;  // the file it was read from
  std::vector<GeneSetMember> members;
};

// One built-in panel file: `key<TAB>value` lines, `gene<TAB>SYMBOL[<TAB>ALIAS,...[<TAB>ID,...]]` once per member.
GeneSet read_panel_file(const std::filesystem::path& path);
// Every panel file (*.tsv) in `panel_dir`, sorted by name.
std::vector<GeneSet> read_builtin_panels(const std::filesystem::path& panel_dir);
// GMT: `name<TAB>description<TAB>gene...` per line.
std::vector<GeneSet> read_gmt(const std::filesystem::path& path);

// The panel directory: $IFNSIG_DATA_DIR/panels, then <executable dir>/../share/ifnsig/panels, then
// <compiled_in_data_dir>/panels; the first that exists. Throws InputError naming all three.
std::filesystem::path find_panel_dir(const std::filesystem::path& executable, const std::string& compiled_in_data_dir);

// Resolves --panel arguments: a built-in name, or a .gmt file (every set in it, or FILE.gmt:SET for one).
std::vector<GeneSet> resolve_panels(const std::vector<std::string>& specs, const std::filesystem::path& panel_dir);

}  // namespace ifnsig::score
