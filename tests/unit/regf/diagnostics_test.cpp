#include <catch2/catch.hpp>

#include "regf/diagnostics.hpp"

using namespace hivelint;

TEST_CASE("diagnostic_from takes the place from the error's fields, never from its text",
          "[unit][regf]") {
  const FormatError located({"hash leaf (lh)", 0x3020, "number of elements", "", ""},
                            "number of elements is 9: at 0x10 bytes each they overrun the cell");
  const regf::Diagnostic d = regf::diagnostic_from(located, regf::Severity::kWarning);
  CHECK(d.severity == regf::Severity::kWarning);
  CHECK(d.structure == "hash leaf (lh)");
  CHECK(d.file_offset == 0x3020);
  CHECK(d.message == "number of elements is 9: at 0x10 bytes each they overrun the cell");

  // A message that only looks located (a name holding " at 0x1000: ") stays one message about the
  // hive; it used to be cut at the look-alike.
  const FormatError unplaced("key \"a at 0x00001000: b\" cannot be read");
  const regf::Diagnostic u = regf::diagnostic_from(unplaced);
  CHECK(u.severity == regf::Severity::kError);
  CHECK(u.structure == "hive");
  CHECK(u.file_offset == 0);
  CHECK(u.message == "key \"a at 0x00001000: b\" cannot be read");
}
