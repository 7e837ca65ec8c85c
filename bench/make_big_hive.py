#!/usr/bin/python3
"""Builds hivelint's benchmark hive: a SYSTEM hive grown with hivex (Debian's python3-hivex, which loads only in
/usr/bin/python3) from samples/hives/exchange2000-healthy.hiv.

Each of three control sets (ControlSet001..003; 003 is created) gets --services extra services, each a key with
typical service values plus a Parameters subkey and an Enum subkey. Then every service's "Churn" value is
rewritten --churn times with a --blob-bytes binary: hivex allocates new cells at the end of the file and frees the
old ones, so the file also carries many free cells, like a long-lived Windows hive.

    /usr/bin/python3 bench/make_big_hive.py OUT [--services N] [--churn N] [--blob-bytes N]
        [--source HIVE] [--minor N] [--current N] [--iis]

--source is the hive grown (default the Exchange 2000 sample); --minor sets its base block's minor version first
(hivex keeps it and writes lh lists whatever it is, as it does on a Windows 2000 hive); --current writes a Select
key (Current = Default = N, LastKnownGood = 1, Failed = 0) when the source has none; --iis adds an IIS machine's
Services\InetInfo\Parameters with DispatchEntries to ControlSet00N (N = --current) after the bulk services, so that
the value a KB277770 check reads sits at the end of the file and no Exchange service exists.

Defaults (5200 services, churn 2, 2000-byte blobs) give a 539 MB file with 47,152 keys and 188,627 values; most
of the file is free cells (hivex rewrites the 5,300-entry Services list on every insertion). About a minute on
the 2-core benchmark machine.
Deterministic: the same arguments give the same tree (hivex stamps keys with the current time, so bytes differ).
"""
import argparse
import os
import shutil
import struct
import sys

import hivex

REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ = 1, 2, 3, 4, 7


def sz(text):
    return (text + "\0").encode("utf-16-le")


def multi(entries):
    return ("".join(e + "\0" for e in entries) + "\0").encode("utf-16-le")


def dword(n):
    return n.to_bytes(4, "little")


def child(h, parent, name):
    node = h.node_get_child(parent, name)
    return node if node else h.node_add_child(parent, name)


def service_values(i, blob):
    name = "BenchSvc%05d" % i
    return [
        {"key": "DisplayName", "t": REG_SZ, "value": sz("Benchmark service %d" % i)},
        {"key": "ImagePath", "t": REG_EXPAND_SZ, "value": sz("%%SystemRoot%%\\System32\\bench%05d.exe" % i)},
        {"key": "Start", "t": REG_DWORD, "value": dword(2 + i % 3)},
        {"key": "Type", "t": REG_DWORD, "value": dword(0x10)},
        {"key": "ErrorControl", "t": REG_DWORD, "value": dword(1)},
        {"key": "ObjectName", "t": REG_SZ, "value": sz("LocalSystem")},
        {"key": "DependOnService", "t": REG_MULTI_SZ, "value": multi(["RpcSs", "Tcpip", name])},
        {"key": "Churn", "t": REG_BINARY, "value": blob},
    ]


def set_minor(path, minor):
    """Writes minor version `minor` into the base block at 0x18 and recomputes its checksum (XOR of the first
    127 dwords, at 0x1FC), as Windows would have written it."""
    with open(path, "r+b") as f:
        block = bytearray(f.read(512))
        struct.pack_into("<I", block, 0x18, minor)
        checksum = 0
        for (word,) in struct.iter_unpack("<I", bytes(block[:0x1FC])):
            checksum ^= word
        struct.pack_into("<I", block, 0x1FC, checksum)
        f.seek(0)
        f.write(block)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--source", default=os.path.join(os.path.dirname(__file__), "..", "samples", "hives",
                                                     "exchange2000-healthy.hiv"))
    ap.add_argument("--services", type=int, default=5200, help="extra services per control set")
    ap.add_argument("--churn", type=int, default=2, help="rewrites of each service's Churn value")
    ap.add_argument("--blob-bytes", type=int, default=2000, help="size of the Churn value (under 16344: no big data)")
    ap.add_argument("--minor", type=int, help="regf minor version written into the source copy before growing")
    ap.add_argument("--current", type=int, help="Select\\Current (and Default) to write when the source has no Select")
    ap.add_argument("--iis", action="store_true",
                    help="add Services\\InetInfo\\Parameters DispatchEntries (IIS, no Exchange) to the current set")
    args = ap.parse_args()

    tmp = args.out + ".tmp"
    shutil.copyfile(args.source, tmp)
    os.chmod(tmp, 0o644)
    if args.minor is not None:
        set_minor(tmp, args.minor)
    h = hivex.Hivex(tmp, write=True)
    root = h.root()
    if args.current is not None and not h.node_get_child(root, "Select"):
        h.node_set_values(h.node_add_child(root, "Select"), [
            {"key": "Current", "t": REG_DWORD, "value": dword(args.current)},
            {"key": "Default", "t": REG_DWORD, "value": dword(args.current)},
            {"key": "Failed", "t": REG_DWORD, "value": dword(0)},
            {"key": "LastKnownGood", "t": REG_DWORD, "value": dword(1)}])
    for cs in ("ControlSet001", "ControlSet002", "ControlSet003"):
        services = child(h, child(h, root, cs), "Services")
        for i in range(args.services):
            svc = h.node_add_child(services, "BenchSvc%05d" % i)
            blob = bytes((i + k) & 0xFF for k in range(args.blob_bytes))
            h.node_set_values(svc, service_values(i, blob))
            params = h.node_add_child(svc, "Parameters")
            h.node_set_values(params, [
                {"key": "ServiceDll", "t": REG_EXPAND_SZ, "value": sz("%%SystemRoot%%\\System32\\bench%05d.dll" % i)},
                {"key": "Threads", "t": REG_DWORD, "value": dword(i % 64)},
            ])
            enum = h.node_add_child(svc, "Enum")
            h.node_set_values(enum, [{"key": "Count", "t": REG_DWORD, "value": dword(1)},
                                     {"key": "0", "t": REG_SZ, "value": sz("Root\\LEGACY_BENCHSVC%05d\\0000" % i)}])
        # Churn: rewrite the blob; every rewrite leaves the old value and data cells free.
        for round_ in range(args.churn):
            for i in range(args.services):
                svc = h.node_get_child(services, "BenchSvc%05d" % i)
                blob = bytes((i + k + round_ + 1) & 0xFF for k in range(args.blob_bytes))
                h.node_set_value(svc, {"key": "Churn", "t": REG_BINARY, "value": blob})
    if args.iis:
        services = child(h, child(h, root, "ControlSet%03d" % (args.current or 2)), "Services")
        inetinfo = child(h, services, "InetInfo")
        h.node_set_values(child(h, inetinfo, "Parameters"), [
            {"key": "DispatchEntries", "t": REG_MULTI_SZ, "value": multi(["Ldapsvc"])}])
        h.node_set_values(child(h, services, "W3SVC"), [
            {"key": "DisplayName", "t": REG_SZ, "value": sz("World Wide Web Publishing")},
            {"key": "Start", "t": REG_DWORD, "value": dword(2)}])
    h.commit(tmp)
    del h
    os.replace(tmp, args.out)
    print("%s: %d bytes" % (args.out, os.path.getsize(args.out)), file=sys.stderr)


if __name__ == "__main__":
    main()
