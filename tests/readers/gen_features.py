"""Writes features.reg: a synthetic source exercising every builder feature (run by tests/scripts/readers.sh).

UTF-16LE with BOM and CRLF, as regedit writes. Deterministic: same output every run.
Usage: gen_features.py OUT.reg [--no-big]   (--no-big leaves out data over 16344 bytes, for regf 1.3)
"""
import sys


def hexbytes(b):
    return ",".join("%02x" % x for x in b)


def multi(items):
    return b"".join(s.encode("utf-16-le") + b"\0\0" for s in items) + b"\0\0"


def main():
    out, big = sys.argv[1], "--no-big" not in sys.argv
    p = "HKEY_LOCAL_MACHINE\\TEST"
    lines = ["Windows Registry Editor Version 5.00", "", "[%s]" % p, '@="root default"', ""]
    lines += ["[%s\\Types]" % p]
    for t in range(12):
        lines.append('"type%d"=hex(%x):%s' % (t, t, hexbytes(bytes([t, 1, 2, 3, 4, 5]))))
    lines += ['"odd type"=hex(100000):01,02', '"empty sz"=""', '"empty multi"=hex(7):00,00',
              '"multi with empty"=hex(7):%s' % hexbytes(multi(["a", "", "b"])),
              '"bin0"=hex:', '"bin1"=hex:07', '"bin2"=hex:07,08', '"bin3"=hex:07,08,09', '"bin4"=hex:07,08,09,0a',
              '"bin5"=hex:07,08,09,0a,0b', '"dword"=dword:deadbeef', '"qword"=hex(b):01,02,03,04,05,06,07,08',
              '"escaped \\"quote\\" \\\\ back"="C:\\\\Program Files\\\\x \\"y\\""', ""]
    if big:
        lines += ["[%s\\Big]" % p]
        for n in (16344, 16345, 40000):
            lines.append('"big%d"=hex:%s' % (n, hexbytes(bytes((i * 31 + n) & 0xFF for i in range(n)))))
        lines.append("")
    lines += ["[%s\\Unicode\\Büro\\Ωmega\\日本 語]" % p, '"Übergabe"="Grüße €"', '"名前"=dword:00000001', ""]
    lines += ["[%s\\Names\\with spaces.and.dots {GUID-1234}]" % p, '"v"="x"', ""]
    # Units 0x80-0x9F (C1 controls): stored as UTF-16 by the builder and the editor alike
    # (regf::encode_name), since libregf decodes compressed names as Windows-1252.
    lines += ["[%s\\Names\\next\u0085line \u009f]" % p, '"nel\u0085\u0080"="c1"', '"\u00ff\u00e9"="latin1"', ""]
    deep = p + "\\Deep" + "".join("\\L%02d" % i for i in range(40))
    lines += ["[%s]" % deep, '"leaf"=dword:00000028', ""]
    for i in range(1200):
        # Mixed case so that Windows' order (upper-cased) differs from byte order.
        name = ("k" if i % 3 == 0 else "K") + "%04d" % (1199 - i) + ("_x" if i % 7 == 0 else "")
        lines.append("[%s\\Many\\%s]" % (p, name))
    lines.append("")
    with open(out, "wb") as f:
        f.write(b"\xff\xfe" + "\r\n".join(lines).encode("utf-16-le"))


if __name__ == "__main__":
    main()
