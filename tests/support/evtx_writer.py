"""A small writer of Windows XML Event Log (EVTX) files, the format of Vista and later's System.evtx.

From libyal's "Windows XML Event Log (EVTX) format" (libevtx documentation) and MS-EVEN6's binary XML: a
4096-byte file header ("ElfFile"), 64 KiB chunks ("ElfChnk", a 512-byte header, then event records), each
record ("**\\0\\0", size, record identifier, FILETIME written, binary XML, copy of the size). Every integer is
little-endian; both CRC-32s are zlib's.

The binary XML is laid out as Windows lays out a Service Control Manager record (compared with real ones in
../shared/events-real): a fragment holding a template instance whose template is the <Event><System>...
skeleton, with the varying System fields (Level, EventID and its Qualifiers, TimeCreated, EventRecordID, ...)
as optional substitutions, and EventData as one last substitution of type binary XML, itself a fragment with
a template instance (<EventData><Data Name="param1">%1</Data>...<Binary>%n</Binary></EventData>). The
substitutions matter: libevtx counts a Data or Binary element among a record's strings only when its value
came from a substitution (plain text would leave the record with no strings). Simplifications: every element
and attribute name, and every template definition, is written inline where it is used (a chunk's common
string and template offset tables stay zero), and each record carries its own templates.
Read back by libevtx (hivelint, evtxexport) and python3-evtx in tests/scripts/events_evtx_built.sh.
"""
import struct
import uuid
import zlib

FILE_HEADER_SIZE = 4096
CHUNK_SIZE = 0x10000
CHUNK_HEADER_SIZE = 512
RECORD_HEADER_SIZE = 24
FLAG_DIRTY = 0x1
# Levels as in System/Level
ERROR, WARNING, INFORMATION = 2, 3, 4
# Qualifiers: the high 16 bits of the message file's identifier (severity error 0xC000, ...)
QUALIFIERS_ERROR, QUALIFIERS_WARNING, QUALIFIERS_INFORMATIONAL = 0xC000, 0x8000, 0x4000

# Tokens (libyal "Token types")
T_EOF, T_OPEN, T_CLOSE_START, T_CLOSE_EMPTY, T_END = 0x00, 0x01, 0x02, 0x03, 0x04
T_VALUE, T_ATTRIBUTE, T_TEMPLATE_INSTANCE = 0x05, 0x06, 0x0C
T_NORMAL_SUB, T_OPTIONAL_SUB, T_FRAGMENT = 0x0D, 0x0E, 0x0F
MORE = 0x40  # "has more data" / "has attributes" flag on a token
# Value types (libyal "Value types")
V_NULL, V_STRING, V_UINT8, V_UINT16, V_UINT32, V_UINT64 = 0x00, 0x01, 0x04, 0x06, 0x08, 0x0A
V_BINARY, V_GUID, V_FILETIME, V_SID, V_HEX64, V_BINXML = 0x0E, 0x0F, 0x11, 0x13, 0x15, 0x21

EVENT_NS = "http://schemas.microsoft.com/win/2004/08/events/event"
SCM = "Service Control Manager"
SCM_GUID = "{555908d1-a6d7-4695-8e1e-26931d2012f4}"
# Template identifiers: any fixed GUIDs (Windows derives its own); one per template shape.
SYSTEM_TEMPLATE = uuid.UUID("6e5d2c1a-0b7f-4c3e-9a41-5f0e8d1c2b3a")


def crc32(data):
    return zlib.crc32(data) & 0xFFFFFFFF


def name_hash(text):
    """MS-EVEN6 BinXmlName hash: h = h * 65599 + unit over the UTF-16 units, its low 16 bits."""
    h = 0
    for unit in struct.unpack("<%dH" % len(text), text.encode("utf-16-le")):
        h = (h * 65599 + unit) & 0xFFFFFFFF
    return h & 0xFFFF


