// Hive builder: writes a fresh, valid regf file from an in-memory tree (spec sections "Base block",
// "Hive bin", "Cell", "Key node", "Key value", "Key security", "Hash leaf"/"Fast leaf"/"Index
// root", "Big data").
//
// Layout: base block, then hive bins filled in depth-first order (each key's nk, class name, values
// and their data, then its subkeys, then its subkey list). Bins are 4096 bytes unless a cell needs
// more; the unused end of a bin is one free cell. All keys share one security cell. Output is a
// pure function of tree and options.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "regf/tree.hpp"

namespace hivelint::regf {

struct BuildOptions {
  std::uint64_t timestamp = 0;  // FILETIME written to the base block, the first hbin and every nk
  std::uint32_t minor_version =
      5;                     // 3 and 4 (lf lists, no big data*), 5 and 6 (lh, db)
                             // *1.4 has db cells, but libregf 20201007 reads them only from 1.5 on
  std::u16string file_name;  // base block "file name" field (at most 31 units are kept)
};

/// Subkeys per leaf list before the builder splits a key's subkeys under an index root (ri).
inline constexpr std::size_t kBuilderLeafCapacity = 511;

struct BuildResult {
  std::vector<std::uint8_t> bytes;
  std::size_t keys = 0;
  std::size_t values = 0;
};

/// Builds the hive. Throws UsageError for trees the format cannot hold (duplicate names, names
/// longer than 16383 units, more than 65535 subkeys under one list, data over 16344 bytes before
/// minor version 5, an unsupported minor version) and FormatError never (input is trusted to be a
/// tree, not bytes).
BuildResult build_hive(const TreeKey& root, const BuildOptions& options);

/// The security descriptor every built key gets: owner Administrators, group SYSTEM, a protected
/// DACL with full control for SYSTEM and Administrators and read access for Users, inherited by
/// subkeys.
std::vector<std::uint8_t> default_security_descriptor();

}  // namespace hivelint::regf
