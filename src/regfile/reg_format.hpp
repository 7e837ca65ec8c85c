// The text of a .reg file ("Windows Registry Editor Version 5.00") as regedit writes it, one piece
// at a time: pure functions that take a key path or a value (name, REG_* type, raw bytes) and
// produce regedit's lines. The caller owns the file: it writes kRegHeader once, then for each key a
// blank line, the key line and its value lines, then a final blank line (that is the whole of
// regedit's export layout), and encodes the text as UTF-16LE with a BOM (reg_utf16le_bytes).
//
// Rules (checked against Wine's regedit export code, programs/regedit/regproc.c, which copies
// Windows' output):
//   key line      [HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001]       (key names are written as they
//   are, and only
//                           those a key line can carry: see reg_key_name_problem; others are
//                           refused)
//   value name    "name"=   with \ and " escaped as \\ and \";  @=  for the default value (empty
//   name);
//                           names with CR, LF or NUL are refused (reg_value_name_problem)
//   comment       ; text    control characters escaped (util::escape_controls), so a comment stays
//   one line REG_SZ        "text"    when the data decodes cleanly: even size, exactly one UTF-16
//   NUL at the end, no
//                           unpaired surrogate, no CR or LF (regedit would break the line; Wine
//                           writes \r \n escapes Windows does not read). Anything else is hex(1):
//                           so no byte is lost.
//   REG_DWORD     dword:0000002a   (lowercase, 8 digits) when the data is exactly 4 bytes, else
//   hex(4): REG_BINARY    hex:de,ad,... other types   hex(N):...  with N in lowercase hex without
//   leading zeros (hex(2), hex(7), hex(b), hex(100))
// Hex data wrapping (regedit's MAX_HEX_CHARS = 77): the line length counts everything written on
// the current line, starting with the `"name"=hex(N):` prefix. After each "xx," the count grows by
// 3; when it reaches 77 or more and more bytes follow, the line ends with `\` + CRLF and the next
// one starts with two spaces (count 2). So no line exceeds 80 columns unless the value name alone
// is that long (regedit never wraps names).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hivelint::regfile {

/// The first line of a regedit 5.00 file, with its CRLF (the BOM is added by reg_utf16le_bytes).
inline constexpr std::u16string_view kRegHeader = u"Windows Registry Editor Version 5.00\r\n";
/// regedit's hex line budget: a line is broken once its length reaches this (Wine: MAX_HEX_CHARS).
inline constexpr std::size_t kRegHexLineChars = 77;

/// Why a key line cannot carry `name` as one key name, or "" when it can. A key line ends at the
/// line's end and its last ']', and its names are split at '\\', so CR, LF, ']', '\\' and an empty
/// name would make other keys (regedit imported HKLM\SOFTWARE\Evil from one such name, D4); NUL
/// ends a Win32 name; an unpaired surrogate or a name over 255 characters is not read back by
/// hivelint's own .reg reader (build).
std::string reg_key_name_problem(std::u16string_view name);
/// Why a value line cannot carry `name`, or "" when it can: CR, LF (regedit reads a line), NUL
/// (ends a Win32 name), more than 16383 characters (Windows' limit).
std::string reg_value_name_problem(std::u16string_view name);

/// Appends `[path]` + CRLF. `path` is the full key path including its root key
/// (HKEY_LOCAL_MACHINE\...). Throws InputError naming the key when one of its names cannot be
/// carried (reg_key_name_problem).
void append_key_line(std::u16string& out, std::u16string_view path);
/// Appends `[root\c1\c2...]` + CRLF, checking each name; throws InputError naming the key (whose
/// names are shown with control characters escaped).
void append_key_line(std::u16string& out, std::u16string_view root,
                     const std::vector<std::u16string>& names);
/// Throws UsageError unless `root` (e.g. HKEY_LOCAL_MACHINE\SYSTEM) can start every key line: names
/// a key line can carry, separated by single '\\', not starting with '-' (a deletion line).
void validate_reg_root(std::u16string_view root);
/// Appends "; " + `text` (UTF-8) + CRLF with control characters escaped: a comment is always
/// exactly one line.
void append_comment_line(std::u16string& out, std::string_view text);

/// Appends `"name"=` (escaped) or `@=` for the empty name; returns the number of characters
/// appended.
std::size_t append_value_name(std::u16string& out, std::u16string_view name);

/// Appends one value as regedit writes it: name, `=`, data (wrapped hex lines where needed) and the
/// final CRLF. Throws InputError when the name cannot be carried (reg_value_name_problem).
void append_value(std::u16string& out, std::u16string_view name, std::uint32_t type,
                  std::span<const std::uint8_t> data);

/// The line that deletes value `name` ("name"=- or @=-), CRLF included. Throws InputError like
/// append_value.
void append_value_deletion(std::u16string& out, std::u16string_view name);

/// The lines of one value (without CRLFs), e.g. {"\"Blob\"=hex:00,01,...,\\", "  1a,1b"}:
/// convenient for tests and callers that want lines rather than text.
std::vector<std::u16string> format_value_lines(std::u16string_view name, std::uint32_t type,
                                               std::span<const std::uint8_t> data);

/// `s` with `\` and `"` escaped the way regedit escapes names and strings.
std::u16string escape_reg_string(std::u16string_view s);

/// True when REG_SZ `data` is written as a quoted string (see the rules above); when false it is
/// hex(1):.
bool reg_sz_is_quotable(std::span<const std::uint8_t> data);

/// Appends the UTF-16LE bytes of `text` to `bytes` (no BOM).
void append_utf16le(std::string& bytes, std::u16string_view text);
/// BOM + UTF-16LE bytes of `text`: what regedit writes to disk.
std::string reg_utf16le_bytes(std::u16string_view text);

}  // namespace hivelint::regfile
