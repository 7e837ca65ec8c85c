// .reg fix files as regedit writes them (and imports them without a question), the value lines from
// reg_format (shared with `export`): "Windows Registry Editor
// Version 5.00", UTF-16LE with a BOM, CRLF line ends, one block per key followed by a blank line.
//
//   "name"="text"          REG_SZ that decodes cleanly (terminated, no inner NUL, no CR/LF), \ and
//   " escaped
//   @=...                  the key's default value
//   "name"=dword:0000002a  REG_DWORD of 4 bytes, lowercase hex
//   "name"=hex:..          REG_BINARY;  "name"=hex(N):..  any other type, N in lowercase hex
//   (hex(7) = MULTI_SZ) "name"=-               delete the value (RegValue::remove)
// Hex data is wrapped the way regedit wraps it: after a comma, once the line (counted from its
// first column, the name part and the "hex(N):" prefix included) reaches 77 characters, the line
// ends with '\' and the next starts with two spaces.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hivelint::regfile {

struct RegValue {
  std::string name;  // UTF-8; "" = default value
  std::uint32_t type = 0;
  std::vector<std::uint8_t> data;
  bool remove = false;  // write "name"=- (delete the value); type and data unused
};

struct RegKeyBlock {
  std::string path;              // full path with the root key's long name (HKEY_LOCAL_MACHINE\...)
  std::vector<RegValue> values;  // in the order they are to be written
};

/// One value's line(s) without the final CRLF (continuation lines joined with "\\\r\n  ").
std::string format_value(const RegValue& value);

/// The whole file as UTF-8 text with CRLF line ends: header, blank line, the `comments` (each as ";
/// ..."), then every block followed by a blank line.
std::string format_reg_file(const std::vector<std::string>& comments,
                            const std::vector<RegKeyBlock>& blocks);

/// The text as regedit writes it to disk: UTF-16LE with BOM.
std::vector<std::uint8_t> encode_utf16le_with_bom(const std::string& text);

}  // namespace hivelint::regfile
