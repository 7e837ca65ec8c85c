// One change to a hive, backend-neutral: what a rule's fix plans and what the patch layer applies.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hive/key_path.hpp"
#include "hive/value.hpp"

namespace hivelint::hive {

struct Edit {
  enum class Kind { kCreateKey, kSetValue, kDeleteValue };
  Kind kind = Kind::kSetValue;
  KeyPath key;                     // hive-relative (the ControlSet already resolved)
  std::string value_name;          // kSetValue, kDeleteValue; "" = default value
  std::uint32_t type = 0;          // kSetValue: new type
  std::vector<std::uint8_t> data;  // kSetValue: new data
  std::optional<Value>
      old_value;  // what was there before (absent when the value is new; kDeleteValue: always set)
};

}  // namespace hivelint::hive
