"""Independent checks of what `hivelint fix` wrote (run by tests/scripts/fix_proof.sh with Debian's python3).

prove.py expected-source SAMPLE.reg FIX.reg OUT.reg
    The sample's .reg source with the fix's offline .reg (--reg-root offline:SYSTEM) appended: the tree the
    patched hive must hold, for tests/readers/compare.py.
prove.py changed IN.hiv OUT.hiv FIX.json
    hivexregedit --export of input and output differ in exactly the keys and values FIX.json lists as changes.
prove.py bytes IN.hiv OUT.hiv FIX.json
    Every byte that differs (computed here, not taken from hivelint) lies in the base block, in new hive bins past
    the input's end, in the size field of a cell that became free, or in an nk/vk/sk cell of a changed key or
    value (or the value's own data cell); and FIX.json's differing_bytes list is what this computation finds.
prove.py wine-lines OURS.reg WINE.reg...
    The value lines of each key block in OURS.reg equal those `wine regedit /E` exported (line for line).
prove.py wine-query OURS.reg KEY QUERY.txt
    `wine reg query KEY /v NAME` (saved in QUERY.txt) shows each REG_MULTI_SZ that OURS.reg sets under KEY.
Exit 1 with the first problems on stdout; "ok: ..." otherwise.
"""
import json
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "readers"))
import compare  # noqa: E402  (the readers test's .reg parser and hivexregedit reader)


def fail(problems):
    for p in problems[:20]:
        print("FAIL: " + p)
    sys.exit(1)


def read_text(path):
    with open(path, "rb") as f:
        return compare.decode_text(f.read())


def expected_source(sample_reg, fix_reg, out_reg):
    body = read_text(fix_reg).split("\n", 1)[1]  # drop the header line; the rest (comments, blocks) appends
    with open(out_reg, "w", encoding="utf-8") as f:
        f.write(read_text(sample_reg).replace("\r\n", "\n") + "\n" + body.replace("\r\n", "\n"))
    print("ok: wrote " + out_reg)


def planned(fix_json):
    with open(fix_json, encoding="utf-8") as f:
        doc = json.load(f)
    keys, values = set(), set()
    for c in doc["changes"]:
        parts = tuple(p.upper() for p in c["key"].split("\\") if p)
        if c["action"] == "create_key":
            keys.add(parts)
        else:
            values.add((parts, c["value"].upper()))
    return doc, keys, values


def changed(in_hive, out_hive, fix_json):
    _, keys, values = planned(fix_json)
    before, after = compare.via_hivexregedit(in_hive), compare.via_hivexregedit(out_hive)
    problems = []
    new_keys = set(after) - set(before)
    if set(before) - set(after):
        problems.append("keys gone: %s" % sorted(set(before) - set(after)))
    for k in new_keys:  # a created key, or a parent created on the way to one
        if not any(k == c[: len(k)] for c in keys):
            problems.append("unplanned new key: " + after[k][0])
    for c in keys:
        if c not in after:
            problems.append("planned key missing: " + "\\".join(c))
    seen = set()
    for k in after:
        bv, av = before.get(k, ("", {}))[1], after[k][1]
        for n in set(bv) | set(av):
            if bv.get(n, (None, None, None))[1:] != av.get(n, (None, None, None))[1:]:
                seen.add((k, n))
    if seen != values:
        problems.append("values that differ %s, planned %s" % (sorted(seen), sorted(values)))
    if problems:
        fail(problems)
    print("ok: %d values and %d keys differ, exactly as planned" % (len(seen), len(new_keys)))


def cells_of(hive):
    """[(start, size, allocated)] of every cell, walking the hive bins here (independently of hivelint)."""
    bins_size = struct.unpack_from("<I", hive, 40)[0]
    cells, pos = [], 4096
    while pos < 4096 + bins_size:
        assert hive[pos:pos + 4] == b"hbin", "hbin at %#x" % pos
        size = struct.unpack_from("<I", hive, pos + 8)[0]
        c = pos + 32
        while c < pos + size:
            raw = struct.unpack_from("<i", hive, c)[0]
            cells.append((c, abs(raw), raw < 0))
            c += abs(raw)
        pos += size
    return cells


def name_of(hive, start):
    """The name of an nk or vk cell (compressed Latin-1 or UTF-16LE), upper-cased."""
    sig = hive[start + 4:start + 6]
    if sig == b"nk":
        length, flags, at = struct.unpack_from("<H", hive, start + 4 + 72)[0], struct.unpack_from("<H", hive, start + 6)[0], start + 4 + 76
        raw = hive[at:at + length]
        return (raw.decode("latin-1") if flags & 0x20 else raw.decode("utf-16-le")).upper()
    length, flags = struct.unpack_from("<H", hive, start + 6)[0], struct.unpack_from("<H", hive, start + 4 + 16)[0]
    raw = hive[start + 24:start + 24 + length]
    return (raw.decode("latin-1") if flags & 1 else raw.decode("utf-16-le")).upper()


