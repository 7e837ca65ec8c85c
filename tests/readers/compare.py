"""Independent readers agree with the .reg source (run by tests/scripts/readers.sh).

compare.py SOURCE.reg PREFIX HIVE
Parses SOURCE.reg with its own minimal parser (not hivelint's), then checks that hivexregedit --export,
Python hivex, regfexport (libregf) and reglookup each read every key and value of HIVE with the right
type and data. Prints "<reader> <hive>: ok" or the first differences, exits 1 on any difference.
"""
import copy
import re
import subprocess
import sys
import urllib.parse

import hivex

MAX_SHOWN = 20


def decode_text(raw):
    if raw.startswith(b"\xff\xfe"):
        return raw[2:].decode("utf-16-le")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8")


def unquote(s, i):
    """Reads a quoted string at s[i] == '"'; returns (text, index after the closing quote)."""
    out, i = [], i + 1
    while s[i] != '"':
        if s[i] == "\\":
            out.append(s[i + 1])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out), i + 1


def parse_reg(text, prefix):
    """{key path (upper-case tuple): (display path, {value name upper: (name, type, bytes)})}"""
    lines, joined = text.replace("\r\n", "\n").split("\n"), []
    for line in lines:
        if joined and joined[-1].endswith("\\") and "=hex" in joined[-1]:
            joined[-1] = joined[-1][:-1] + line.lstrip()
        else:
            joined.append(line)
    keys, current = {}, None
    for line in joined:
        line = line.strip()
        if not line or line.startswith(";") or line in ("REGEDIT4", "Windows Registry Editor Version 5.00"):
            continue
        if line.startswith("["):
            path = line[1:-1]
            if not path.upper().startswith(prefix.upper()):
                raise ValueError("key outside the prefix: " + path)
            parts = tuple(p for p in path[len(prefix):].split("\\") if p)
            for n in range(len(parts) + 1):  # parents exist too
                keys.setdefault(tuple(p.upper() for p in parts[:n]), ("\\".join(parts[:n]), {}))
            current = keys[tuple(p.upper() for p in parts)][1]
            continue
        if line.startswith("@"):
            name, i = "", 1
        else:
            name, i = unquote(line, 0)
        data = line[i + 1:]
        if data == "-":  # "name"=-: the value is deleted
            current.pop(name.upper(), None)
            continue
        if data.startswith('"'):
            s, _ = unquote(data, 0)
            vtype, raw = 1, (s + "\0").encode("utf-16-le")
        elif data.startswith("dword:"):
            vtype, raw = 4, int(data[6:], 16).to_bytes(4, "little")
        elif data.startswith("hex:"):
            vtype, raw = 3, bytes(int(x, 16) for x in data[4:].split(",") if x.strip())
        elif data.startswith("hex("):
            close = data.index(")")
            vtype = int(data[4:close], 16)
            raw = bytes(int(x, 16) for x in data[close + 2:].split(",") if x.strip())
        else:
            raise ValueError("cannot parse: " + line)
        current[name.upper()] = (name, vtype, raw)
    return keys


def compare(reader, expected, actual, data_check):
    """actual: same shape as expected; data_check(name, type, expected bytes, actual bytes) -> bool"""
    diffs = []
    for k in sorted(set(expected) | set(actual)):
        if k not in actual:
            diffs.append("key missing: " + expected[k][0])
            continue
        if k not in expected:
            diffs.append("unexpected key: " + actual[k][0])
            continue
        ev, av = expected[k][1], actual[k][1]
        for n in sorted(set(ev) | set(av)):
            where = expected[k][0] + "\\" + (ev.get(n, av.get(n))[0] or "(Default)")
            if n not in av:
                diffs.append("value missing: " + where)
            elif n not in ev:
                diffs.append("unexpected value: " + where)
            elif ev[n][1] != av[n][1]:
                diffs.append("%s: type %s, expected %s" % (where, av[n][1], ev[n][1]))
            elif not data_check(ev[n][1], ev[n][2], av[n][2]):
                show = lambda d: d[:40] if isinstance(d, (bytes, bytearray)) else d  # noqa: E731 (regfexport: sizes)
                diffs.append("%s: data %r, expected %r" % (where, show(av[n][2]), show(ev[n][2])))
    return diffs


def exact(t, e, a):
    return e == a


def via_hivexregedit(hive):
    p = subprocess.run(["hivexregedit", "--export", hive, "\\"], capture_output=True, check=True)
    # Perl prints a line holding only characters up to U+00FF as Latin-1 and any other line as UTF-8.
    lines = []
    for raw in p.stdout.split(b"\n"):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("latin-1"))
    return parse_reg("\n".join(lines), "\\")