def filetime(posix_seconds):
    return (posix_seconds + 11644473600) * 10_000_000


class Binxml:
    """Binary XML being written at chunk offset `base` (names and templates point at chunk offsets)."""

    def __init__(self, base):
        self.base = base
        self.buf = bytearray()

    def pos(self):
        return self.base + len(self.buf)

    def put(self, data):
        self.buf += data

    def name(self):
        """Reserves a name offset pointing just past itself: the name follows inline."""
        return struct.pack("<I", self.pos() + 4)

    def name_struct(self, text):
        # unknown (the next name in the chunk's hash chain: none), hash, characters, UTF-16 + end of string
        return struct.pack("<IHH", 0, name_hash(text), len(text)) + text.encode("utf-16-le") + b"\0\0"

    def element(self, tag, attributes=(), content=None):
        """<tag attributes>content</tag>; attributes are (name, writer), content a list of writers or None
        (an empty element). A writer is a function of this Binxml that writes a value or child."""
        start = len(self.buf)
        self.put(bytes([T_OPEN | (MORE if attributes else 0)]) + b"\xff\xff" + b"\0\0\0\0")  # size below
        self.put(self.name())
        self.put(self.name_struct(tag))
        if attributes:
            list_start = len(self.buf)
            self.put(b"\0\0\0\0")
            for i, (attr, write) in enumerate(attributes):
                last = i == len(attributes) - 1
                self.put(bytes([T_ATTRIBUTE | (0 if last else MORE)]))
                self.put(self.name())
                self.put(self.name_struct(attr))
                write(self)
            struct.pack_into("<I", self.buf, list_start, len(self.buf) - list_start - 4)
        if content is None:
            self.put(bytes([T_CLOSE_EMPTY]))
        else:
            self.put(bytes([T_CLOSE_START]))
            for write in content:
                write(self)
            self.put(bytes([T_END]))
        # data size: everything after the token, the dependency identifier and the size itself
        struct.pack_into("<I", self.buf, start + 3, len(self.buf) - start - 7)


def text(value):
    """A value text: literal UTF-16 in the template."""
    return lambda b: b.put(bytes([T_VALUE, V_STRING]) + struct.pack("<H", len(value)) + value.encode("utf-16-le"))


def sub(index, value_type, optional=True):
    """A substitution: the template instance's value `index`, of `value_type`."""
    token = T_OPTIONAL_SUB if optional else T_NORMAL_SUB
    return lambda b: b.put(struct.pack("<BHB", token, index, value_type))


def el(tag, attributes=(), content=None):
    return lambda b: b.element(tag, attributes, content)


def template_instance(b, guid, skeleton, values):
    """A template instance at b.pos(): its definition (written inline) and its values, each (type, bytes).
    `values` may hold a callable for the last value: it is given the chunk offset where that value lands and
    returns its bytes (a nested binary XML fragment points at chunk offsets too)."""
    b.put(bytes([T_TEMPLATE_INSTANCE, 0x01]) + guid.bytes_le[:4])
    b.put(struct.pack("<I", b.pos() + 4))  # the definition follows inline
    size_at = len(b.buf) + 4 + 16
    b.put(struct.pack("<I", 0) + guid.bytes_le + b"\0\0\0\0")  # next definition: none; GUID; size below
    definition_start = len(b.buf)
    b.put(bytes([T_FRAGMENT, 1, 1, 0]))
    skeleton(b)
    b.put(bytes([T_EOF]))
    struct.pack_into("<I", b.buf, size_at, len(b.buf) - definition_start)
    b.put(struct.pack("<I", len(values)))
    fixed = [v for v in values if not callable(v[1])]
    late = [v for v in values if callable(v[1])]
    assert not late or values[-1] is late[0], "only the last value may be built late"
    data_at = b.pos() + 4 * len(values) + sum(len(v) for _, v in fixed)
    if late:
        late_type, build = late[0]
        values = fixed + [(late_type, build(data_at))]
    for value_type, data in values:
        b.put(struct.pack("<HBB", len(data), value_type, 0))
    for _, data in values:
        b.put(data)


