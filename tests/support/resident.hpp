// How much of a mapping is resident, for tests of pages a mapped hive lets go.
#pragma once
#include <cstddef>

namespace hivelint::test {

/// Resident bytes of the mapping that holds `address`, from /proc/self/smaps (0 when none holds
/// it).
std::size_t resident_bytes_at(const void* address);
/// Bytes of that mapping that are memory of the process's own (a private file mapping's pages once
/// written: copy-on-write broken).
std::size_t anonymous_bytes_at(const void* address);

}  // namespace hivelint::test
