// The record encoders (write_key_node and its kin) against their parsers: every field written reads
// back as written, through the one allocation interface both the builder and the editor use.
#include <catch2/catch.hpp>

#include "regf/big_data.hpp"
#include "regf/builder.hpp"
#include "regf/hive_writer.hpp"
#include "regf/key_node.hpp"
#include "regf/reader.hpp"
#include "regf/security_key.hpp"
#include "regf/subkey_list.hpp"
#include "regf/value_key.hpp"
#include "regf/value_list.hpp"

using namespace hivelint;

namespace {

// A one-key hive to allocate in: new cells go to new hive bins at its end (HiveWriter).
struct Scratch {
  std::vector<std::uint8_t> empty;
  std::optional<regf::HiveWriter> writer;
  explicit Scratch(std::uint32_t minor = 5) {
    regf::TreeKey root;
    regf::BuildOptions o;
    o.minor_version = minor;
    empty = regf::build_hive(root, o).bytes;
    std::vector<regf::Diagnostic> diagnostics;
    writer.emplace(empty, regf::parse_base_block(empty, diagnostics));
  }
  // The hive as committed, and a reader over it for the parsers.
  std::vector<std::uint8_t> bytes;
  const regf::Reader& read() {
    bytes = writer->commit(1);
    reader.emplace(bytes);
    return *reader;
  }
  std::optional<regf::Reader> reader;
};

std::vector<std::uint8_t> pattern(std::size_t size) {
  std::vector<std::uint8_t> out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(i * 7 % 253);
  return out;
}

}  // namespace

TEST_CASE("write_key_node: every field reads back through parse_key_node", "[unit][regf]") {
  const std::u16string name = GENERATE(std::u16string(u"Services"), std::u16string(u"Dienst\u00e9"),
                                       std::u16string(u"x\u0085y"), std::u16string(u"\u4e2d"));
  Scratch s;
  regf::KeyNode nk;
  nk.offset = regf::allocate_key_node(*s.writer, name);
  nk.name = name;
  nk.flags = regf::kKeyHiveEntry | regf::kKeyNoDelete | regf::kKeyCompName;  // the bit follows name
  nk.last_written = 0x01D2030405060708ull;
  nk.parent = regf::CellOffset{0x20};
  nk.subkey_count = 3;
  nk.subkeys_list = regf::CellOffset{0x120};
  nk.value_count = 2;
  nk.values_list = regf::CellOffset{0x220};
  nk.security = regf::CellOffset{0x320};
  nk.class_name = regf::CellOffset{0x420};
  nk.class_name_length = 14;
  nk.largest_subkey_name = 0x00010012;
  nk.largest_subkey_class = 6;
  nk.largest_value_name = 22;
  nk.largest_value_data = 4000;
  regf::write_key_node(*s.writer, nk);
  const auto& r = s.read();
  const regf::KeyNode back =
      regf::parse_key_node(r.cells().get(nk.offset, "key node (nk)"), nk.offset);
  const bool compressed = regf::encode_name(name).compressed;
  CHECK(back.name == name);
  CHECK(back.name_compressed == compressed);
  CHECK(back.flags ==
        ((regf::kKeyHiveEntry | regf::kKeyNoDelete) | (compressed ? regf::kKeyCompName : 0)));
  CHECK(back.last_written == nk.last_written);
  CHECK(back.parent == nk.parent);
  CHECK(back.subkey_count == 3);
  CHECK(back.subkeys_list == nk.subkeys_list);
  CHECK(back.value_count == 2);
  CHECK(back.values_list == nk.values_list);
  CHECK(back.security == nk.security);
  CHECK(back.class_name == nk.class_name);
  CHECK(back.class_name_length == 14);
  CHECK(back.largest_subkey_name == 0x00010012);
  CHECK(back.largest_subkey_class == 6);
  CHECK(back.largest_value_name == 22);
  CHECK(back.largest_value_data == 4000);
}

TEST_CASE("store_value_data and write_value_key: resident, one cell and big data", "[unit][regf]") {
  const std::size_t size = GENERATE(0u, 3u, 4u, 5u, 16344u, 16345u, 40000u);
  const std::uint32_t minor = GENERATE(3u, 5u);
  Scratch s(minor);
  const std::vector<std::uint8_t> data = pattern(size);
  regf::ValueKey vk;
  vk.offset = regf::allocate_value_key(*s.writer, u"DispatchEntries");
  const regf::StoredData stored = regf::store_value_data(*s.writer, data, minor);
  vk.name = u"DispatchEntries";
  vk.type = 7;
  vk.stored_size = stored.size_field;
  vk.data_offset_field = stored.offset_field;
  regf::write_value_key(*s.writer, vk);
  const auto& r = s.read();
  const regf::ValueKey back =
      regf::parse_value_key(r.cells().get(vk.offset, "key value (vk)"), vk.offset);
  CHECK(back.name == u"DispatchEntries");
  CHECK(back.name_compressed);
  CHECK(back.type == 7);
  CHECK(back.data_size == size);
  CHECK(back.resident == (size <= 4));
  const regf::ValueData read = regf::read_value_data(back, r.cells(), minor);
  CHECK(read.bytes == data);
  CHECK(read.big_data == (size > 16344 && minor >= 4));
}