def u8(v):
    return struct.pack("<B", v)


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def u64(v):
    return struct.pack("<Q", v)


def system_skeleton(provider, guid, source_name, channel, computer):
    """<Event><System>...</System>%19</Event>, the System template of classic (eventlog) providers."""
    provider_attributes = [("Name", text(provider))]
    if guid:
        provider_attributes.append(("Guid", text(guid)))
    if source_name:
        provider_attributes.append(("EventSourceName", text(source_name)))

    def skeleton(b):
        b.element("Event", [("xmlns", text(EVENT_NS))], [
            el("System", (), [
                el("Provider", provider_attributes),
                el("EventID", [("Qualifiers", sub(4, V_UINT16))], [sub(3, V_UINT16)]),
                el("Version", (), [sub(11, V_UINT8)]),
                el("Level", (), [sub(0, V_UINT8)]),
                el("Task", (), [sub(2, V_UINT16)]),
                el("Opcode", (), [sub(1, V_UINT8)]),
                el("Keywords", (), [sub(5, V_HEX64)]),
                el("TimeCreated", [("SystemTime", sub(6, V_FILETIME))]),
                el("EventRecordID", (), [sub(10, V_UINT64)]),
                el("Correlation", [("ActivityID", sub(7, V_GUID)), ("RelatedActivityID", sub(13, V_GUID))]),
                el("Execution", [("ProcessID", sub(8, V_UINT32)), ("ThreadID", sub(9, V_UINT32))]),
                el("Channel", (), [text(channel)]),
                el("Computer", (), [text(computer)]),
                el("Security", [("UserID", sub(12, V_SID))]),
            ]),
            sub(14, V_BINXML),
        ])
    return skeleton


def event_data_fragment(base, params, binary, data_repeat=1):
    """<EventData><Data Name="param1">%0</Data>...<Binary>%n+1</Binary></EventData> as a fragment at `base`,
    values: the params (UTF-16, no end of string), the binary data's size (UInt32) and the binary data.
    `data_repeat` > 1 writes each Data element that many times, all naming the same value (hostile: libevtx gives
    each copy as a string of its own)."""
    b = Binxml(base)
    b.put(bytes([T_FRAGMENT, 1, 1, 0]))
    n = len(params)
    children = [el("Data", [("Name", text("param%d" % (i + 1)))], [sub(i, V_STRING, optional=False)])
                for i in range(n) for _ in range(data_repeat)]
    values = [(V_STRING, p.encode("utf-16-le")) for p in params]
    if binary is not None:
        children.append(el("Binary", (), [sub(n + 1, V_BINARY, optional=False)]))
        values += [(V_UINT32, u32(len(binary))), (V_BINARY, binary)]
    # One template per shape (number of params, with or without Binary): a GUID derived from the shape.
    shape = "EventData/%d/%s" % (n, binary is not None) + ("/x%d" % data_repeat if data_repeat > 1 else "")
    guid = uuid.uuid5(SYSTEM_TEMPLATE, shape)
    template_instance(b, guid, lambda t: t.element("EventData", (), children), values)
    b.put(bytes([T_EOF]))
    return bytes(b.buf)


