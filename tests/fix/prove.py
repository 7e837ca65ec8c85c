"""Independent checks of what `hivelint fix` wrote (run by tests/scripts/fix_proof.sh with Debian's python3).

prove.py changed IN.hiv OUT.hiv FIX.json
    hivexregedit --export of input and output differ in exactly the keys and values FIX.json lists as changes.
prove.py bytes IN.hiv OUT.hiv FIX.json
    Every byte that differs (computed here, not taken from hivelint) lies in the base block, in new hive bins past
    the input's end, in the size field of a cell that became free, or in the nk (or its sk) of a key on a
    changed path, or the vk or data cell of a changed value, each found by walking the input's tree (by cell
    offset, so a key of the same name elsewhere does not count); and FIX.json's differing_bytes list is what
    this computation finds.
prove.py tamper-nk IN.hiv KEY OUT.hiv
    A copy of IN.hiv with one timestamp byte changed in another key named like KEY (the test of the bytes check).
prove.py expected-fix SAMPLE.reg RULE.json OUT.reg LISTS.tsv
    The sample's .reg source plus what the rule's fix must write there, computed from the rule file alone.
prove.py list-check LISTS.tsv HIVE
    hivexget reads each expected list of LISTS.tsv exactly (every name, in order).
prove.py wine-lines OURS.reg WINE.reg...
    The value lines of each key block in OURS.reg equal those `wine regedit /E` exported (line for line).
prove.py wine-query OURS.reg KEY QUERY.txt
    `wine reg query KEY /v NAME` (saved in QUERY.txt) shows each REG_MULTI_SZ that OURS.reg sets under KEY.
prove.py expected-class-filter-fix SAMPLE.reg RULE.json OUT.reg LISTS.tsv
    The sample's source plus what CLASS-FILTER-MISSING's fix must do there (remove the names that are not a key
    under Services from each listed filter value of each Control\Class\{GUID}; delete a value left empty),
    computed from the source and the rule file's fix alone. LISTS.tsv gets "-<TAB>KEY<TAB>VALUE" for deletions.
prove.py wine-seed SAMPLE.reg OURS.reg ROOT CURRENT OUT.reg
    A .reg that puts, under each key block of OURS.reg, the values the sample's source has there (ROOT is the
    prefix OURS.reg uses for the hive root, CURRENT the ControlSet its CurrentControlSet stands for), so that
    Wine's import of OURS.reg acts on the values it changes and deletes.
prove.py wine-key OURS.reg SEED.reg KEY QUERY.txt WINE.reg
    After importing SEED.reg then OURS.reg: `wine reg query KEY` (QUERY.txt) and `wine regedit /E` (WINE.reg) show
    each value OURS.reg sets, as written, none it deletes, and every other seeded value still there.
Exit 1 with the first problems on stdout; "ok: ..." otherwise.
"""
import json
import os
import re
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


def rule_expectation(sample_reg, rule_json):
    """{key parts (upper tuple): (display path, value name, [entries])}: what the rule's fix must leave in each
    ControlSet of the sample, computed from the sample's source and the rule file alone (never from hivelint):
    in every ControlSet00N the rule applies to (applies_if: all/any of key_exists), the value holds the stored
    REG_MULTI_SZ entries in their order, as far as Windows reads them (up to the first empty string; none when
    the value is absent or of another type), followed by each
    of the rule's entries not already there in any letter case, in the rule's order."""
    with open(rule_json, encoding="utf-8") as f:
        rule = json.load(f)
    fixes = rule.get("fix", [])
    if len(fixes) != 1 or fixes[0]["action"] != "ensure_multi_string_contains":
        raise SystemExit("prove.py: %s: only one ensure_multi_string_contains fix is understood" % rule_json)
    fix = fixes[0]
    split = lambda path: tuple(p.upper() for p in path.split("\\") if p)  # noqa: E731
    keys = compare.parse_reg(read_text(sample_reg), "HKEY_LOCAL_MACHINE\\SYSTEM")

    def applies(cond, top):
        """applies_if as the rule file says it, for the constructs KB277770 uses: all, any, key_exists."""
        (kind, arg), = cond.items()
        if kind == "key_exists":
            return top + split(arg) in keys
        if kind == "all":
            return all(applies(c, top) for c in arg)
        if kind == "any":
            return any(applies(c, top) for c in arg)
        raise SystemExit("prove.py: %s: applies_if construct %r is not understood" % (rule_json, kind))

    out = {}
    for top in sorted(k for k in keys if len(k) == 1 and re.fullmatch(r"CONTROLSET\d{3}", k[0])):
        if not applies(rule["applies_if"], top):
            continue
        target = top + split(fix["key"])
        display = keys[top][0] + "\\" + fix["key"]
        stored = keys.get(target, ("", {}))[1].get(fix["value"].upper())
        entries = []
        if stored is not None and stored[1] == 7:
            entries = stored[2].decode("utf-16-le").split("\0")
            if "" in entries:  # Windows reads up to the first empty string (samples/hives/dispatch-empty-entry.md)
                entries = entries[:entries.index("")]
        have = {e.upper() for e in entries}
        missing = [e for e in fix["entries"] if e.upper() not in have]
        if missing or stored is None or stored[1] != 7:
            out[target] = (display, fix["value"], entries + missing)
    return out


