#include "ifnsig/report/report_data.hpp"

namespace ifnsig::report {

double QcRow::assigned_fraction() const {
  const auto total = status.total();
  return total == 0 ? 0.0 : static_cast<double>(status[ReadStatus::kAssigned]) / static_cast<double>(total);
}

}  // namespace ifnsig::report