def record(record_id, written, event_id, params, binary=None, provider=SCM, provider_guid=SCM_GUID,
           source_name=SCM, qualifiers=QUALIFIERS_ERROR, level=ERROR, keywords=0x8080000000000000,
           computer="EXCH01", process_id=620, thread_id=1132, base=CHUNK_HEADER_SIZE, data_repeat=1):
    """One event record for chunk offset `base`; `written` is POSIX seconds (UTC), also TimeCreated;
    `event_id` the 16-bit EventID, `params` the EventData Data strings, `binary` its Binary bytes (None: no
    Binary element), `data_repeat` as in event_data_fragment. Padded to 8 bytes as Windows pads them."""
    b = Binxml(base + RECORD_HEADER_SIZE)
    b.put(bytes([T_FRAGMENT, 1, 1, 0]))
    ft = filetime(written)
    null = (V_NULL, b"")
    values = [
        (V_UINT8, u8(level)), (V_UINT8, u8(0)), (V_UINT16, u16(0)),            # 0 Level, 1 Opcode, 2 Task
        (V_UINT16, u16(event_id)), (V_UINT16, u16(qualifiers)),                 # 3 EventID, 4 Qualifiers
        (V_HEX64, u64(keywords)), (V_FILETIME, u64(ft)), null,                  # 5 Keywords, 6 time, 7 ActivityID
        (V_UINT32, u32(process_id)), (V_UINT32, u32(thread_id)),                # 8, 9 Execution
        (V_UINT64, u64(record_id)), (V_UINT8, u8(0)), null, null,               # 10 EventRecordID, 11 Version, 12 UserID, 13
        (V_BINXML, lambda at: event_data_fragment(at, params, binary, data_repeat)),  # 14 EventData
    ]
    template_instance(b, SYSTEM_TEMPLATE, system_skeleton(provider, provider_guid, source_name, "System", computer),
                      values)
    b.put(bytes([T_EOF]))
    body = bytes(b.buf)
    size = RECORD_HEADER_SIZE + len(body) + 4
    pad = -size % 8
    size += pad
    return struct.pack("<4sIQQ", b"**\0\0", size, record_id, ft) + body + b"\0" * pad + struct.pack("<I", size)


def chunk(records, first_number, first_id):
    """A 64 KiB chunk from records made (by `record(..., base=...)`) for their offsets in it, in order."""
    data = bytearray(CHUNK_SIZE)
    offset = CHUNK_HEADER_SIZE
    last_offset = offset
    for rec in records:
        last_offset = offset
        data[offset:offset + len(rec)] = rec
        offset += len(rec)
    assert offset <= CHUNK_SIZE, "records overflow the chunk"
    free = offset
    n = len(records)
    struct.pack_into("<8sQQQQIIII", data, 0, b"ElfChnk\0", first_number, first_number + n - 1, first_id,
                     first_id + n - 1, 128, last_offset, free, crc32(bytes(data[CHUNK_HEADER_SIZE:free])))
    struct.pack_into("<I", data, 124, crc32(bytes(data[:120]) + bytes(data[128:CHUNK_HEADER_SIZE])))
    return bytes(data)


def log_file(events, dirty=False, first_id=1):
    """The whole file from `events`, each a dict of record()'s keyword arguments without record_id and base:
    records numbered from `first_id`, as many per chunk as fit."""
    chunks = []
    pending = []
    offset = CHUNK_HEADER_SIZE
    next_id = first_id
    chunk_first = first_id
    for ev in events:
        rec = record(next_id, base=offset, **ev)
        if offset + len(rec) > CHUNK_SIZE:
            chunks.append(chunk(pending, chunk_first, chunk_first))
            pending, offset, chunk_first = [], CHUNK_HEADER_SIZE, next_id
            rec = record(next_id, base=offset, **ev)
        pending.append(rec)
        offset += len(rec)
        next_id += 1
    if pending:
        chunks.append(chunk(pending, chunk_first, chunk_first))
    header = bytearray(FILE_HEADER_SIZE)
    struct.pack_into("<8sQQQIHHHH", header, 0, b"ElfFile\0", 0, len(chunks) - 1, next_id, 128, 1, 3,
                     FILE_HEADER_SIZE, len(chunks))
    struct.pack_into("<I", header, 120, FLAG_DIRTY if dirty else 0)
    struct.pack_into("<I", header, 124, crc32(bytes(header[:120])))
    return bytes(header) + b"".join(chunks)
