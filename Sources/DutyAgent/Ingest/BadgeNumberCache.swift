/// The badge numbers one file has already given, by their digits: a punch of a known badge finds
/// its index in the `PunchTable` without a `String` being made and hashed for it (a year's file is
/// 3 million punches of a few thousand badges; hashing each badge's string was 9% of `check`).
///
/// A badge of 1 to 17 ASCII digits is keyed by its value and its length (`value << 5 | length`:
/// "007" and "07" stay apart); any other badge is not cached and goes the usual way. Open
/// addressing with a multiplicative hash over a power-of-two table kept at most a quarter full; a
/// key whose probe runs past `maxProbes` is not cached (it goes the usual way each time), so
/// crafted badge numbers that collide cost no more than the uncached path.
struct BadgeNumberCache {
    /// 0 marks an empty slot: a real key has its length, at least 1, in the low bits.
    private var keys = [Int](repeating: 0, count: 1 << 10)
    private var indices = [Int32](repeating: 0, count: 1 << 10)
    private var shift = 64 - 10
    private var count = 0
    private static let maxProbes = 32

    /// The key of the digits `b[start..<end]`, or nil when they are not 1 to 17 ASCII digits.
    @inline(__always)
    static func key(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        let length = end - start
        guard length >= 1 && length <= 17 else { return nil }
        var value = 0
        for i in start..<end {
            let digit = b[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value << 5 | length
    }

    /// The table index cached for `key`, if any.
    @inline(__always)
    func index(of key: Int) -> Int32? {
        var slot = slot(of: key)
        for _ in 0..<Self.maxProbes {
            if keys[slot] == key { return indices[slot] }
            if keys[slot] == 0 { return nil }
            slot = (slot + 1) & (keys.count - 1)
        }
        return nil
    }

    /// Remembers `index` for `key` (a key not cached yet).
    mutating func insert(_ key: Int, index: Int32) {
        if (count + 1) * 4 > keys.count { grow() }
        var slot = slot(of: key)
        for _ in 0..<Self.maxProbes {
            if keys[slot] == 0 {
                keys[slot] = key
                indices[slot] = index
                count += 1
                return
            }
            slot = (slot + 1) & (keys.count - 1)
        }
    }

    @inline(__always)
    private func slot(of key: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    private mutating func grow() {
        let old = zip(keys, indices).filter { $0.0 != 0 }
        keys = [Int](repeating: 0, count: keys.count * 2)
        indices = [Int32](repeating: 0, count: keys.count)
        shift -= 1
        count = 0
        for (key, index) in old { insert(key, index: index) }
    }
}
