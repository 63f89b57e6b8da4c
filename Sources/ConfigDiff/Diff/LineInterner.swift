import Foundation

/// Maps byte strings (lines, statement texts) to dense `Int32` ids so that the diff algorithms
/// compare integers, never `String`s or `Character`s.
///
/// Equal byte strings get equal ids; ids are dense (`0..<count`). The table is an open-addressing
/// hash table over a byte arena, hashed 8 bytes at a time; equality is checked with `memcmp`, so a
/// hash collision never merges two different lines.
struct LineInterner {
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt64] = []
    private var table: [Int32]
    private var mask: Int

    /// Creates an interner sized for about `expected` distinct strings.
    init(expected: Int = 1024) {
        var size = 16
        while size < expected * 2 { size <<= 1 }
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
        arena.reserveCapacity(expected * 24)
    }

    /// The number of distinct strings seen.
    var count: Int { starts.count }

    /// The 64-bit hash of the string with this id.
    func hash(of id: Int32) -> UInt64 { hashes[Int(id)] }

    /// The id of `text`'s UTF-8 bytes.
    mutating func intern(_ text: String) -> Int32 {
        var copy = text
        return copy.withUTF8 { intern($0) }
    }

    /// The id of a byte string.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = table[slot]
            if id < 0 { break }
            let index = Int(id)
            if hashes[index] == hash && lengths[index] == bytes.count && equalsArena(index, bytes) {
                return id
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(starts.count)
        starts.append(arena.count)
        lengths.append(bytes.count)
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        table[slot] = id
        if starts.count * 2 > table.count { grow() }
        return id
    }

    private func equalsArena(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = bytes.count
        if length == 0 { return true }
        guard let base = bytes.baseAddress else { return false }
        let start = starts[index]
        return arena.withUnsafeBufferPointer { stored in
            guard let storedBase = stored.baseAddress else { return false }
            return memcmp(storedBase + start, base, length) == 0
        }
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

    /// A fast 64-bit hash of a byte string (8 bytes per step, multiply-xorshift mixing).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        let count = bytes.count
        while offset + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(raw.load(fromByteOffset: offset, as: UInt8.self)) << shift
            shift += 8
            offset += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return h
    }
}
