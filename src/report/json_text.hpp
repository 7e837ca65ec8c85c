// JSON documents as text, byte for byte what nlohmann's dump(indent, ' ', false,
// error_handler_t::replace) writes, at a fraction of its cost: nlohmann decodes every byte of every
// string through its UTF-8 automaton and writes through a virtual output adapter (the serializer
// was a sixth of a batch of small hives, callgrind); here runs of plain ASCII are appended whole
// and only the bytes that need it are looked at one by one.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace hivelint::report {

/// Appends `j` to `out`: compact when `indent` < 0, else pretty with `indent` spaces per level.
/// Invalid UTF-8 in a string or key becomes U+FFFD exactly where nlohmann's `replace` puts it.
void append_json_text(std::string& out, const nlohmann::ordered_json& j, int indent);

/// The same as a new string.
std::string json_text(const nlohmann::ordered_json& j, int indent);

/// One JSON string literal (quotes included) for `s`, escaped as above.
void append_json_string_literal(std::string& out, std::string_view s);

}  // namespace hivelint::report
