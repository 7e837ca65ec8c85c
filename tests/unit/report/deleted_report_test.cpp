#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "report/deleted_report.hpp"

using namespace hivelint;

namespace {

std::string written(const report::DeletedReport& r) {
  std::ostringstream out;
  report::write_deleted_json(r, out);
  return out.str();
}

// The streamed document must be exactly what dumping the whole tree gives (the format before it was
// streamed).
void require_same_as_tree(const std::string& text) {
  const auto tree = nlohmann::ordered_json::parse(text);
  CHECK(tree.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n" == text);
}

}  // namespace

TEST_CASE("deleted JSON: streamed element by element, byte for byte what the whole tree dumps",
          "[unit][report]") {
  report::DeletedReport r;
  r.hive = "SYSTEM \"keys\": (written after the skeleton)";  // a hive name cannot pass for an
                                                             // array's slot
  regf::CarveResult c;
  c.free_cells = 3;
  c.free_bytes = 4096;
  regf::CarvedKey k;
  k.offset = regf::CellOffset{0x20};
  k.name = u"Old\u00e4Key";
  k.parent = regf::CellOffset{0x1000};
  k.parent_name = u"Services";
  k.parent_live = true;
  c.keys = {k, k};
  regf::CarvedValue v;
  v.offset = regf::CellOffset{0x80};
  v.name = u"DispatchEntries";
  v.type = 7;
  v.data_state = regf::CarvedDataState::kResident;
  v.data = {'L', 0, 0, 0};
  v.data_size = 4;
  c.values = {v};
  c.unrecovered = {
      regf::CarveFailure{regf::CellOffset{0x200}, "key value (vk)", "name runs past the cell"}};
  r.result = c;

  const std::string text = written(r);
  require_same_as_tree(text);
  const auto j = nlohmann::ordered_json::parse(text);
  CHECK(j["hive"] == r.hive);
  CHECK(j["keys"].size() == 2);
  CHECK(j["keys"][0]["name"] == "Old\u00e4Key");
  CHECK(j["values"].size() == 1);
  CHECK(j["values"][0]["name"] == "DispatchEntries");
  CHECK(j["unrecovered"][0]["reason"] == "name runs past the cell");

  // Empty arrays, and a hive that could not be read (no result at all).
  r.result = regf::CarveResult{};
  require_same_as_tree(written(r));
  CHECK(nlohmann::ordered_json::parse(written(r))["keys"].empty());
  r.result.reset();
  r.error = "base block at 0x00000000: needs 4096 bytes";
  require_same_as_tree(written(r));
  CHECK_FALSE(nlohmann::ordered_json::parse(written(r)).contains("keys"));
}