TEST_CASE("write_value_key_data points a value elsewhere and keeps its name", "[unit][regf]") {
  Scratch s;
  regf::ValueKey vk;
  vk.offset = regf::allocate_value_key(*s.writer, u"Start");
  vk.name = u"Start";
  vk.type = 4;
  const regf::StoredData two = regf::store_value_data(*s.writer, pattern(4), 5);
  vk.stored_size = two.size_field;
  vk.data_offset_field = two.offset_field;
  regf::write_value_key(*s.writer, vk);
  regf::write_value_key_data(*s.writer, vk.offset, 3,
                             regf::store_value_data(*s.writer, pattern(100), 5));
  const auto& r = s.read();
  const regf::ValueKey back =
      regf::parse_value_key(r.cells().get(vk.offset, "key value (vk)"), vk.offset);
  CHECK(back.name == u"Start");
  CHECK(back.type == 3);
  CHECK(regf::read_value_data(back, r.cells(), 5).bytes == pattern(100));
}

TEST_CASE("write_subkey_list: each kind reads back with its elements and checks", "[unit][regf]") {
  const regf::ListKind kind = GENERATE(regf::ListKind::kIndexLeaf, regf::ListKind::kFastLeaf,
                                       regf::ListKind::kHashLeaf, regf::ListKind::kIndexRoot);
  Scratch s;
  const std::vector<std::u16string> names{u"Alpha", u"beta", u"Gamma\u00e9"};
  std::vector<regf::ListElement> elements;
  for (std::size_t i = 0; i < names.size(); ++i)
    elements.push_back({regf::CellOffset{static_cast<std::uint32_t>(0x1000 + 0x80 * i)},
                        regf::list_element_check(kind, names[i])});
  const regf::CellOffset list = regf::write_subkey_list(*s.writer, kind, elements);
  const auto& r = s.read();
  const regf::SubkeyList back = regf::parse_subkey_list(r.cells().get(list, "subkey list"));
  CHECK(back.kind == kind);
  REQUIRE(back.elements.size() == elements.size());
  for (std::size_t i = 0; i < elements.size(); ++i) {
    CHECK(back.elements[i].offset == elements[i].offset);
    CHECK(back.elements[i].check == elements[i].check);
  }
  if (kind == regf::ListKind::kHashLeaf) CHECK(elements[1].check == regf::lh_hash(u"beta"));
  if (kind == regf::ListKind::kFastLeaf)
    CHECK(elements[1].check == util::le_u32(regf::lf_hint(u"beta")));
  if (kind == regf::ListKind::kIndexLeaf || kind == regf::ListKind::kIndexRoot)
    CHECK(elements[1].check == 0);
}

TEST_CASE("write_value_list: the offsets in order, and no cell for none", "[unit][regf]") {
  Scratch s;
  CHECK(regf::write_value_list(*s.writer, {}) == regf::kNoCell);
  const std::vector<regf::CellOffset> values{regf::CellOffset{0x30}, regf::CellOffset{0x10},
                                             regf::CellOffset{0x20}};
  const regf::CellOffset list = regf::write_value_list(*s.writer, values);
  const auto& r = s.read();
  CHECK(regf::read_value_list(r.cells(), list, 3) == values);
}

TEST_CASE("write_security_key: links, count and descriptor read back", "[unit][regf]") {
  Scratch s;
  regf::SecurityKey sk;
  sk.descriptor = regf::default_security_descriptor();
  sk.offset = regf::allocate_security_key(*s.writer, sk.descriptor.size());
  sk.flink = regf::CellOffset{0x40};
  sk.blink = regf::CellOffset{0x80};
  sk.reference_count = 17;
  regf::write_security_key(*s.writer, sk);
  const auto& r = s.read();
  const regf::SecurityKey back =
      regf::parse_security_key(r.cells().get(sk.offset, "key security (sk)"), sk.offset);
  CHECK(back.flink == sk.flink);
  CHECK(back.blink == sk.blink);
  CHECK(back.reference_count == 17);
  CHECK(back.descriptor == sk.descriptor);
}

TEST_CASE("write_big_data: full-size segments, the last zero-padded", "[unit][regf]") {
  Scratch s;
  const std::vector<std::uint8_t> data = pattern(2 * 16344 + 10);
  const regf::CellOffset db = regf::write_big_data(*s.writer, data);
  const auto& r = s.read();
  const regf::BigData record = regf::parse_big_data(r.cells().get(db, "big data (db)"), db);
  CHECK(record.segment_count == 3);
  const auto list = r.cells().get(record.segments_list, "big data segments list");
  const regf::CellOffset last{list.u32_at(8, "segment offset")};
  const auto segment = r.cells().get(last, "big data segment");
  CHECK(segment.size() >= 16344);  // the whole cell, as Windows writes it
  CHECK(segment.data()[9] == data[2 * 16344 + 9]);
  CHECK(segment.data()[10] == 0);
  CHECK(regf::read_big_data(r.cells(), db, static_cast<std::uint32_t>(data.size())) == data);
}
