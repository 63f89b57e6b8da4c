import Foundation

/// Node texts made from byte ranges of one buffer, with equal byte strings sharing one `String`.
///
/// Configurations repeat most of their statements (` switchport mode access`, ` no shutdown`
/// under every interface): the first occurrence becomes a `String`, later ones take a reference
/// to it instead of allocating and validating a copy. Texts short enough to be stored inline in
/// a `String` (15 bytes or fewer) are made directly, without the table. Equal strings either way,
/// so nothing that reads the texts can tell.
///
/// Equality is checked with `memcmp` against the stored string's bytes, so a hash collision
/// never shares a string between different texts; a text whose slot holds another text is made
/// anew and takes the slot. The buffer must not change while the cache is in use.
struct NodeTextCache {
    private let buffer: UnsafeBufferPointer<UInt8>
    /// Direct-mapped by hash: the last text seen in each slot and its hash. Small enough to stay
    /// in the first-level cache: a configuration's repeated statements come from a handful of
    /// templates (interfaces, VLANs), so a few slots hold them all, while a large hash table of
    /// every distinct text costs a cache miss per line.
    private var strings: [String]
    private var hashes: [UInt64]
    private static let slots = 1024

    /// A cache for ranges of `buffer`.
    init(buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
        strings = [String](repeating: "", count: Self.slots)
        hashes = [UInt64](repeating: 0, count: Self.slots)
    }

    /// The text of the bytes `start..<end` of the buffer.
    @inline(__always)
    mutating func text(_ start: Int, _ end: Int) -> String {
        let bytes = UnsafeBufferPointer(rebasing: buffer[start..<end])
        if end - start <= 15 { return String(decoding: bytes, as: UTF8.self) }
        return shared(bytes)
    }

    private mutating func shared(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let hash = Self.hash(bytes)
        let slot = Int(truncatingIfNeeded: hash >> 20) & (Self.slots - 1)
        if hashes[slot] == hash && Self.equal(strings[slot], bytes) { return strings[slot] }
        let string = String(decoding: bytes, as: UTF8.self)
        strings[slot] = string
        hashes[slot] = hash
        return string
    }

    @inline(__always)
    private static func equal(_ string: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let utf8 = string.utf8
        guard utf8.count == bytes.count, let base = bytes.baseAddress else { return false }
        return utf8.withContiguousStorageIfAvailable { stored in
            guard let storedBase = stored.baseAddress else { return false }
            return memcmp(storedBase, base, bytes.count) == 0
        } ?? utf8.elementsEqual(bytes)
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
}