def via_hivex(hive):
    h = hivex.Hivex(hive)
    keys = {}

    def walk(node, parts):
        values = {}
        for v in h.node_values(node):
            name = h.value_key(v)
            t, raw = h.value_value(v)
            values[name.upper()] = (name, t, raw)
        keys[tuple(p.upper() for p in parts)] = ("\\".join(parts), values)
        for c in h.node_children(node):
            walk(c, parts + [h.node_name(c)])

    walk(h.root(), [])
    return keys


REGFEXPORT_TYPES = {"REG_NONE": 0, "REG_SZ": 1, "REG_EXPAND_SZ": 2, "REG_BINARY": 3, "REG_DWORD_LITTLE_ENDIAN": 4,
                    "REG_DWORD_BIG_ENDIAN": 5, "REG_LINK": 6, "REG_MULTI_SZ": 7, "REG_RESOURCE_LIST": 8,
                    "REG_FULL_RESOURCE_DESCRIPTOR": 9, "REG_RESOURCE_REQUIREMENTS_LIST": 10,
                    "REG_QWORD_LITTLE_ENDIAN": 11}


def via_regfexport(hive):
    """libregf's text dump: key paths, value names, types, data sizes and data: a hex dump (bytes) for most
    types, a decimal number for REG_DWORD, text for strings. Values are (name, type, (size, data))."""
    out = subprocess.run(["regfexport", hive], capture_output=True, check=True).stdout.decode("utf-8", "replace")
    keys, root, current, value, dump = {}, None, None, None, None

    def close():
        nonlocal value, dump
        if value is not None and dump is not None and value[2] is not None:
            value[2] = (value[2][0], bytes(dump))
        if value is not None and value[2] is not None:
            current[value[0].upper()] = (value[0], value[1], value[2])
        value, dump = None, None

    for line in out.split("\n"):
        if dump is not None and re.match(r"[0-9a-f]{8}: ", line):
            dump.extend(int(x, 16) for x in line[10:58].split())
            continue
        if line.startswith("Key path: "):
            close()
            path = line[len("Key path: "):].split("\\")
            root = root or path[0]
            parts = path[1:]
            current = {}
            keys[tuple(p.upper() for p in parts)] = ("\\".join(parts), current)
        elif line.startswith("Value: "):
            close()
            name = line[len("Value: "):].split(" ", 1)[1]
            value = ["" if name == "(default)" else name, None, None]
        elif line.startswith("Type: ") and value is not None:
            if line.startswith("Type: unknown: "):
                value[1] = int(line[len("Type: unknown: "):], 16)
            else:
                value[1] = REGFEXPORT_TYPES.get(line[line.rindex("(") + 1:-1])
        elif line.startswith("Data size: ") and value is not None:
            value[2] = (int(line[len("Data size: "):]), None)
        elif line == "Data:" and value is not None:
            dump = bytearray()
        elif line.startswith("Data: ") and value is not None and value[2] is not None:
            value[2] = (value[2][0], line[len("Data: "):])
        elif not line:
            close()
    close()
    return keys


def regfexport_data(t, e, a):
    """What regfexport shows is compared: a hex dump byte for byte (REG_MULTI_SZ, REG_BINARY and every other
    type it dumps), a REG_DWORD's number, a string's text up to its first NUL (libregf normalises the stored
    bytes, so the size only has to hold that text). A value shown by size alone is compared by size, and so is
    data of 1 to 3 bytes of a type other than REG_DWORD: it is resident (stored in the vk cell itself), which
    libregf 20201007 dumps wrongly (features hive: 07 08 09 shown as 08 09 00; see hive::libregf_reads_as)."""
    size, data = a
    if isinstance(data, bytes) and 0 < len(e) < 4:
        return size == len(e)
    if isinstance(data, bytes):
        return data == e and size == len(e)
    if t == 4 and len(e) == 4 and data is not None and data.isdigit():
        return int(data) == int.from_bytes(e, "little")
    if t in (1, 2):
        text = e.decode("utf-16-le", "replace").split("\0")[0]
        return size >= len(text.encode("utf-16-le")) and (data or "") == text
    return size == len(e)


RL_TYPES = {"NONE": 0, "SZ": 1, "EXPAND_SZ": 2, "BINARY": 3, "DWORD": 4, "DWORD_BE": 5, "LINK": 6, "MULTI_SZ": 7,
            "RSRC_LIST": 8, "RSRC_DESC": 9, "RSRC_REQ_LIST": 10, "QWORD": 11}


