#include <catch2/catch.hpp>

#include "util/upcase.hpp"

using namespace hivelint;

TEST_CASE("upcase folds ASCII and Latin-1 letters and nothing else there", "[unit][util]") {
  for (char16_t c = u'a'; c <= u'z'; ++c) CHECK(util::upcase(c) == c - 0x20);
  for (char16_t c = 0; c < 0x80; ++c)
    if (c < u'a' || c > u'z') CHECK(util::upcase(c) == c);
  CHECK(util::upcase(u'\u00E9') == u'\u00C9');  // é -> É
  CHECK(util::upcase(u'\u00FF') == u'\u0178');  // ÿ -> Ÿ (outside Latin-1)
  CHECK(util::upcase(u'\u00F7') == u'\u00F7');  // ÷ is not a letter
  CHECK(util::upcase(u'\u00DF') == u'\u00DF');  // ß: its uppercase "SS" is two units, so it stays
}

TEST_CASE("upcase follows Windows where it differs from Unicode", "[unit][util]") {
  // Windows' table leaves these alone (so, e.g., "ı" and "I" name different keys); Unicode maps
  // them.
  CHECK(util::upcase(u'\u0131') == u'\u0131');  // dotless i (Unicode: I)
  CHECK(util::upcase(u'\u017F') == u'\u017F');  // long s (Unicode: S)
  CHECK(util::upcase(u'\u00B5') == u'\u00B5');  // micro sign (Unicode: Greek Μ)
  CHECK(util::upcase(u'\u01C5') == u'\u01C5');  // titlecase Dž (Unicode: DŽ)
  CHECK(util::upcase(u'\u03D0') == u'\u03D0');  // Greek beta symbol
  // ...but these it does map.
  CHECK(util::upcase(u'\u01C6') == u'\u01C4');  // dž -> DŽ
  CHECK(util::upcase(u'\u03C2') == u'\u03A3');  // final sigma -> Σ
  CHECK(util::upcase(u'\u0130') == u'\u0130');  // İ is already uppercase
  CHECK(util::upcase(u'\u1F80') == u'\u1F88');  // simple (one-unit) mapping, not the full "ἈΙ"
}

TEST_CASE(
    "upcase covers Greek, Cyrillic, Armenian and fullwidth letters, and leaves surrogates alone",
    "[unit][util]") {
  CHECK(util::upcase(u'\u03C9') == u'\u03A9');  // ω -> Ω
  CHECK(util::upcase(u'\u0430') == u'\u0410');  // а -> А
  CHECK(util::upcase(u'\u0451') == u'\u0401');  // ё -> Ё
  CHECK(util::upcase(u'\u0561') == u'\u0531');  // Armenian ա -> Ա
  CHECK(util::upcase(u'\uFF41') == u'\uFF21');  // fullwidth a -> A
  CHECK(util::upcase(u'\u4E2D') == u'\u4E2D');  // CJK has no case
  for (char16_t s : {u'\xD800', u'\xDBFF', u'\xDC00', u'\xDFFF'}) CHECK(util::upcase(s) == s);
  CHECK(util::upcase(u'\xFFFF') == u'\xFFFF');
}

TEST_CASE("the table never maps a unit to a surrogate, and uppercase letters are fixed points",
          "[unit][util]") {
  std::size_t mapped = 0;
  for (std::uint32_t u = 0; u < 0x10000; ++u) {
    const char16_t up = util::upcase(static_cast<char16_t>(u));
    if (up == u) continue;
    ++mapped;
    INFO("U+" << std::hex << u);
    CHECK((up < 0xD800 || up > 0xDFFF));
    CHECK(util::upcase(up) == up);  // idempotent: upcase(upcase(x)) == upcase(x)
  }
  CHECK(mapped > 1000);  // about 1170 units fold (scripts/gen_upcase_table.py)
}

TEST_CASE("names compare case-insensitively unit by unit", "[unit][util]") {
  CHECK(util::names_equal(u"ControlSet001", u"CONTROLSET001"));
  CHECK(util::names_equal(u"b\u00FCro", u"B\u00DCRO"));
  CHECK(util::names_equal(u"", u""));
  CHECK_FALSE(util::names_equal(u"Service", u"Services"));
  CHECK_FALSE(util::names_equal(u"\u0131", u"I"));  // Windows keeps dotless i apart from I
  CHECK_FALSE(util::names_equal(u"Stra\u00DFe", u"STRASSE"));
  CHECK(util::names_equal_utf8("Pl\xC3\xA4ne", "PL\xC3\x84NE"));  // Pläne / PLÄNE
  CHECK_FALSE(util::names_equal_utf8("a", "b"));
  // The ASCII fast path agrees with the table, and hands over to it at the first non-ASCII byte.
  CHECK(util::names_equal_utf8("DependOnService", "dependonservice"));
  CHECK_FALSE(util::names_equal_utf8("Services", "Service"));
  CHECK_FALSE(util::names_equal_utf8("a[", "A{"));  // '[' and '{' are not a case pair
  CHECK(util::names_equal_utf8("svc-\xC3\xA4", "SVC-\xC3\x84"));
  CHECK(
      util::names_equal_utf8("\xC3\xA4"
                             "b",
                             "\xC3\x84"
                             "B"));  // lengths in bytes equal, first byte not ASCII
  CHECK_FALSE(util::names_equal_utf8("\xC3\xA4", "ab"));  // two bytes, one unit against two
  CHECK(util::names_equal_utf8("\xC3\xA4x", "\xC3\x84X"));
  CHECK_FALSE(util::names_equal_utf8("x\xC3\xA4", "xy"));
}

TEST_CASE("compare_names gives Windows' subkey order: upcased units, then length", "[unit][util]") {
  CHECK(util::compare_names(u"abc", u"ABC") == 0);
  CHECK(util::compare_names(u"a", u"B") < 0);
  CHECK(util::compare_names(u"B", u"a") > 0);
  CHECK(util::compare_names(u"a", u"_") <
        0);  // 'A' (0x41) sorts before '_' (0x5F), though 'a' is 0x61
  CHECK(util::compare_names(u"Z", u"[") < 0);
  CHECK(util::compare_names(u"Service", u"Services") < 0);
  CHECK(util::compare_names(u"Services", u"Service") > 0);
  CHECK(util::compare_names(u"", u"a") < 0);
  CHECK(util::compare_names(u"\u00E9", u"F") >
        0);  // É (0xC9) after F: code units, not a locale's collation
}

TEST_CASE("upcase of a string maps each unit", "[unit][util]") {
  CHECK(util::upcase(std::u16string_view(u"Stra\u00DFe \u03C9 \u0131x")) ==
        u"STRA\u00DFE \u03A9 \u0131X");
}

TEST_CASE(
    "append_upcased's ASCII path gives the table's answer for every ASCII unit, and the counted "
    "key prefixes its length",
    "[unit][util]") {
  std::string all;
  for (int c = 1; c < 0x80; ++c) all += static_cast<char>(c);
  std::u16string out = u"x";
  hivelint::util::append_upcased(out, all);
  std::u16string expected = u"x";
  for (int c = 1; c < 0x80; ++c)
    expected += hivelint::util::upcase(std::u16string(1, static_cast<char16_t>(c)));
  CHECK(out == expected);
  // Not ASCII: the general path, one component after the other.
  std::u16string counted;
  hivelint::util::append_counted_upcased(counted, "ab");
  hivelint::util::append_counted_upcased(counted, "\xc3\xa9t\xc3\xa9");  // "été"
  CHECK(counted == std::u16string{2, 0, u'A', u'B', 3, 0, u'\u00C9', u'T', u'\u00C9'});
}
