// The BPE merge loop for one pre-tokenized piece, and the cache of pieces already merged.
import Foundation

/// Reusable buffers for merging, so short pieces allocate nothing.
struct BPEScratch {
    var symbols: [Int32] = []   // (n) current token ids
    var pairs: [UInt64] = []    // (n - 1) rank << 32 | merged id of (symbols[i], symbols[i+1]); .max when none
}

/// Ids of pieces seen before, shared by all callers (guarded by a lock; cleared when full).
/// Keys are raw bytes, never `String`: String equality is canonical equivalence, which would
/// mix up pieces such as U+2000 and U+2002, or "é" and "e\u{301}".
final class PieceCache: @unchecked Sendable {
    private let lock = NSLock()
    private var short: [ShortPieceKey: [Int32]] = [:]
    private var long: [[UInt8]: [Int32]] = [:]
    private let capacity = 1 << 17

    func lookup(_ piece: UnsafeBufferPointer<UInt8>) -> [Int32]? {
        if let key = ShortPieceKey(piece) {
            lock.lock(); defer { lock.unlock() }
            return short[key]
        }
        let key = Array(piece)
        lock.lock(); defer { lock.unlock() }
        return long[key]
    }

    func store(_ piece: UnsafeBufferPointer<UInt8>, _ ids: [Int32]) {
        let key = ShortPieceKey(piece)
        let longKey = key == nil ? Array(piece) : nil
        lock.lock(); defer { lock.unlock() }
        if short.count + long.count >= capacity {
            short.removeAll(keepingCapacity: true)
            long.removeAll(keepingCapacity: true)
        }
        if let key { short[key] = ids } else if let longKey { long[longKey] = ids }
    }
}

/// Up to 15 bytes packed with their length into two words: hashing without allocation.
struct ShortPieceKey: Hashable {
    var low: UInt64
    var high: UInt64  // bytes 8..<15, and the length in the top byte

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count < 16 else { return nil }
        low = 0
        high = UInt64(bytes.count) << 56
        for (index, byte) in bytes.enumerated() {
            if index < 8 { low |= UInt64(byte) << (8 * index) } else { high |= UInt64(byte) << (8 * (index - 8)) }
        }
    }
}

extension BPETokenizer {
    /// Longest piece (in bytes) merged by repeated linear scans; longer ones use a heap.
    static let linearScanLimit = 48
    /// Longer pieces (rare: long runs without spaces) are not cached, bounding the cache's memory.
    static let longestCachedPiece = 256

    /// The token ids of one piece of UTF-8 text (raw bytes, not yet in the byte-level alphabet).
    func tokenIDs(ofPiece piece: UnsafeBufferPointer<UInt8>, scratch: inout BPEScratch) -> [Int32] {
        if piece.count == 1 {
            let id = byteTokenIDs[Int(piece[0])]
            return id == Self.missingByte ? [] : [id]
        }
        if let cached = pieceCache.lookup(piece) { return cached }
        var ids = piece.count <= Self.linearScanLimit
            ? mergeByScanning(piece, scratch: &scratch) : mergeWithHeap(piece)
        if ids.contains(Self.missingByte) { ids.removeAll { $0 == Self.missingByte } }
        if piece.count <= Self.longestCachedPiece { pieceCache.store(piece, ids) }
        return ids
    }

