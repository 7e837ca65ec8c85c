// `hivelint verify`: the structural findings of one hive, as text or JSON.
#pragma once
#include <optional>
#include <ostream>
#include <string>

#include "regf/verify.hpp"
#include "report/provenance.hpp"

namespace hivelint::report {

struct VerifyReport {
  std::string hive;                         // path as given
  std::string error;                        // set when the hive is unreadable (exit 3)
  std::optional<regf::VerifyResult> result;  // set otherwise
  std::optional<Provenance> provenance;
  std::optional<hive::InputFiles> inputs;    // the hive file (and the logs read, when they were replayed)
};

/// "clean", "inconsistent" or "unreadable".
const char* verify_verdict(const VerifyReport& report);
std::string render_verify_json(const VerifyReport& report);
void render_verify_text(const VerifyReport& report, std::ostream& out);

}  // namespace hivelint::report