def via_reglookup(hive):
    """reglookup's CSV percent-escapes non-ASCII and separators; it converts names to US-ASCII (UTF-16 names
    come out garbled), so only paths that round-trip are compared by name; all others by count."""
    out = subprocess.run(["reglookup", "-H", hive], capture_output=True).stdout.decode("latin-1")
    keys = {}
    for line in out.split("\n"):
        if not line:
            continue
        path, vtype, data = line.split(",")[:3]
        unq = lambda p: urllib.parse.unquote(p, encoding="latin-1")  # noqa: E731
        if vtype == "KEY":
            parts = [unq(p) for p in path.split("/") if p]
            keys.setdefault(tuple(p.upper() for p in parts), ("\\".join(parts), {}))
            continue
        cut = path.rindex("/")  # "KEY/NAME"; the default value is "KEY/" (empty name)
        parts = [unq(p) for p in path[:cut].split("/") if p]
        name = unq(path[cut + 1:])
        kk = tuple(p.upper() for p in parts)
        keys.setdefault(kk, ("\\".join(parts), {}))
        if data == "(null)":
            data = ""
        t = RL_TYPES.get(vtype, int(vtype, 16) if vtype.startswith("0x") else -1)
        keys[kk][1][name.upper()] = (name, t, urllib.parse.unquote_to_bytes(data))
    return keys


def reglookup_data(t, e, a):
    """reglookup's CSV, compared as far as it is exact: REG_DWORD as 0x%08X, REG_BINARY bytes, ASCII strings up
    to the first NUL, REG_MULTI_SZ as its '|'-joined non-empty ASCII strings (reglookup drops empty strings).
    Non-ASCII text is shown in a lossy encoding, and the remaining types in its own notation: those values are
    compared by presence and type only (the other three readers compare their bytes)."""
    if t == 4 and len(e) == 4:
        return a.decode() == "0x%08X" % int.from_bytes(e, "little")
    if t == 3:
        return a == e
    if t in (1, 2):
        text = e.decode("utf-16-le", "replace").split("\0")[0]
        return not text.isascii() or a.decode("latin-1") == text
    if t == 7:
        if len(e) % 2:
            return True  # not UTF-16: reglookup quotes raw bytes
        entries = [x for x in e.decode("utf-16-le", "replace").split("\0") if x]
        if not all(x.isascii() and "|" not in x for x in entries):
            return True
        return a.decode("latin-1") == "|".join(entries)
    return True


def main():
    source, prefix, hive = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(source, "rb") as f:
        expected = parse_reg(decode_text(f.read()), prefix)
    failures = 0
    checks = [("hivexregedit", via_hivexregedit(hive), expected, exact),
              ("python-hivex", via_hivex(hive), expected, exact)]
    checks.append(("regfexport", via_regfexport(hive), expected, regfexport_data))
    rl = via_reglookup(hive)
    # Keys whose names reglookup cannot render (UTF-16 names) are compared by count only.
    ascii_expected = copy.deepcopy({k: v for k, v in expected.items() if all(p.isascii() for p in v[0].split("\\"))})
    ascii_rl = {k: v for k, v in rl.items() if all(p.isascii() and "\0" not in p for p in v[0].split("\\"))}
    # Values of keys with UTF-16 names are under garbled paths: drop from both sides, check the total count.
    total_expected = sum(len(v[1]) for v in expected.values())
    total_rl = sum(len(v[1]) for v in rl.values())
    for k in list(ascii_rl):
        if k not in ascii_expected and any(not p.isascii() for p in "".join(k)):
            del ascii_rl[k]
    for k in list(ascii_rl):
        if k not in ascii_expected:
            del ascii_rl[k]
    for k, (p, vals) in ascii_expected.items():
        for n in list(vals):
            if not vals[n][0].isascii():
                del vals[n]
        if k in ascii_rl:
            for n in list(ascii_rl[k][1]):
                if n not in vals and not n.isascii():
                    del ascii_rl[k][1][n]
    checks.append(("reglookup", ascii_rl, ascii_expected, reglookup_data))
    for name, actual, exp, check in checks:
        diffs = compare(name, exp, actual, check)
        if name == "reglookup" and total_rl != total_expected:
            diffs.append("reglookup lists %d values, the source has %d" % (total_rl, total_expected))
        if diffs:
            failures += 1
            print("FAIL %s %s: %d differences" % (name, hive, len(diffs)))
            for d in diffs[:MAX_SHOWN]:
                print("  " + d)
        else:
            print("ok   %s %s (%d keys)" % (name, hive, len(exp)))
    return failures


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
