"""A small writer of Windows Event Log (EVT) files, the format of Windows 2000/XP/2003's SysEvent.Evt.

From libyal's "Windows Event Log (EVT) format" (libevt documentation): a 48-byte file header, event records
one after another, and an end-of-file record; every size is little-endian. Enough for tests and samples:
records with a source, a computer name, insertion strings and optional data, no user SID. A log can be
written clean or marked dirty (as a copy taken from a running server is). Read back by libevt (hivelint,
evtexport) in tests/scripts/events_built.sh.
"""
import struct

HEADER_SIZE = 0x30
EOF_RECORD_SIZE = 0x28
SIGNATURE = b"LfLe"
FLAG_DIRTY = 0x1
# Event types (EVENTLOG_*_TYPE)
ERROR, WARNING, INFORMATION = 1, 2, 4
# The severity bits Windows' message files give the identifiers: error 0xC..., informational 0x4...
SEVERITY_ERROR = 0xC0000000
SEVERITY_INFORMATIONAL = 0x40000000


def utf16z(text):
    return text.encode("utf-16-le") + b"\0\0"


def record(number, written, event_id, source, strings, computer="EXCH01", event_type=ERROR, data=b"", category=0):
    """One event record; `written` is POSIX seconds (UTC), `event_id` the full 32-bit identifier."""
    names = utf16z(source) + utf16z(computer)
    names += b"\0" * (-(56 + len(names)) % 4)  # the user SID / strings start 4-byte aligned
    strings_offset = 56 + len(names)
    strings_blob = b"".join(utf16z(s) for s in strings)
    data_offset = strings_offset + len(strings_blob)
    body = names + strings_blob + data
    body += b"\0" * (-(56 + len(body) + 4) % 4)
    size = 56 + len(body) + 4
    head = struct.pack(
        "<I4sIIIIHHHHIIIIII",
        size, SIGNATURE, number, written, written, event_id, event_type, len(strings), category, 0,
        0,  # closing record number
        strings_offset,
        0, 0,  # user SID size, offset
        len(data), data_offset,
    )
    assert len(head) == 56
    return head + body + struct.pack("<I", size)


def log_file(records, dirty=False, minimum_size=0x10000):
    """The whole file: header, the records (numbered as given), the end-of-file record, zero padding."""
    first_number = 1
    next_number = first_number + len(records)
    body = b"".join(records)
    eof_offset = HEADER_SIZE + len(body)
    size = max(minimum_size, eof_offset + EOF_RECORD_SIZE)
    size += -size % 0x10000
    flags = FLAG_DIRTY if dirty else 0
    header = struct.pack("<I4sIIIIIIIIII", HEADER_SIZE, SIGNATURE, 1, 1, HEADER_SIZE, eof_offset, next_number,
                         first_number, size, flags, 0, HEADER_SIZE)
    eof = struct.pack("<IIIIIIIIII", EOF_RECORD_SIZE, 0x11111111, 0x22222222, 0x33333333, 0x44444444,
                      HEADER_SIZE, eof_offset, next_number, first_number, EOF_RECORD_SIZE)
    out = header + body + eof
    return out + b"\0" * (size - len(out))
