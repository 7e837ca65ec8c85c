// A fast path for libregf's by-name subkey lookup. libregf 20201007 finds every cell with a linear
// search over its list of hive bins (libfdata_list_get_element_index_at_offset), and its by-name
// lookup reads the key node of each subkey in turn until a name matches: on the 540 MB benchmark
// hive (58,779 hive bins, 5,300 services) that was 3 s of `hivelint check`'s 3.1 s (perf,
// docs/performance.md). Here the parent's subkey list is read straight from the mapped image (list
// cells, and only the key nodes whose lh hash matches), giving the position of the wanted name;
// libregf then opens that one subkey by index.
//
// A name that is present is only ever a hint: it is read without the CellMap (which would cost a
// scan of the whole file), so the caller checks that the subkey libregf returns at that index has
// the wanted name, and falls back to libregf's own lookup otherwise. A name that is absent is
// decided here (kAbsent) only when the list holds exactly the number of subkeys libregf counts for
// the parent and every element is a key node cell whose name was read and compared (a wrong lh hash
// cannot hide a key); the caller then skips libregf's lookup, which would read those same key nodes
// with a linear search over the hive bins for each one (2 s of a 0.1 s check on a hivex-grown 400
// MB hive, docs/performance.md). Anything else is kUnknown: libregf decides.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "regf/format.hpp"

namespace hivelint::hive {

struct SubkeyHint {
  enum class Kind { kUnknown, kFound, kAbsent };
  Kind kind = Kind::kUnknown;
  std::size_t index = 0;  // kFound: position in stored list order
};

/// subkey_index_hint() for many lookups in one image: each parent's subkey list, and each key node
/// name read on the way, is read once (a check confirming 5,000 services under one Services key
/// read its list of 4,000 elements again for each: a third of the check on a hivex-grown hive,
/// perf). Memory: one element and at most one name per listed subkey, so bounded by the image. The
/// image must not change while this is used. Not thread-safe.
class SubkeyHints {
 public:
  explicit SubkeyHints(std::span<const std::uint8_t> image) : image_(image) {}
  /// As subkey_index_hint(image, nk_cell, wanted, expected_count).
  SubkeyHint find(std::uint64_t nk_cell, std::u16string_view wanted,
                  std::size_t expected_count) const;

 private:
  struct Element {
    regf::CellOffset offset;
    bool hashed = false;  // an lh element: `check` is the name's hash
    std::uint32_t check = 0;
    enum class Name : std::uint8_t { kUnread, kRead, kUnreadable } state = Name::kUnread;
    std::u16string name;  // kRead: the key node's name as stored
  };
  struct Listing {
    bool usable = false;  // the parent and its whole list were read
    std::size_t subkey_count = 0;
    std::vector<Element> elements;
  };
  Listing& listing(std::uint64_t nk_cell) const;
  const Element& named(Element& e) const;

  std::span<const std::uint8_t> image_;
  mutable std::unordered_map<std::uint64_t, Listing> listings_;
};

/// Where the subkey named `wanted` (Windows' case rules) of the key node whose cell starts at file
/// offset `nk_cell` is, or that it is absent; kUnknown when the list does not hold `expected_count`
/// elements or anything on the way is damaged. Never throws for damage.
SubkeyHint subkey_index_hint(std::span<const std::uint8_t> image, std::uint64_t nk_cell,
                             std::u16string_view wanted, std::size_t expected_count);

/// The same kind of hint for a value: the position, in the key's values list, of the value named
/// `wanted` (Windows' case rules) of the key node at file offset `nk_cell`, read straight from the
/// image. libregf's by-name lookup reads each value key in list order until a name matches, each
/// one through its linear search over the hive bins; with the position it reads one. nullopt when
/// the list does not hold `expected_count` offsets (libregf skips offsets outside its hive bins,
/// and its indexes then differ), when no readable value key has the name, or when anything on the
/// way is damaged: libregf's own lookup decides. Only a hint: the caller checks the name libregf
/// reads at that position. Never throws for damage.
std::optional<std::size_t> value_index_hint(std::span<const std::uint8_t> image,
                                            std::uint64_t nk_cell, std::u16string_view wanted,
                                            std::size_t expected_count);

}  // namespace hivelint::hive
