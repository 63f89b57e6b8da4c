import Foundation

/// Node texts made from byte ranges of one buffer, with equal byte strings sharing one `String`.
///
/// Configurations repeat most of their statements (` switchport mode access`, ` no shutdown`
/// under every interface): the first occurrence becomes a `String`, later ones take a reference
/// to it instead of allocating and validating a copy. Texts short enough to be stored inline in
/// a `String` (15 bytes or fewer) are made directly, without the table. Equal strings either way,
/// so nothing that reads the texts can tell.
///
/// Entries remember where their first occurrence is in `buffer`, and equality is checked with
/// `memcmp` on the bytes, so a hash collision never shares a string between different texts.
/// The buffer must not change while the cache is in use.
struct NodeTextCache {
    private let buffer: UnsafeBufferPointer<UInt8>
    private var strings: [String] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt64] = []
    private var table: [Int32]
    private var mask: Int

    /// A cache for ranges of `buffer`, sized for about `expected` distinct texts.
    init(buffer: UnsafeBufferPointer<UInt8>, expected: Int) {
        self.buffer = buffer
        var size = 64
        while size < expected * 2 { size <<= 1 }
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// The text of the bytes `start..<end` of the buffer.
    @inline(__always)
    mutating func text(_ start: Int, _ end: Int) -> String {
        let bytes = UnsafeBufferPointer(rebasing: buffer[start..<end])
        if end - start <= 15 { return String(decoding: bytes, as: UTF8.self) }
        return shared(bytes, start)
    }

    private mutating func shared(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> String {
        let hash = Self.hash(bytes)
        let length = bytes.count
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = table[slot]
            if id < 0 { break }
            let index = Int(id)
            if hashes[index] == hash && lengths[index] == length,
                let base = buffer.baseAddress, let other = bytes.baseAddress,
                memcmp(base + starts[index], other, length) == 0
            {
                return strings[index]
            }
            slot = (slot + 1) & mask
        }
        let string = String(decoding: bytes, as: UTF8.self)
        table[slot] = Int32(strings.count)
        strings.append(string)
        starts.append(start)
        lengths.append(length)
        hashes.append(hash)
        if strings.count * 2 > table.count { grow() }
        return string
    }

    /// A 64-bit hash of 16 bytes or more: 8 bytes per step, the last step an overlapping load
    /// of the final 8 bytes (no byte-by-byte tail).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
        guard let base = bytes.baseAddress, count >= 8 else { return h }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            offset += 8
        }
        if offset < count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    private mutating func grow() {
        let size = table.count * 2
        var newTable = [Int32](repeating: -1, count: size)
        let newMask = size - 1
        for id in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & newMask
            while newTable[slot] >= 0 { slot = (slot + 1) & newMask }
            newTable[slot] = Int32(id)
        }
        table = newTable
        mask = newMask
    }
}