    @inline(__always)
    func mergeValue(_ left: Int32, _ right: Int32) -> UInt64 {
        merges[UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))] ?? .max
    }

    /// Repeatedly merges the lowest-rank adjacent pair (leftmost on ties). O(n²), fast for short n.
    private func mergeByScanning(_ piece: UnsafeBufferPointer<UInt8>, scratch: inout BPEScratch) -> [Int32] {
        scratch.symbols.removeAll(keepingCapacity: true)
        scratch.pairs.removeAll(keepingCapacity: true)
        for byte in piece { scratch.symbols.append(byteTokenIDs[Int(byte)]) }
        for index in 0..<(scratch.symbols.count - 1) {
            scratch.pairs.append(mergeValue(scratch.symbols[index], scratch.symbols[index + 1]))
        }
        while !scratch.pairs.isEmpty {
            var best = UInt64.max
            var bestIndex = -1
            for index in scratch.pairs.indices where scratch.pairs[index] < best {
                best = scratch.pairs[index]
                bestIndex = index
            }
            if bestIndex < 0 { break }
            // (left, right) at bestIndex becomes the merged token.
            scratch.symbols[bestIndex] = Int32(truncatingIfNeeded: best & 0xFFFF_FFFF)
            scratch.symbols.remove(at: bestIndex + 1)
            scratch.pairs.remove(at: bestIndex)
            if bestIndex > 0 {
                scratch.pairs[bestIndex - 1] = mergeValue(scratch.symbols[bestIndex - 1], scratch.symbols[bestIndex])
            }
            if bestIndex < scratch.pairs.count {
                scratch.pairs[bestIndex] = mergeValue(scratch.symbols[bestIndex], scratch.symbols[bestIndex + 1])
            }
        }
        return scratch.symbols
    }

    /// The same merges with a linked list and a min-heap of candidate pairs: O(n log n), for long
    /// pieces (e.g. a megabyte without spaces) where scanning would be quadratic.
    private func mergeWithHeap(_ piece: UnsafeBufferPointer<UInt8>) -> [Int32] {
        let count = piece.count
        var symbols = piece.map { byteTokenIDs[Int($0)] }  // (n) id at each original position
        var next = Array(1...count)                        // (n) next live position; count = none
        var previous = Array(-1..<(count - 1))              // (n) previous live position; -1 = none
        var alive = [Bool](repeating: true, count: count)
        var heap = PairHeap()
        for index in 0..<(count - 1) {
            let value = mergeValue(symbols[index], symbols[index + 1])
            if value != .max { heap.push(rank: value >> 32, position: index) }
        }
        while let (rank, left) = heap.pop() {
            guard alive[left] else { continue }
            let right = next[left]
            guard right < count else { continue }
            // Stale entry: the pair at this position changed since it was pushed.
            let value = mergeValue(symbols[left], symbols[right])
            guard value != .max, value >> 32 == rank else { continue }
            symbols[left] = Int32(truncatingIfNeeded: value & 0xFFFF_FFFF)
            alive[right] = false
            next[left] = next[right]
            if next[right] < count { previous[next[right]] = left }
            let before = previous[left]
            if before >= 0 {
                let candidate = mergeValue(symbols[before], symbols[left])
                if candidate != .max { heap.push(rank: candidate >> 32, position: before) }
            }
            if next[left] < count {
                let candidate = mergeValue(symbols[left], symbols[next[left]])
                if candidate != .max { heap.push(rank: candidate >> 32, position: left) }
            }
        }
        var ids: [Int32] = []
        var position = 0
        while position < count {
            ids.append(symbols[position])
            position = next[position]
        }
        return ids
    }
}

/// A binary min-heap of (rank, position): lowest rank first, leftmost position on ties.
struct PairHeap {
    private var keys: [UInt64] = []  // rank << 32 | position

    mutating func push(rank: UInt64, position: Int) {
        keys.append(rank << 32 | UInt64(position))
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if keys[parent] <= keys[child] { break }
            keys.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> (rank: UInt64, position: Int)? {
        guard let top = keys.first else { return nil }
        let last = keys.removeLast()
        if !keys.isEmpty {
            keys[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                if left >= keys.count { break }
                let right = left + 1
                let smaller = right < keys.count && keys[right] < keys[left] ? right : left
                if keys[parent] <= keys[smaller] { break }
                keys.swapAt(parent, smaller)
                parent = smaller
            }
        }
        return (top >> 32, Int(top & 0xFFFF_FFFF))
    }
}
