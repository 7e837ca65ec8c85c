// Parser for .reg files as regedit writes and imports them: "Windows Registry Editor Version 5.00"
// (UTF-16LE with BOM; UTF-8 accepted too, as hivexregedit writes it) and "REGEDIT4" (ANSI: UTF-8
// when it is valid UTF-8, else Windows-1252). Keys under the chosen prefix become a regf::TreeKey
// rooted at the hive root.
//
// Grammar (one logical line each; a line ending in '\' continues on the next, leading blanks
// dropped):
//   [KEY\PATH]            create/select a key         [-KEY\PATH]    delete the key and its subtree
//   "name"="text"         REG_SZ (\\ and \" escapes)  @="text"       the default value
//   "name"=dword:0000002a REG_DWORD                   "name"=-       delete the value
//   "name"=hex:de,ad      REG_BINARY                  "name"=hex(N):..  type N (hex), raw bytes
//   ; comment             blank lines
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "regf/tree.hpp"

namespace hivelint::regfile {

struct RegParseOptions {
  /// Key path that maps to the hive root, e.g. "HKEY_LOCAL_MACHINE\\SYSTEM" ("HKLM\\SYSTEM" works
  /// too). When absent, the first key in the file is taken as the root.
  std::optional<std::string> prefix;
  std::u16string root_name = u"ROOT";
};

struct RegParseResult {
  regf::TreeKey root;
  std::string prefix;    // as used, with the long root-key spelling (HKEY_LOCAL_MACHINE\SYSTEM)
  std::string encoding;  // "UTF-16LE", "UTF-8", "Windows-1252"
  std::string format;    // "Windows Registry Editor Version 5.00" or "REGEDIT4"
  std::size_t key_lines = 0;
  std::size_t value_lines = 0;
  std::vector<std::string> warnings;
};

/// Parses a whole .reg file. Throws InputError "<source>:<line>: <problem>" for anything it cannot
/// read.
RegParseResult parse_reg(std::span<const std::uint8_t> file_bytes, const RegParseOptions& options,
                         const std::string& source_name);

/// "HKLM\\Foo" -> "HKEY_LOCAL_MACHINE\\Foo" (also HKCU, HKCR, HKU, HKCC); other paths unchanged.
std::string expand_root_alias(std::string_view path);

}  // namespace hivelint::regfile