def expected_fix(sample_reg, rule_json, out_reg, lists_out):
    """The sample's source plus the rule's fix (rule_expectation) as a .reg for compare.py, and the expected
    lists as 'KEY<TAB>name<TAB>name...' lines for the hivexget check."""
    expected = rule_expectation(sample_reg, rule_json)
    text = read_text(sample_reg).replace("\r\n", "\n") + "\n"
    lines = []
    for display, value, entries in expected.values():
        data = ("\0".join(entries) + "\0\0").encode("utf-16-le")
        text += '\n[HKEY_LOCAL_MACHINE\\SYSTEM\\%s]\n"%s"=hex(7):%s\n' % (display, value, ",".join("%02x" % b for b in data))
        lines.append("\t".join([display, value] + entries))
    with open(out_reg, "w", encoding="utf-8") as f:
        f.write(text)
    with open(lists_out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("ok: %d value(s) the rule's fix must write: %s" % (len(lines), "; ".join(lines)))


def list_check(lists, hive):
    """hivexget reads exactly the expected entries (names and order) of each expected list in HIVE, and finds no
    value where a row "-<TAB>KEY<TAB>VALUE" says it is deleted."""
    problems = []
    with open(lists, encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    if not rows:
        fail(["no expected list in " + lists])
    for row in rows:
        if row[0] == "-":
            r = subprocess.run(["hivexget", hive, row[1], row[2]], capture_output=True, text=True)
            if r.returncode == 0:
                problems.append("hivexget %s %s: %r, expected no such value" % (row[1], row[2], r.stdout[:80]))
            continue
        key, value, *entries = row
        r = subprocess.run(["hivexget", hive, key, value], capture_output=True, text=True)
        got = r.stdout.split("\n")
        while got and got[-1] == "":
            got.pop()
        if r.returncode != 0 or got != entries:
            problems.append("hivexget %s %s: %r (exit %d), expected %r" % (key, value, got, r.returncode, entries))
    if problems:
        fail(problems)
    print("ok: hivexget reads the %d expected list(s) exactly" % len(rows))


def class_filter_expectation(sample_reg, rule_json):
    """[(display key, value name, None (deleted) | (kept entries, data bytes))]: what CLASS-FILTER-MISSING's fix
    must do in the sample, from the source and the rule file alone. Per ControlSet00N: every REG_MULTI_SZ value
    named in the fix's from_items under each Control\\Class\\{GUID} is read as Windows reads it (up to the first
    empty string); the names that are not a key under Services (any case) are dangling. The rule fails, so the
    fix runs, when a dangling name's class has a device (subkey 0000: an error item; --fail-on error); then every
    dangling name goes, the others stay in their order with whatever followed the list, and an emptied value
    is deleted."""
    with open(rule_json, encoding="utf-8") as f:
        rule = json.load(f)
    fixes = rule.get("fix", [])
    if len(fixes) != 1 or fixes[0].get("action") != "remove_multi_string_entries" or "from_items" not in fixes[0]:
        raise SystemExit("prove.py: %s: one remove_multi_string_entries fix with from_items is expected" % rule_json)
    names = [n.upper() for n in fixes[0]["from_items"]]
    keys = compare.parse_reg(read_text(sample_reg), "HKEY_LOCAL_MACHINE\\SYSTEM")
    out = []
    for top in sorted(k for k in keys if len(k) == 1 and re.fullmatch(r"CONTROLSET\d{3}", k[0])):
        classes = sorted(k for k in keys if len(k) == 4 and k[:3] == top + ("CONTROL", "CLASS"))
        plans, fails = [], False
        for cls in classes:
            display, values = keys[cls]
            for vname in names:
                stored = values.get(vname)
                if stored is None or stored[1] != 7:
                    continue
                units = stored[2].decode("utf-16-le")
                entries, i = [], 0
                while i < len(units):
                    nul = units.find("\0", i)
                    nul = len(units) if nul < 0 else nul
                    if nul == i:
                        break
                    entries.append(units[i:nul])
                    i = min(nul + 1, len(units)) if nul < len(units) else nul
                tail = units[i:]
                dangling = [e for e in entries if top + ("SERVICES", e.upper()) not in keys]
                if not dangling:
                    continue
                fails = fails or (cls + ("0000",)) in keys
                kept = [e for e in entries if e not in dangling]
                if not kept:
                    plans.append((display, stored[0], None))
                else:
                    text = "".join(e + "\0" for e in kept) + (tail if tail else "\0")
                    plans.append((display, stored[0], (kept, text.encode("utf-16-le"))))
        if fails:
            out.extend(plans)
    return out


def expected_class_filter_fix(sample_reg, rule_json, out_reg, lists_out):
    expected = class_filter_expectation(sample_reg, rule_json)
    text = read_text(sample_reg).replace("\r\n", "\n") + "\n"
    lines = []
    for display, value, new in expected:
        if new is None:
            text += '\n[HKEY_LOCAL_MACHINE\\SYSTEM\\%s]\n"%s"=-\n' % (display, value)
            lines.append("\t".join(["-", display, value]))
        else:
            text += '\n[HKEY_LOCAL_MACHINE\\SYSTEM\\%s]\n"%s"=hex(7):%s\n' % (display, value, ",".join("%02x" % b for b in new[1]))
            lines.append("\t".join([display, value] + new[0]))
    if not lines:
        fail(["the rule's fix changes nothing in " + sample_reg])
    with open(out_reg, "w", encoding="utf-8") as f:
        f.write(text)
    with open(lists_out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("ok: %d value(s) the rule's fix must change or delete: %s" % (len(lines), "; ".join(lines)))


def value_blocks(path):
    """{[KEY] upper: {value name upper: [lines of that value]}} of a .reg file (continuations kept)."""
    out = {}
    for key, lines in block_lines(path).items():
        values, current = {}, None
        for line in lines:
            if line.startswith("  ") and current is not None:
                values[current].append(line)
                continue
            name = "" if line.startswith("@") else compare.unquote(line, 0)[0]
            current = name.upper()
            values[current] = [line]
        out[key] = values
    return out


def wine_seed(sample_reg, ours, root, current, out_reg):
    keys = compare.parse_reg(read_text(sample_reg), "HKEY_LOCAL_MACHINE\\SYSTEM")
    text = "Windows Registry Editor Version 5.00\r\n"
    n = 0
    for block in block_lines(ours):
        path = block[1:-1]
        if not path.upper().startswith(root.upper() + "\\"):
            fail(["key outside %s: %s" % (root, path)])
        parts = [p for p in path[len(root) + 1:].split("\\") if p]
        if parts and parts[0].upper() == "CURRENTCONTROLSET":
            parts[0] = current
        stored = keys.get(tuple(p.upper() for p in parts))
        if stored is None:
            fail(["the sample has no key " + "\\".join(parts)])
        text += "\r\n[%s]\r\n" % path
        for name, vtype, raw in stored[1].values():
            shown = "@" if name == "" else '"%s"' % name.replace("\\", "\\\\").replace('"', '\\"')
            text += "%s=hex(%x):%s\r\n" % (shown, vtype, ",".join("%02x" % b for b in raw))
            n += 1
    with open(out_reg, "wb") as f:
        f.write(b"\xff\xfe" + text.encode("utf-16-le"))
    print("ok: %d value(s) of the sample seeded under %d key(s)" % (n, len(block_lines(ours))))


def wine_key(ours, seed, key, query_file, wine_export):
    mine = value_blocks(ours).get("[" + key.upper() + "]")
    seeded = value_blocks(seed).get("[" + key.upper() + "]")
    theirs = value_blocks(wine_export).get("[" + key.upper() + "]")
    if mine is None or seeded is None or theirs is None:
        fail(["no block for %s in %s, %s or %s" % (key, ours, seed, wine_export)])
    with open(query_file, encoding="utf-8", errors="replace") as f:
        shown = {l.split("    ")[1].upper(): l for l in f.read().replace("\r", "").split("\n") if l.startswith("    ") and len(l.split("    ")) >= 4}
    problems = []
    for name, lines in mine.items():
        if lines == [lines[0]] and lines[0].endswith("=-"):
            if name in theirs or name in shown:
                problems.append("%s\\%s: still there after a deletion line" % (key, name))
            continue
        if theirs.get(name) != lines:
            problems.append("%s\\%s: ours %r, Wine's export %r" % (key, name, lines[:2], (theirs.get(name) or [])[:2]))
        if name not in shown:
            problems.append("%s\\%s: not in wine reg query" % (key, name))
    for name in seeded:
        if name not in mine and name not in theirs:
            problems.append("%s\\%s: a value the fix does not touch is gone" % (key, name))
    if problems:
        fail(problems)
    deleted = sum(1 for l in mine.values() if l[0].endswith("=-"))
    print("ok: %s: %d value(s) set as written, %d deleted, %d untouched kept" % (key, len(mine) - deleted, deleted, len(theirs) - len(mine) + deleted))


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


def u32(hive, at):
    return struct.unpack_from("<I", hive, at)[0]


def subkey_cells(hive, nk):
    """Cell starts of the subkeys of the nk cell at `nk` (lf, lh, li and ri lists, walked here)."""
    count, lst = u32(hive, nk + 4 + 20), u32(hive, nk + 4 + 28)
    if count == 0 or lst == 0xFFFFFFFF:
        return []
    out, todo = [], [4096 + lst]
    while todo:
        cell = todo.pop()
        sig, n = hive[cell + 4:cell + 6], struct.unpack_from("<H", hive, cell + 6)[0]
        step = 8 if sig in (b"lf", b"lh") else 4
        offsets = [4096 + u32(hive, cell + 8 + i * step) for i in range(n)]
        if sig == b"ri":
            todo.extend(offsets)
        else:
            out.extend(offsets)
    return out


def path_cells(hive, keys, values):
    """Cell starts the change may touch, found by walking the input's tree (not by name anywhere in the hive):
    the nk of every key on a planned path, as far as it exists, with its sk; the vk of each planned value of an
    existing key and that value's data cell."""
    root = 4096 + u32(hive, 36)
    nks, vks, data = set(), set(), set()
    wanted = {k: set() for k in keys}
    for k, n in values:
        wanted.setdefault(k, set()).add(n)
    for path, names in wanted.items():
        nk = root
        nks.add(nk)
        for part in path:
            nk = next((c for c in subkey_cells(hive, nk) if name_of(hive, c) == part), None)
            if nk is None:
                break
            nks.add(nk)
        if nk is None:
            continue
        count, lst = u32(hive, nk + 4 + 36), u32(hive, nk + 4 + 40)
        for i in range(count if lst != 0xFFFFFFFF else 0):
            vk = 4096 + u32(hive, 4096 + lst + 4 + 4 * i)
            if name_of(hive, vk) in names:
                vks.add(vk)
                if not u32(hive, vk + 4 + 4) & 0x80000000:  # data not stored in the vk itself
                    data.add(4096 + u32(hive, vk + 4 + 8))
    sks = {4096 + u32(hive, nk + 4 + 44) for nk in nks}
    return nks, vks, data, sks


def tamper_nk(hive_in, key, hive_out):
    """A copy of HIVE_IN with one byte of the nk timestamp of another key named like KEY (same last name, other
    path, e.g. LanmanServer\\Parameters for InetInfo\\Parameters): a stray change bytes_check must refuse."""
    with open(hive_in, "rb") as f:
        h = bytearray(f.read())
    parts = tuple(p.upper() for p in key.split("\\") if p)
    on_path, _, _, _ = path_cells(bytes(h), {parts}, set())
    other = next(start for start, _, allocated in cells_of(h)
                 if allocated and h[start + 4:start + 6] == b"nk" and start not in on_path and name_of(h, start) == parts[-1])
    h[other + 4 + 4] ^= 1
    with open(hive_out, "wb") as f:
        f.write(h)
    print("ok: flipped the timestamp byte at %#x, in another key named %s" % (other + 8, parts[-1]))


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
    cells = cells_of(a)
    nks, vks, data_cells, sks = path_cells(a, keys, values)
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
            if start in nks or start in vks or start in data_cells or start in sks:
                continue  # a key on a changed path (parent of a new key), a changed value, their security
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
    {"expected-class-filter-fix": expected_class_filter_fix, "wine-seed": wine_seed, "wine-key": wine_key,
     "expected-fix": expected_fix, "list-check": list_check, "tamper-nk": tamper_nk, "changed": changed, "bytes": bytes_check, "wine-lines": wine_lines,
     "wine-query": wine_query}[cmd](*args)


if __name__ == "__main__":
    main()
