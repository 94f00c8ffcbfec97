#include "ifnsig/report/report_data.hpp"

#include <limits>

namespace ifnsig::report {

double QcRow::assigned_fraction() const {
  if (!status_known()) return std::numeric_limits<double>::quiet_NaN();
  const auto total = status.total();
  return total == 0 ? 0.0 : static_cast<double>(status[ReadStatus::kAssigned]) / static_cast<double>(total);
}

}  // namespace ifnsig::report
