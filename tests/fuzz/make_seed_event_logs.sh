#!/usr/bin/env bash
# Regenerates the seeds of corpus/event_logs, and the one regression of regressions/event_logs, with the EVT and EVTX
# writers of tests/support (deterministic: the same bytes every time). EVT files are cut after their last record (the header's file size says so; libevt reads them
# as they are), so they are under 1 KiB; an EVTX file cannot be cut (libevtx drops a chunk shorter than 64 KiB, so
# the records would be gone), hence two one-chunk EVTX seeds of 68 KiB, mostly zeros.
#   evt-scm.Evt        clean: SCM failures of most shapes (7000, 7009, 7026's driver list, 7031) and other records
#   evt-recovered.Evt  dirty, with two older records in the free space after the end-of-file record (recovered)
#   evt-wrapped.Evt    dirty and wrapped: the records run past the end of the file and go on after the header
#   evtx-scm.evtx      clean: SCM failures with the service key in Binary, 7026, a timeout, other providers
#   evtx-crc.evtx      dirty, its chunk's event records checksum wrong (libevtx reads them unverified)
# and regressions/event_logs/strings-amplified.evtx: an SCM record between two others whose template names its one
# value in 256 Data elements, so libevtx gives it 256 strings of 6000 UTF-8 bytes (1.5 MiB from a 68 KiB file,
# more than the kept records may hold: libyal_log.hpp kKeptBytesBase).
#   tests/fuzz/make_seed_event_logs.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/corpus/event_logs"
regressions="$here/regressions/event_logs"
mkdir -p "$out" "$regressions"
python3 - "$here/../support" "$out" "$regressions" <<'PY'
import struct
import sys

sys.path.insert(0, sys.argv[1])
import evt_writer as evt  # noqa: E402
import evtx_writer as evtx  # noqa: E402

out = sys.argv[2]
SCM = "Service Control Manager"
T = 1086084000  # 2004-06-01T10:00:00Z
EVT_HEADER_FILE_SIZE = 32  # libyal EVT file header: file size (4 bytes) at offset 32
EVT_FLAG_WRAPPED = 0x2


def write(name, data):
    with open(out + "/" + name, "wb") as f:
        f.write(data)


def evt_cut(data, end):
    """The EVT file cut at `end`, its header's file size saying so."""
    cut = bytearray(data[:end])
    struct.pack_into("<I", cut, EVT_HEADER_FILE_SIZE, end)
    return bytes(cut)


def scm(number, written, event_id, strings):
    return evt.record(number, written, evt.SEVERITY_ERROR | event_id, SCM, strings)


# evt-scm.Evt
recs = [evt.record(1, T, 0x80001775, "EventLog", [], event_type=evt.INFORMATION),  # 6005, not SCM
        scm(2, T + 1, 7000, ["Microsoft Exchange POP3", "%%1083"]),
        scm(3, T + 2, 7009, ["30000", "Microsoft Exchange POP3"]),
        scm(4, T + 3, 7026, ["\nacmefilt\nCldFlt\n"]),
        evt.record(5, T + 4, 0x40001B7C, SCM, ["Print Spooler", "running"], event_type=evt.INFORMATION),  # 7036
        scm(6, T + 5, 7031, ["Print Spooler", "1", "60000", "Restart the service"]),
        scm(7, T + 6, 7000, ["Contoso Backup Agent", "%%2"])]
write("evt-scm.Evt", evt_cut(evt.log_file(recs), evt.HEADER_SIZE + sum(map(len, recs)) + evt.EOF_RECORD_SIZE))

# evt-recovered.Evt: libevt finds the older records in the free space after the end-of-file record.
recs = [scm(5, T, 7000, ["Microsoft Exchange POP3", "%%1083"]),
        scm(6, T + 1, 7023, ["Microsoft Exchange IMAP4", "%%1067"])]
old = scm(1, T - 100, 7034, ["Print Spooler", "2"]) + scm(2, T - 90, 7001, ["Acme Backup", "AcmeCore", "%%1075"])
data = bytearray(evt.log_file(recs, dirty=True))
end = evt.HEADER_SIZE + sum(map(len, recs)) + evt.EOF_RECORD_SIZE
data[end:end + len(old)] = old
write("evt-recovered.Evt", evt_cut(data, end + len(old)))

