// libregf 20201007 (Debian 12) marks a key as corrupted when any offset in three places does not
// fall inside one of its hive bins (libregf_key_item_read, libregf_key_item_read_sub_keys_list and
// _read_values_list):
//   - an element of the key's subkeys list (through an index root),
//   - an element of the key's values list,
//   - the values list offset itself, even when the key has no values.
// The last one fires on every key without values: Windows writes their values list offset as
// 0xFFFFFFFF
// ("none"), which is inside no hive bin. On a Windows 7 SYSTEM hive (hives-real/regipy/SYSTEM) that
// flags the root, ControlSet001 and hundreds of keys below it, none of them damaged. Passed on as
// they are, those flags would tell an examiner that a sound hive is corrupt.
//
// This file decides, from hivelint's own reading of the key in the same image, whether a flag is
// that and nothing else. The answer is "yes" only when every place libregf looks is provably fine;
// anything unreadable or doubtful keeps libregf's warning.
#pragma once
#include <cstdint>
#include <span>

namespace hivelint::hive {

/// True when the key node whose cell starts at `nk_cell` (file offset) has no values, a values list
/// offset of "none", and a subkeys list (if it has subkeys) whose every element is an allocated
/// cell inside the hive bins that the base block declares: then libregf's "corrupted" flag on it
/// says nothing about damage. False in every other case, including any damage met on the way. Never
/// throws.
bool libregf_flag_is_empty_values_quirk(std::span<const std::uint8_t> image, std::uint64_t nk_cell);

}  // namespace hivelint::hive
