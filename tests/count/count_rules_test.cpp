#include <gtest/gtest.h>

#include <cstddef>
#include <nlohmann/json.hpp>
#include <utility>

#include "ifnsig/count/count_options.hpp"

namespace ifnsig::count {
namespace {

// Counts an aggregate's fields: the longest brace list of "anything" values it can be built from.
struct AnyValue {
  template <class T>
  operator T() const;  // only named in unevaluated operands
};
template <class T, class... Fields>
constexpr std::size_t field_count() {
  if constexpr (requires { T{std::declval<Fields>()..., AnyValue{}}; }) {
    return field_count<T, Fields..., AnyValue>();
  } else {
    return sizeof...(Fields);
  }
}

// A rule that rules_json() leaves out would not force ifnsig run to recount: the restart key is that JSON.
TEST(CountRulesTest, RulesJsonHasEveryField) {
  const nlohmann::json rules = rules_json(CountRules{});
  EXPECT_EQ(rules.size(), field_count<CountRules>());
  EXPECT_EQ(rules.at("annotation").size(), field_count<annotation::AnnotationOptions>());
}

TEST(CountRulesTest, EveryRuleChangesTheJson) {
  CountRules changed;
  changed.largest_overlap = true;
  EXPECT_NE(rules_json(changed), rules_json(CountRules{}));
  changed = {};
  changed.annotation.feature_types = {"CDS"};
  EXPECT_NE(rules_json(changed), rules_json(CountRules{}));
  changed = {};
  changed.strandedness = {Strandedness::kReverse};
  EXPECT_EQ(rules_json(changed).at("strandedness"), nlohmann::json::array({"reverse"}));
}

}  // namespace
}  // namespace ifnsig::count
