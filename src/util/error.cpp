#include "util/error.hpp"

#include "util/bytes.hpp"

namespace hivelint {

FormatError::FormatError(FormatLocation where, const std::string& detail)
    : Error(where.structure + " at " + util::hex_offset(where.file_offset) + ": " + detail),
      where_(std::move(where)),
      detail_(detail) {}

}  // namespace hivelint
