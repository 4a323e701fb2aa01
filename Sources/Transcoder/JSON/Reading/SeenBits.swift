/// The parser's stack of seen-field and seen-oneof bits: one frame of words per open object,
/// innermost last, in raw memory (no uniqueness check or range replacement per object, as an
/// `Array` would do). Free it with ``release()``.
struct SeenBits {
    private var words: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    /// Words in use by the open frames.
    private(set) var count = 0

    init(capacity: Int = 32) {
        self.capacity = capacity
        words = .allocate(capacity: capacity)
    }

    mutating func release() {
        words.deallocate()
        capacity = 0
        count = 0
    }

    /// Opens a frame of `frameWords` zeroed words; returns the index of its first word.
    @inline(__always)
    mutating func push(_ frameWords: Int) -> Int {
        let base = count
        if capacity - count < frameWords { grow(frameWords) }
        (words + base).initialize(repeating: 0, count: frameWords)
        count += frameWords
        return base
    }

    /// Closes the innermost frame, of `frameWords` words.
    @inline(__always)
    mutating func pop(_ frameWords: Int) {
        count -= frameWords
    }

    @inline(never)
    private mutating func grow(_ extra: Int) {
        let newCapacity = max(capacity * 2, count + extra)
        let newWords = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        newWords.update(from: words, count: count)
        words.deallocate()
        words = newWords
        capacity = newCapacity
    }

    /// Sets bit `bit` of word `word`; returns false when it was already set.
    @inline(__always)
    mutating func insert(word: Int, bit: Int) -> Bool {
        let mask: UInt64 = 1 &<< UInt64(bit)
        if words[word] & mask != 0 { return false }
        words[word] |= mask
        return true
    }
}
