#!/usr/bin/env python3
"""Generate src/util/upcase_table.inc: the one-to-one uppercase mapping of UTF-16 code units.

Windows folds registry names with RtlUpcaseUnicodeChar (key lookups, subkey order, lh hashes): each BMP
code unit maps to one code unit, surrogates and unmapped units map to themselves, and there is no locale.
We derive the table from Unicode's *simple* uppercase mappings. Python exposes only the full mappings
(str.upper), so a unit's simple mapping is str.upper() when that is one BMP character, else str.title()
when that is one character: that recovers the Greek letters with ypogegrammeni (U+1F80..1FAF, U+1FB3,
U+1FC3, U+1FF3 -> U+1F88.., U+1FBC, U+1FCC, U+1FFC), whose full uppercase is two characters but whose
simple uppercase is one. Characters with no one-unit uppercase at all (U+00DF sharp s -> "SS",
U+0149, U+01F0, U+0390 ...) keep their own form.

Windows' table is an older Unicode snapshot, and not a plain copy of Unicode even for old characters.
Compared with the upcase table Windows Vista writes to NTFS volumes ($UpCase, published by ntfs-3g and
produced by the same RtlUpcaseUnicodeChar), Unicode 14's simple mappings differ as follows:
  * Windows leaves these unmapped, though Unicode mapped them long before Vista: U+00B5 micro sign,
    U+0131 dotless i (would fold onto ASCII 'I'), U+017F long s (would fold onto 'S'), the titlecase
    digraphs U+01C5, U+01C8, U+01CB, U+01F2, U+0345, the Greek symbol variants U+03D0, U+03D1, U+03D5,
    U+03D6, U+03F0, U+03F1, U+03F5, U+1E9B and U+1FBE. They are all mappings whose target lowercases
    to a *different* unit; .NET's invariant casing (built on the same NLS data) also leaves U+0131 and
    U+017F alone. We follow Windows: WINDOWS_UNMAPPED below.
    (U+03C2 final sigma -> U+03A3 is such a mapping too, but Windows does map it, so we keep it.)
  * Unicode added mappings after Vista's snapshot (about 290 in the BMP, e.g. Georgian Mtavruli
    U+10D0..10FF -> U+1C90.. in Unicode 11, Cyrillic U+1C80..1C88, Latin U+A7xx, Cherokee U+13F8..).
    Vista's table lacks them; Windows 8 and later ship a newer table (NTFS records its version in
    $UpCase:$Info since then) whose exact Unicode level we could not confirm. We keep them mapped, as
    Unicode says; no name in the real hives we test with uses them.
  * Vista's table also maps a few units backwards (U+023A -> U+2C65, U+023E -> U+2C66, U+1FCC -> U+1FC3,
    U+1FFC -> U+1FF3: capitals to small letters). We treat those as Vista quirks and do not copy them.
The test tests/unit/util/upcase_test.cpp pins the decisions above, and tests/unit/regf/subkey_list_test.cpp
checks lh hashes computed with this table against those Windows stored in real hives.

Output: sorted runs "{first, last, step, delta}" meaning units first, first+step, ... last map to
unit + delta (mod 65536); step 2 encodes runs of alternating case pairs (A0, a1, ...).
Regenerate with Debian's interpreter: /usr/bin/python3 scripts/gen_upcase_table.py
"""
import sys
import unicodedata

# Units Unicode uppercases but Windows' RtlUpcaseUnicodeChar leaves alone (see above).
WINDOWS_UNMAPPED = {
    0x00B5, 0x0131, 0x017F, 0x01C5, 0x01C8, 0x01CB, 0x01F2, 0x0345,
    0x03D0, 0x03D1, 0x03D5, 0x03D6, 0x03F0, 0x03F1, 0x03F5, 0x1E9B, 0x1FBE,
}


def simple_upper(u):
    """The simple (one-character) uppercase mapping of code point u, or None."""
    c = chr(u)
    for candidate in (c.upper(), c.title()):
        if len(candidate) == 1:
            t = ord(candidate)
            return t if t != u and t <= 0xFFFF else None
    return None


def mapping():
    out = {}
    for u in range(0x10000):
        if 0xD800 <= u <= 0xDFFF or u in WINDOWS_UNMAPPED:
            continue
        t = simple_upper(u)
        if t is not None:
            out[u] = t
    return out


def runs(m):
    """Groups (unit, delta) into runs with a constant delta and a constant step (1 or 2)."""
    items = sorted(m.items())
    result = []
    i = 0
    while i < len(items):
        first, target = items[i]
        delta = target - first
        step = 1
        if i + 1 < len(items) and items[i + 1][0] == first + 2 and items[i + 1][1] - items[i + 1][0] == delta \
                and (first + 1) not in m:
            step = 2
        last = first
        j = i + 1
        while j < len(items) and items[j][0] == last + step and items[j][1] - items[j][0] == delta:
            if step == 2 and (last + 1) in m:
                break
            last = items[j][0]
            j += 1
        result.append((first, last, step, delta % 0x10000))
        i = j
    return result


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "src/util/upcase_table.inc"
    m = mapping()
    rs = runs(m)
    # Self-check: the runs reproduce the mapping exactly.
    rebuilt = {}
    for first, last, step, delta in rs:
        for u in range(first, last + 1, step):
            rebuilt[u] = (u + delta) % 0x10000
    assert rebuilt == m, "run encoding does not reproduce the mapping"
    with open(out, "w") as f:
        f.write("// Generated by scripts/gen_upcase_table.py from Unicode %s simple uppercase mappings minus the units\n"
                "// Windows leaves unmapped (see the script). %d units map to another unit. Do not edit.\n"
                % (unicodedata.unidata_version, len(m)))
        f.write("// {first, last, step, delta}: units first, first+step, ... last map to unit + delta (mod 65536).\n")
        for first, last, step, delta in rs:
            f.write("{0x%04X, 0x%04X, %d, 0x%04X},\n" % (first, last, step, delta))
    print("%d runs (%d mapped units) written to %s" % (len(rs), len(m), out))


if __name__ == "__main__":
    main()
