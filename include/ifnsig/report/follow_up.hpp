// Owns: the follow-up of subjects sampled over time (the sheet's `subject` and `time` columns): reading the
//       times (numbers in one unit, or visit labels in a given or natural order), each subject's trajectory
//       per panel, and trajectories.tsv (each sample's change from its subject's first sample).
// Thread-safety: pure functions.
// Invariant: a trajectory's points are in time order and its first is the baseline; subjects with one sample
//            are listed, not drawn.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "ifnsig/report/report_data.hpp"

namespace ifnsig::report {

// The problem with a sheet's times (those of its followed samples), empty when there is none: numbers when
// every one is a number, else labels, which `visit_order` (when given) must list.
std::string follow_up_time_problem(const std::vector<std::string>& times, const std::vector<std::string>& visit_order);

// `subject` and `time` per sample (sheet order; an empty subject is not followed). Reads data.panels.
FollowUp build_follow_up(const ReportData& data, const std::vector<std::string>& subject,
                         const std::vector<std::string>& time, const std::string& time_unit,
                         const std::vector<std::string>& visit_order);

// A point's score over its trajectory's baseline score; NaN unless both are positive.
double fold_change_from_baseline(const Trajectory& trajectory, const TrajectoryPoint& point);

// The follow-up table's file name in a run's OUTDIR.
inline constexpr const char* kTrajectoriesFile = "trajectories.tsv";
// `subject panel method time sample score call baseline_score fold_change difference call_changed`: one row
// per sample of every drawn trajectory; fold_change as fold_change_from_baseline (NA for NaN).
void write_trajectories(std::ostream& out, const ReportData& data);

}  // namespace ifnsig::report