def ranges(a, b):
    out, i, common = [], 0, min(len(a), len(b))
    while i < common:
        if a[i] == b[i]:
            i += 1
            continue
        s = i
        while i < common and a[i] != b[i]:
            i += 1
        out.append((s, i - s))
    if len(b) > common:
        if out and out[-1][0] + out[-1][1] == common:
            out[-1] = (out[-1][0], out[-1][1] + len(b) - common)
        else:
            out.append((common, len(b) - common))
    return out


def bytes_check(in_hive, out_hive, fix_json):
    doc, keys, values = planned(fix_json)
    with open(in_hive, "rb") as f:
        a = f.read()
    with open(out_hive, "rb") as f:
        b = f.read()
    bins_end = 4096 + struct.unpack_from("<I", a, 40)[0]
    key_names = {p for k in keys for p in k} | {p for k, _ in values for p in k}
    value_names = {n for _, n in values}
    cells = cells_of(a)
    # Data cells of the planned values as the input had them (overwritten in place when the size is the same).
    data_cells = set()
    for start, size, allocated in cells:
        if allocated and a[start + 4:start + 6] == b"vk" and name_of(a, start) in value_names:
            data_cells.add(4096 + struct.unpack_from("<I", a, start + 12)[0])
    problems, touched = [], set()
    found = ranges(a, b)
    for off, length in found:
        for o in range(off, off + length):
            if o < 4096 or o >= bins_end:
                continue  # base block; new hive bins
            cell = next(c for c in cells if c[0] <= o < c[0] + c[1])
            start, size, allocated = cell
            touched.add(start)
            if o < start + 4:
                new = struct.unpack_from("<i", b, start)[0]
                if not (allocated and new == size):
                    problems.append("cell at %#x: size field changed but the cell was not freed" % start)
                continue
            sig = a[start + 4:start + 6]
            if sig == b"sk" or start in data_cells:
                continue
            if sig == b"nk" and name_of(a, start) in key_names:  # a key on a changed path (parent of a new key)
                continue
            if sig == b"vk" and name_of(a, start) in value_names:
                continue
            problems.append("byte %#x in an unrelated cell at %#x (%r)" % (o, start, bytes(sig)))
            break
    if len(b) > len(a) and b[bins_end:bins_end + 4] != b"hbin":
        problems.append("bytes past the input's hive bins are not a new hive bin")
    reported = [(r["offset"], r["length"]) for r in doc["output"]["differing_bytes"]]
    if reported != found:
        problems.append("fix JSON differing_bytes %s, computed %s" % (reported[:5], found[:5]))
    if problems:
        fail(problems)
    print("ok: %d byte ranges differ; %d old cells touched, all belonging to the change" % (len(found), len(touched)))


def block_lines(path):
    blocks, current = {}, None
    for line in read_text(path).split("\r\n"):
        if line.startswith("["):
            current = blocks.setdefault(line.upper(), [])
        elif current is not None and line and not line.startswith(";"):
            current.append(line)
    return blocks


def wine_lines(ours, *wine):
    mine, theirs = block_lines(ours), {}
    for path in wine:
        theirs.update(block_lines(path))
    problems = []
    for key, lines in mine.items():
        if theirs.get(key) != lines:
            problems.append("%s: ours %r, Wine's %r" % (key, lines[:3], (theirs.get(key) or [])[:3]))
    if problems:
        fail(problems)
    print("ok: %d key block(s) line for line as Wine's regedit /E writes them" % len(mine))


def wine_query(ours, key, query_file):
    """`wine reg query KEY /v NAME` output (in query_file) shows each REG_MULTI_SZ of OURS.reg's KEY block."""
    blocks = block_lines(ours)
    lines = blocks.get("[" + key.upper() + "]")
    if lines is None:
        fail(["no block for " + key + " in " + ours])
    joined = "".join(l[:-1] if l.endswith("\\") else l for l in (x.strip() for x in lines))
    expected = []
    for entry in joined.split('"')[1::2]:  # value names
        data = joined.split('"' + entry + '"=hex(7):', 1)[1].split('"', 1)[0]
        raw = bytes(int(x, 16) for x in data.split(",") if x)
        expected.append((entry, "\\0".join(s for s in raw.decode("utf-16-le").split("\0") if s)))
    with open(query_file, encoding="utf-8", errors="replace") as f:
        text = f.read().replace("\r", "")
    problems = []
    for name, shown in expected:
        want = "    %s    REG_MULTI_SZ    %s" % (name, shown)
        if want not in text.split("\n"):
            problems.append("%s\\%s: Wine shows %r, expected %r" % (key, name, text.strip()[-200:], want))
    if problems:
        fail(problems)
    print("ok: Wine's registry holds %d value(s) of %s as written" % (len(expected), key))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"expected-source": expected_source, "changed": changed, "bytes": bytes_check, "wine-lines": wine_lines,
     "wine-query": wine_query}[cmd](*args)


if __name__ == "__main__":
    main()
