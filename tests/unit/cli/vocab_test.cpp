#include "cli/vocab.hpp"

#include <catch2/catch.hpp>

using hivelint::cli::closest_match;
using hivelint::cli::did_you_mean;
using hivelint::cli::edit_distance;
using hivelint::cli::match_ignoring_case;

TEST_CASE("vocab: a word that differs only in case is the same word", "[cli][vocab]") {
  const std::vector<std::string> formats{"text", "json", "jsonl"};
  CHECK(match_ignoring_case("JSON", formats) == std::optional<std::string>("json"));
  CHECK(match_ignoring_case("kb277770", {"KB277770"}) == std::optional<std::string>("KB277770"));
  CHECK_FALSE(match_ignoring_case("jso", formats));
}

TEST_CASE("vocab: did you mean, by prefix or edit distance, never a guess between two",
          "[cli][vocab]") {
  const std::vector<std::string> rules{"KB277770", "SCM-DEPENDENCY-MISSING", "SCM-SERVICE-DELETED"};
  CHECK(closest_match("KB27770", rules) == std::optional<std::string>("KB277770"));  // one deletion
  CHECK(closest_match("kb", rules) == std::optional<std::string>("KB277770"));  // unique prefix
  CHECK_FALSE(closest_match("SCM-", rules));                                    // prefix of two
  CHECK_FALSE(closest_match("zzz", rules));
  CHECK(closest_match("hivlint", {"libregf", "hivelint"}) ==
        std::optional<std::string>("hivelint"));
  CHECK(did_you_mean("jsn", {"text", "json"}) == " (did you mean json?)");
  CHECK(did_you_mean("xml", {"text", "json"}).empty());
  CHECK_FALSE(closest_match("", {"a"}));
}

TEST_CASE("vocab: edit distance folds ASCII case only", "[cli][vocab]") {
  CHECK(edit_distance("abc", "ABC") == 0);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("rge", "reg") == 1);  // a swap of neighbours is one edit
}
