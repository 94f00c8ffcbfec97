#include "ifnsig/core/json_io.hpp"

namespace ifnsig {

std::string json_text(const nlohmann::json& doc, int indent) {
  return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ifnsig
