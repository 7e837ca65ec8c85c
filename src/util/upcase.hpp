// Windows' case folding for registry names: each UTF-16 code unit is mapped through an upcase table
// (RtlUpcaseUnicodeChar semantics: one unit to one unit, surrogates unchanged, no locale).
#pragma once
#include <string>
#include <string_view>

namespace hivelint::util {

/// The uppercase form of one UTF-16 code unit as Windows computes it for registry names.
char16_t upcase(char16_t unit) noexcept;
/// Each unit of `name` through upcase().
std::u16string upcase(std::u16string_view name);
/// Appends upcase(utf8_to_utf16(name)) to `out`; ASCII names (nearly all) without a temporary
/// string.
void append_upcased(std::u16string& out, std::string_view name);
/// Appends the upcased name's length in two units, then its units: keys built from several names
/// this way are equal only when every name is (whatever units a hostile hive's names hold, '\\' and
/// NUL included).
void append_counted_upcased(std::u16string& out, std::string_view name);
/// Case-insensitive equality the way the registry compares key and value names.
bool names_equal(std::u16string_view a, std::u16string_view b) noexcept;
/// Same, for UTF-8 input (converted to UTF-16 first).
bool names_equal_utf8(std::string_view a, std::string_view b);
/// Windows' subkey order: compare upcased names unit by unit (<0, 0, >0).
int compare_names(std::u16string_view a, std::u16string_view b) noexcept;

}  // namespace hivelint::util