# evt-wrapped.Evt: the first record starts 0xb0 bytes before the end of the file; the rest follows the header.
stream = (scm(7, T, 7000, ["Microsoft Exchange POP3", "%%1083"]) + scm(8, T + 1, 7022, ["Microsoft Exchange IMAP4"])
          + scm(9, T + 2, 7011, ["30000", "Microsoft Exchange POP3"]))
size = evt.HEADER_SIZE + len(stream) + evt.EOF_RECORD_SIZE + 0x40
size += -size % 8
start = size - 0xB0
buf = bytearray(size)
pos = start


def put(chunk):
    global pos
    for byte in chunk:
        buf[pos] = byte
        pos = pos + 1 if pos + 1 < size else evt.HEADER_SIZE


put(stream)
eof_offset = pos
put(struct.pack("<IIIIIIIIII", evt.EOF_RECORD_SIZE, 0x11111111, 0x22222222, 0x33333333, 0x44444444, start,
                eof_offset, 10, 7, evt.EOF_RECORD_SIZE))
buf[:evt.HEADER_SIZE] = struct.pack("<I4sIIIIIIIIII", evt.HEADER_SIZE, evt.SIGNATURE, 1, 1, start, eof_offset, 10, 7,
                                    size, evt.FLAG_DIRTY | EVT_FLAG_WRAPPED, 0, evt.HEADER_SIZE)
write("evt-wrapped.Evt", bytes(buf))


def key(name):
    return name.encode("utf-16-le") + b"\0\0"


def info(written, event_id, params, binary):
    return dict(written=written, event_id=event_id, params=params, binary=binary,
                qualifiers=evtx.QUALIFIERS_INFORMATIONAL, level=evtx.INFORMATION)


# evtx-scm.evtx
events = [dict(written=T, event_id=6005, params=[], binary=b"\0" * 24, provider="EventLog", provider_guid=None,
               source_name=None, qualifiers=evtx.QUALIFIERS_WARNING, level=evtx.INFORMATION),
          dict(written=T + 1, event_id=7000, params=["Cloud Files Filter", "%%50"], binary=key("CldFlt")),
          dict(written=T + 2, event_id=7009, params=["30000", "Microsoft Exchange POP3"], binary=key("POP3Svc")),
          dict(written=T + 3, event_id=7026, params=["\nacmefilt\n"], binary=None),
          info(T + 4, 7036, ["Print Spooler", "running"], key("Spooler")),
          dict(written=T + 5, event_id=7023, params=["Print Spooler", "%%2147942402"], binary=key("Spooler")),
          dict(written=T + 6, event_id=7000, params=["Contoso Backup Agent", "%%2"], binary=None)]
write("evtx-scm.evtx", evtx.log_file(events))

# evtx-crc.evtx: dirty, and the chunk's event records checksum (at chunk offset 52) off by one; the header checksum
# (at 124) is made again over the changed header, so only the records' CRC-32 differs.
events = [dict(written=T, event_id=7000, params=["Microsoft Exchange POP3", "%%1083"], binary=key("POP3Svc")),
          dict(written=T + 1, event_id=7034, params=["Print Spooler", "2"], binary=key("Spooler"))]
data = bytearray(evtx.log_file(events, dirty=True))
chunk = evtx.FILE_HEADER_SIZE
struct.pack_into("<I", data, chunk + 52, (struct.unpack_from("<I", data, chunk + 52)[0] + 1) & 0xFFFFFFFF)
struct.pack_into("<I", data, chunk + 124,
                 evtx.crc32(bytes(data[chunk:chunk + 120]) + bytes(data[chunk + 128:chunk + evtx.CHUNK_HEADER_SIZE])))
write("evtx-crc.evtx", bytes(data))

# regressions/event_logs/strings-amplified.evtx
events = [dict(written=T, event_id=7000, params=["Microsoft Exchange POP3", "%%1083"], binary=key("POP3Svc")),
          dict(written=T + 1, event_id=7000, params=["\u754c" * 2000], binary=None, data_repeat=256),
          dict(written=T + 2, event_id=7034, params=["Print Spooler", "2"], binary=key("Spooler"))]
with open(sys.argv[3] + "/strings-amplified.evtx", "wb") as f:
    f.write(evtx.log_file(events))
PY
du -sh "$out" "$regressions"
