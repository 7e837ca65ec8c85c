// Which Windows hive a file is (SYSTEM, SOFTWARE, SAM, NTUSER ...), from the keys under its root
// and, when they say nothing, the file name Windows stored in the base block. Rules scoped to a
// ControlSet apply to SYSTEM hives only: a user's NTUSER.DAT in an evidence folder is "not
// applicable", not an error about Select.
#pragma once
#include <string>
#include <string_view>

#include "hive/hive_reader.hpp"

namespace hivelint::rules {

/// True when the root has a Select key or a ControlSetNNN key: a SYSTEM hive, even a damaged one (a
/// missing Select is then an error, never a silent "not applicable").
bool looks_like_system(const hive::HiveReader& reader);

/// "SYSTEM", "SOFTWARE", "SAM", "SECURITY", "NTUSER", "UsrClass", "Amcache", "BCD", "COMPONENTS",
/// "DRIVERS", "ELAM", "BBI" or "other". `embedded_file_name` is the base block's file name field
/// (UTF-8), used only when the root keys match no kind (e.g. an empty hive). Throws what the reader
/// throws.
std::string classify_hive(const hive::HiveReader& reader, std::string_view embedded_file_name);

}  // namespace hivelint::rules
