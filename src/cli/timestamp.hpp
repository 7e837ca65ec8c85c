// Timestamps given on the command line (--timestamp) as FILETIMEs: a fixed value makes output
// reproducible.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace hivelint::cli {

/// "2004-06-01T00:00:00Z" (UTC) or "now" (also when absent) as a FILETIME. Throws UsageError
/// otherwise.
std::uint64_t parse_timestamp(const std::optional<std::string>& text);

}  // namespace hivelint::cli
