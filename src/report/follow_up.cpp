#include "ifnsig/report/follow_up.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>

#include "ifnsig/core/error.hpp"
#include "ifnsig/io/text.hpp"

namespace ifnsig::report {
namespace {

std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// Natural order: runs of digits compare as numbers (V2 before V10), the rest as text.
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i_end = i, j_end = j;
      while (i_end < a.size() && std::isdigit(static_cast<unsigned char>(a[i_end]))) ++i_end;
      while (j_end < b.size() && std::isdigit(static_cast<unsigned char>(b[j_end]))) ++j_end;
      const std::string x = a.substr(i, i_end - i), y = b.substr(j, j_end - j);
      const auto strip = [](const std::string& s) { return s.substr(std::min(s.find_first_not_of('0'), s.size())); };
      const std::string xs = strip(x), ys = strip(y);
      if (xs.size() != ys.size()) return xs.size() < ys.size();
      if (xs != ys) return xs < ys;
      i = i_end;
      j = j_end;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

bool all_numbers(const std::vector<std::string>& times) {
  return std::all_of(times.begin(), times.end(), [](const std::string& t) { return t.empty() || number(t); });
}

// The labels in order: visit_order's, else the natural order of those used.
std::vector<std::string> visit_labels(const std::vector<std::string>& times, const std::vector<std::string>& visit_order) {
  if (!visit_order.empty()) return visit_order;
  std::vector<std::string> labels;
  for (const auto& t : times) {
    if (!t.empty() && std::find(labels.begin(), labels.end(), t) == labels.end()) labels.push_back(t);
  }
  std::sort(labels.begin(), labels.end(), natural_less);
  return labels;
}

}  // namespace

std::string follow_up_time_problem(const std::vector<std::string>& times, const std::vector<std::string>& visit_order) {
  if (all_numbers(times)) return {};
  std::vector<std::string> unlisted;
  for (const auto& t : times) {
    if (t.empty() || visit_order.empty()) continue;
    if (std::find(visit_order.begin(), visit_order.end(), t) == visit_order.end() &&
        std::find(unlisted.begin(), unlisted.end(), t) == unlisted.end()) {
      unlisted.push_back(t);
    }
  }
  if (unlisted.empty()) return {};
  return "time " + quote_field(unlisted.front()) + " is not in --visit-order (" + io::join(visit_order, ",") + ")";
}

FollowUp build_follow_up(const ReportData& data, const std::vector<std::string>& subject,
                         const std::vector<std::string>& time, const std::string& time_unit,
                         const std::vector<std::string>& visit_order) {
  FollowUp out;
  std::vector<std::string> followed_times;
  for (std::size_t i = 0; i < subject.size(); ++i) {
    if (!subject[i].empty()) followed_times.push_back(time[i]);
  }
  if (followed_times.empty()) return out;
  out.time = time;
  out.time_unit = time_unit;
  out.numeric_time = all_numbers(followed_times);
  if (!out.numeric_time) out.visits = visit_labels(followed_times, visit_order);
  const auto x_of = [&](const std::string& t) {
    if (out.numeric_time) return *number(t);
    return static_cast<double>(std::find(out.visits.begin(), out.visits.end(), t) - out.visits.begin());
  };
  // Subjects in the order of their first sample; their samples in time order (sheet order among equal times).
  std::vector<std::string> subjects;
  std::map<std::string, std::vector<int>> samples;
  for (std::size_t i = 0; i < subject.size(); ++i) {
    if (subject[i].empty()) continue;
    if (!samples.contains(subject[i])) subjects.push_back(subject[i]);
    samples[subject[i]].push_back(static_cast<int>(i));
  }
  for (const auto& name : subjects) {
    auto& list = samples[name];
    std::stable_sort(list.begin(), list.end(), [&](int a, int b) {
      return x_of(time[static_cast<std::size_t>(a)]) < x_of(time[static_cast<std::size_t>(b)]);
    });
    if (list.size() == 1) out.single_sample_subjects.push_back(name);
  }
  for (std::size_t p = 0; p < data.panels.size(); ++p) {
    for (const auto& name : subjects) {
      const auto& list = samples[name];
      if (list.size() < 2) continue;
      Trajectory trajectory{name, p, {}};
      for (const int s : list) {
        const ScorePoint& point = data.panels[p].points[static_cast<std::size_t>(s)];
        trajectory.points.push_back({s, x_of(time[static_cast<std::size_t>(s)]), point.score, point.call});
      }
      out.trajectories.push_back(std::move(trajectory));
    }
  }
  return out;
}

double fold_change_from_baseline(const Trajectory& trajectory, const TrajectoryPoint& point) {
  const double baseline = trajectory.points.front().score;
  return point.score > 0 && baseline > 0 ? point.score / baseline : std::numeric_limits<double>::quiet_NaN();
}

void write_trajectories(std::ostream& out, const ReportData& data) {
  out << "subject\tpanel\tmethod\ttime\tsample\tscore\tcall\tbaseline_score\tfold_change\tdifference\tcall_changed\n";
  for (const auto& trajectory : data.follow_up.trajectories) {
    const PanelScores& panel = data.panels[trajectory.panel];
    const TrajectoryPoint& baseline = trajectory.points.front();
    for (const auto& point : trajectory.points) {
      out << trajectory.subject << '\t' << panel.panel << '\t' << panel.method << '\t'
          << data.follow_up.time[static_cast<std::size_t>(point.sample)] << '\t'
          << data.qc[static_cast<std::size_t>(point.sample)].sample << '\t' << io::format_double(point.score) << '\t'
          << point.call << '\t' << io::format_double(baseline.score) << '\t'
          << io::format_double(fold_change_from_baseline(trajectory, point)) << '\t'
          << io::format_double(point.score - baseline.score) << '\t' << (point.call == baseline.call ? "no" : "yes")
          << '\n';
    }
  }
}

}  // namespace ifnsig::report
