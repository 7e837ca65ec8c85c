# From the adversarial review of 2026-12-03 (appendix "regfgen.py"); used by tests/cli/hostile_bounds.py.
"""Minimal raw regf writer for crafted hives (one hive bin, one sk)."""
import struct

def lh_hash(name):
    h = 0
    for c in name.upper(): h = (h * 37 + ord(c)) & 0xFFFFFFFF
    return h

class Hive:
    def begin(self):
        self.data = bytearray(32); self.sk = None; self.nks = 0
    def alloc(self, payload):
        size = (len(payload) + 4 + 7) & ~7; off = len(self.data)
        self.data += struct.pack('<i', -size) + payload + b'\0' * (size - len(payload) - 4)
        return off
    def make_sk(self):
        sd = struct.pack('<BBHIIII', 1, 0, 0x8004, 0, 0, 0, 0); off = len(self.data)
        self.sk = self.alloc(b'sk' + struct.pack('<HIIII', 0, off, off, 1, len(sd)) + sd)
    def nk(self, name, subkeys=0, sublist=0xFFFFFFFF, nvalues=0, vlist=0xFFFFFFFF, root=False):
        nb = name.encode('latin-1'); self.nks += 1
        return self.alloc(b'nk' + struct.pack('<HQIIIIIIIIIIIIIIIHH', 0x20 | (0x2c if root else 0), 0x01C4478A5D3C8000, 0, 0,
                          subkeys, 0, sublist, 0xFFFFFFFF, nvalues, vlist, self.sk, 0xFFFFFFFF, 0x200, 0, 0x200, 0x10000, 0,
                          len(nb), 0) + nb)
    def set_nk(self, off, field, fmt, val):
        struct.pack_into(fmt, self.data, off + 4 + field, val)   # field 16 = parent
    def vk(self, name, type_, raw_size, data_off):
        nb = name.encode('latin-1')
        return self.alloc(b'vk' + struct.pack('<HIIIHH', len(nb), raw_size, data_off, type_, 1, 0) + nb)
    def vlist(self, offs):
        return self.alloc(b''.join(struct.pack('<I', o) for o in offs))
    def lh(self, entries):
        return self.alloc(b'lh' + struct.pack('<H', len(entries)) + b''.join(struct.pack('<II', o, lh_hash(n)) for o, n in entries))
    def finish(self, root, path):
        struct.pack_into('<I', self.data, self.sk + 16, self.nks)          # sk reference count
        end = len(self.data); size = (end + 8 + 4095) // 4096 * 4096
        self.data += struct.pack('<i', size - end) + b'\0' * (size - end - 4)
        self.data[0:32] = b'hbin' + struct.pack('<III', 0, size, 0) + b'\0' * 4 + struct.pack('<QI', 0, 0)
        bb = bytearray(4096)
        struct.pack_into('<4sIIQIIIIIII', bb, 0, b'regf', 1, 1, 0x01C4478A5D3C8000, 1, 5, 0, 1, root, size, 1)
        x = 0
        for i in range(0, 508, 4): x ^= struct.unpack_from('<I', bb, i)[0]
        struct.pack_into('<I', bb, 508, x)
        open(path, 'wb').write(bb + self.data)
