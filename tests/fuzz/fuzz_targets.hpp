// The fuzz targets' entry functions (CONTRIBUTING.md §8). Each fuzz_<name>.cpp defines one; built
// with -DHIVELINT_LIBFUZZER it also defines LLVMFuzzerTestOneInput (clang,
// -fsanitize=fuzzer,address,undefined), and without it the functions are linked into
// replay_main.cpp, which ctest runs over corpus/ and regressions/ on every build. A target returns
// normally for any input hivelint rejects with a hivelint::Error; anything else (another exception,
// a broken round trip, a sanitizer report) is a bug and aborts.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace hivelint::fuzz {

/// Arbitrary bytes as a hive through our reader: base block, hbin scan, strict and salvage walks,
/// verify_hive.
void regf_reader(std::span<const std::uint8_t> data);
/// Arbitrary bytes as a hive through libregf (in memory) and our HiveReader, then KB277770 on every
/// ControlSet.
void libregf_rules(std::span<const std::uint8_t> data);
/// Arbitrary bytes as a .reg file through the parser.
void reg_parser(std::span<const std::uint8_t> data);
/// A .reg file that parses is built into a hive, which must verify clean and read back equal
/// through our reader and libregf.
void builder_roundtrip(std::span<const std::uint8_t> data);

/// A sequence of edits (create key, set value) on a small hive at regf 1.3 or 1.5: the result must
/// verify clean and read back, through our reader and libregf, as the same edits applied to the
/// tree.
void editor(std::span<const std::uint8_t> data);

/// Transaction-log replay of a small dirty hive with a mutated (or arbitrary) log of either format.
void recovery(std::span<const std::uint8_t> data);

/// Arbitrary bytes as a hive through the free-cell carver (regf/carver.hpp) with small caps.
void carver(std::span<const std::uint8_t> data);

/// Arbitrary bytes as a rule file: loaded (limits on size, nesting, duplicate keys), rendered as
/// `rules show` does and evaluated against a reader whose values are long strings.
void rule_loader(std::span<const std::uint8_t> data);

/// Arbitrary bytes as a System event log (EVT or EVTX by content) through read_event_log, as
/// `hivelint events` and `check --events` read it (written to a temporary file: the readers take a
/// path), then its SCM failures, summaries and the events report.
void event_logs(std::span<const std::uint8_t> data);

/// Arbitrary bytes as a JSON document (built by a small program the bytes spell, strings cut from
/// them) and as one string: report::json_text must write exactly what nlohmann's dump writes.
void json_text(std::span<const std::uint8_t> data);

/// Prints `what` to stderr and aborts: how a target reports a bug (libFuzzer saves the input as a
/// crash).
[[noreturn]] void fail(const char* target, const std::string& what);

}  // namespace hivelint::fuzz

#ifdef HIVELINT_LIBFUZZER
#define HIVELINT_FUZZ_ENTRY(fn)                                                       \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    hivelint::fuzz::fn(std::span<const std::uint8_t>(data, size));                    \
    return 0;                                                                         \
  }
#else
#define HIVELINT_FUZZ_ENTRY(fn)
#endif
