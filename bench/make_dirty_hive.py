#!/usr/bin/python3
"""Makes the benchmark's dirty shape: a copy of a clean hive that a transaction log must complete.

    /usr/bin/python3 bench/make_dirty_hive.py SOURCE OUT [--pages 256]

Writes OUT, SOURCE with its primary sequence number one past its secondary (a hive Windows was writing when it
was copied), and OUT.LOG1, a new-format log (Windows 8.1 and later) whose one entry holds --pages pages of the
hive bins, spread evenly over them, as Windows writes an entry: the HvLE header with its two Marvin32 hashes,
the dirty-page references, the pages. The pages hold the bytes SOURCE has there, so the recovered hive is SOURCE
with a clean base block at the log's sequence number and every reader's answer is SOURCE's. Nothing is random.
Layout (Suhanov, "Windows registry file format specification": "New format", "Log entries"; libyal's
"Windows NT Registry File (REGF) format"); the hashes are Microsoft's Marvin32 with the seed the specification
gives.
"""
import argparse
import os
import struct
import sys

BASE_BLOCK = 4096
LOG_BASE_BLOCK = 512
PAGE = 4096
ENTRY_HEADER = 40
ENTRY_ALIGNMENT = 512
MARVIN_SEED = 0x82EF4D887A4E55C5
FILE_TYPE_LOG_NEW = 6
MASK = 0xFFFFFFFF


def rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & MASK


def marvin32(data, seed=MARVIN_SEED):
    lo, hi = seed & MASK, seed >> 32

    def mix(lo, hi, v):
        lo = (lo + v) & MASK
        hi ^= lo
        lo = (rotl(lo, 20) + hi) & MASK
        hi = rotl(hi, 9) ^ lo
        lo = (rotl(lo, 27) + hi) & MASK
        hi = rotl(hi, 19)
        return lo, hi

    whole = len(data) // 4 * 4
    for (v,) in struct.iter_unpack("<I", data[:whole]):
        lo, hi = mix(lo, hi, v)
    last = 0x80
    for b in reversed(data[whole:]):  # the tail little-endian, then the 0x80 marker byte
        last = (last << 8) | b
    lo, hi = mix(lo, hi, last & MASK)
    lo, hi = mix(lo, hi, 0)
    return (hi << 32) | lo


def checksum(block):
    s = 0
    for (v,) in struct.iter_unpack("<I", block[:508]):
        s ^= v
    return 1 if s == 0 else 0xFFFFFFFE if s == MASK else s


def with_checksum(block):
    block[508:512] = struct.pack("<I", checksum(block))
    return block


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source")
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=256)
    args = ap.parse_args()
    with open(args.source, "rb") as f:
        hive = bytearray(f.read())
    if hive[:4] != b"regf" or len(hive) < BASE_BLOCK + PAGE:
        sys.exit("make_dirty_hive: %s is not a hive" % args.source)
    primary, secondary = struct.unpack_from("<II", hive, 4)
    bins = struct.unpack_from("<I", hive, 40)[0]
    if primary != secondary or checksum(hive) != struct.unpack_from("<I", hive, 508)[0]:
        sys.exit("make_dirty_hive: %s is dirty already" % args.source)
    seq = secondary
    pages = max(1, min(args.pages, bins // PAGE))
    step = bins // PAGE // pages * PAGE
    offsets = [i * step for i in range(pages)]

    # The log: its base block is the hive's first 512 bytes at the entry's sequence number, file type 6.
    log = bytearray(hive[:LOG_BASE_BLOCK])
    struct.pack_into("<II", log, 4, seq, seq)
    struct.pack_into("<I", log, 28, FILE_TYPE_LOG_NEW)
    struct.pack_into("<I", log, 40, bins)
    with_checksum(log)
    size = ENTRY_HEADER + 8 * pages + PAGE * pages
    size = (size + ENTRY_ALIGNMENT - 1) // ENTRY_ALIGNMENT * ENTRY_ALIGNMENT
    entry = bytearray(size)
    struct.pack_into("<4sIIIII", entry, 0, b"HvLE", size, 0, seq, bins, pages)
    at = ENTRY_HEADER + 8 * pages
    for i, off in enumerate(offsets):
        struct.pack_into("<II", entry, ENTRY_HEADER + 8 * i, off, PAGE)
        entry[at:at + PAGE] = hive[BASE_BLOCK + off:BASE_BLOCK + off + PAGE]
        at += PAGE
    struct.pack_into("<Q", entry, 24, marvin32(bytes(entry[ENTRY_HEADER:])))
    struct.pack_into("<Q", entry, 32, marvin32(bytes(entry[:32])))
    log += entry

    # The hive: its writes began (primary sequence one past the secondary) but never finished.
    struct.pack_into("<I", hive, 4, seq + 1)
    with_checksum(hive)
    for path, data in ((args.out + ".LOG1", log), (args.out, hive)):
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    print("make_dirty_hive: %s (sequence %d/%d), %s.LOG1 (one entry, %d pages, sequence %d)"
          % (args.out, seq + 1, seq, args.out, pages, seq))


if __name__ == "__main__":
    main()
