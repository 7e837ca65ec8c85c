// `hivelint verify`: the structural findings of one hive, as text or JSON.
#pragma once
#include <optional>
#include <ostream>
#include <string>

#include "regf/recovery.hpp"
#include "regf/verify.hpp"
#include "report/provenance.hpp"

namespace hivelint::report {

struct VerifyReport {
  std::string hive;                          // path as given
  std::string error;                         // set when the hive is unreadable (exit 3)
  std::optional<regf::VerifyResult> result;  // set otherwise
  std::optional<Provenance> provenance;
  std::optional<hive::InputFiles>
      inputs;  // the hive file (and the logs read, when they were replayed)
  std::optional<regf::RecoveryReport>
      recovery;          // log replay before verifying (set once the file was read)
  bool no_logs = false;  // --no-logs: the file was verified as it is on purpose
};

/// What was verified: "recovered image from A.LOG1, A.LOG2" when logs were applied, else "the file
/// as it is".
std::string verified_what(const VerifyReport& report);
/// For a dirty hive verified as it is: what to run instead ("" otherwise).
std::string verify_hint(const VerifyReport& report);

/// "clean", "inconsistent" or "unreadable".
const char* verify_verdict(const VerifyReport& report);
std::string render_verify_json(const VerifyReport& report);
void render_verify_text(const VerifyReport& report, std::ostream& out);

}  // namespace hivelint::report
