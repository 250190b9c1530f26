/// What changed between two updates: word-level differences per section and a summary.
public struct Redline: Sendable, Hashable {
    public enum Change: String, Sendable, Hashable {
        case unchanged, inserted, deleted
    }

    /// A run of words that share one change.
    public struct Run: Sendable, Hashable {
        public var change: Change
        public var text: String
    }

    /// A paragraph of the redline: its runs in reading order.
    public typealias Paragraph = [Run]

    public struct Section: Sendable, Hashable {
        public enum Status: String, Sendable, Hashable {
            case added, removed, changed, unchanged
        }

        public var title: String
        public var id: String
        public var status: Status
        public var paragraphs: [Paragraph]
        public var wordsInserted: Int
        public var wordsDeleted: Int
        /// Citations (each group of notes, `[@a; @b]`) added and removed: a changed citation is
        /// one removed and one added. Not counted among the words.
        public var citationsInserted = 0
        public var citationsDeleted = 0
    }

    public struct FactChange: Sendable, Hashable {
        public var label: String
        public var before: String?
        public var after: String?
    }

    public var previousDate: IsoDate
    public var riskBefore: RiskLevel
    public var riskAfter: RiskLevel
    public var headlineBefore: String
    public var headline: [Run]
    public var sections: [Section]
    public var sourcesAdded: [Source]
    public var sourcesRemoved: [Source]
    public var factChanges: [FactChange]

    public var headlineChanged: Bool { headline.contains { $0.change != .unchanged } }
}

extension Redline {
    /// Compares `version` with the update before it.
    static func between(previous: Version, current: Version, situation: Situation) -> Redline {
        var sections: [Section] = []
        let old = Dictionary(previous.body.sections.map { ($0.title, $0) }, uniquingKeysWith: { first, _ in first })
        let newTitles = Set(current.body.sections.map(\.title))
        for section in current.body.sections {
            if let before = old[section.title] {
                sections.append(compare(before.paragraphs, section.paragraphs, title: section.title, id: section.id))
            } else {
                var added = compare([], section.paragraphs, title: section.title, id: section.id)
                added.status = .added
                sections.append(added)
            }
        }
        for section in previous.body.sections where !newTitles.contains(section.title) {
            var removed = compare(section.paragraphs, [], title: section.title, id: section.id + "-removed")
            removed.status = .removed
            sections.append(removed)
        }

        let beforeKeys = Set(previous.body.citedKeys)
        let afterKeys = Set(current.body.citedKeys)
        let added = current.body.citedKeys.filter { !beforeKeys.contains($0) }.compactMap(situation.source(key:))
        let removedKeys = previous.body.citedKeys.filter { !afterKeys.contains($0) }
        let removed = removedKeys.map { key in
            situation.source(key: key) ?? Source(key: key, title: key, location: .file(situation.file))
        }

        var facts: [FactChange] = []
        for fact in current.facts {
            let before = previous.facts.first { $0.label == fact.label }
            if before?.value != fact.value {
                facts.append(FactChange(label: fact.label, before: before?.value, after: fact.value))
            }
        }
        for fact in previous.facts where !current.facts.contains(where: { $0.label == fact.label }) {
            facts.append(FactChange(label: fact.label, before: fact.value, after: nil))
        }

        return Redline(previousDate: previous.update.date, riskBefore: previous.riskLevel, riskAfter: current.riskLevel,
                       headlineBefore: previous.update.headline,
                       headline: diff(previous.update.headline, current.update.headline),
                       sections: sections, sourcesAdded: added, sourcesRemoved: removed, factChanges: facts)
    }

    static func compare(_ before: [String], _ after: [String], title: String, id: String) -> Section {
        // Whole paragraphs first: unchanged ones need no word-level work, which keeps the cost
        // of a redline near the size of what changed rather than the size of the section.
        let (removedParagraphs, insertedParagraphs) = paragraphChanges(before, after)
        var paragraphs: [Paragraph] = []
        paragraphs.reserveCapacity(max(before.count, after.count))
        var inserted = 0, deleted = 0, citationsInserted = 0, citationsDeleted = 0
        var i = 0, j = 0
        while i < before.count || j < after.count {
            if (i < before.count && removedParagraphs[i]) || (j < after.count && insertedParagraphs[j]) {
                // A stretch of changed paragraphs on either side: compare its words, and start a
                // new paragraph wherever either version had a paragraph break.
                let startI = i, startJ = j
                while i < before.count, removedParagraphs[i] { i += 1 }
                while j < after.count, insertedParagraphs[j] { j += 1 }
                var words = WordBuffer()
                let old = words.append(before[startI..<i]), new = words.append(after[startJ..<j])
                var current: Paragraph = []
                func add(_ piece: ArraySlice<WordBuffer.Word>, _ change: Change) {
                    guard !piece.isEmpty else { return }
                    if change != .unchanged {
                        let citations = words.citations(in: piece)
                        if change == .inserted { inserted += piece.count - citations; citationsInserted += citations }
                        if change == .deleted { deleted += piece.count - citations; citationsDeleted += citations }
                    }
                    current.append(Run(change: change, text: words.text(of: piece)))
                }
                for run in words.diff(old, new) {
                    // Most runs are within one paragraph: split only those that are not (an array
                    // of one piece made for each run was a third of the redlines' allocations).
                    guard run.words.contains(.paragraphBreak) else {
                        add(run.words, run.change)
                        continue
                    }
                    for (index, piece) in run.words.split(separator: .paragraphBreak, omittingEmptySubsequences: false).enumerated() {
                        if index > 0, !current.isEmpty {
                            paragraphs.append(current)
                            current = []
                        }
                        add(piece, run.change)
                    }
                }
                if !current.isEmpty { paragraphs.append(current) }
            } else {
                paragraphs.append([Run(change: .unchanged, text: after[j])])
                i += 1
                j += 1
            }
        }
        // A paragraph split or joined changes no word, but the section is not as it was.
        let reparagraphed = removedParagraphs.contains(true) || insertedParagraphs.contains(true)
        let changes = inserted + deleted + citationsInserted + citationsDeleted
        return Section(title: title, id: id, status: changes == 0 && !reparagraphed ? .unchanged : .changed,
                       paragraphs: paragraphs, wordsInserted: inserted, wordsDeleted: deleted,
                       citationsInserted: citationsInserted, citationsDeleted: citationsDeleted)
    }

    /// Which paragraphs were removed and inserted. Equal paragraphs at either end (all of them,
    /// in a section that did not change) are matched by comparing them as strings (a byte
    /// comparison for the usual NFC text); only those between are given ids, by their bytes,
    /// for the diff.
    static func paragraphChanges(_ before: [String], _ after: [String]) -> (removed: [Bool], inserted: [Bool]) {
        var low = 0
        while low < before.count, low < after.count, before[low] == after[low] { low += 1 }
        var endBefore = before.count, endAfter = after.count
        while endBefore > low, endAfter > low, before[endBefore - 1] == after[endAfter - 1] {
            endBefore -= 1
            endAfter -= 1
        }
        var removed = [Bool](repeating: false, count: before.count)
        var inserted = [Bool](repeating: false, count: after.count)
        guard low < endBefore || low < endAfter else { return (removed, inserted) }
        var paragraphs = WordBuffer()
        let old = paragraphs.appendWhole(before[low..<endBefore]), new = paragraphs.appendWhole(after[low..<endAfter])
        let ids = paragraphs.ids(old, new)
        let middle = Diff.changes(ids.0, ids.1)
        removed.replaceSubrange(low..<endBefore, with: middle.removed)
        inserted.replaceSubrange(low..<endAfter, with: middle.inserted)
        return (removed, inserted)
    }

    /// Word-level difference of two texts (used for headlines).
    static func diff(_ before: String, _ after: String) -> [Run] {
        var words = WordBuffer()
        let old = words.append([before]), new = words.append([after])
        return words.diff(old, new).map { Run(change: $0.change, text: words.text(of: $0.words)) }
    }
}

/// The words (or whole paragraphs) a redline compares, cut from one buffer of their UTF-8 bytes:
/// a word is where it lies in the buffer, so the words are never copied into strings of their
/// own, and equal words are found by their bytes (the same as comparing them as strings for
/// the usual NFC text). Whitespace is where words split; punctuation stays with its word.
struct WordBuffer {
    /// A word's bytes in the buffer, or a paragraph break between two paragraphs.
    struct Word: Equatable {
        var start: Int32
        var end: Int32
        static let paragraphBreak = Word(start: -1, end: -1)
    }

    /// A run of words that share one change: deleted words are the earlier text's, the others
    /// the later one's.
    struct WordRun {
        var change: Redline.Change
        var words: ArraySlice<Word>
    }

    private(set) var bytes: [UInt8] = []

    /// Adds consecutive paragraphs to the buffer and returns their words, with a paragraph
    /// break between one paragraph and the next.
    mutating func append<Paragraphs: Collection<String>>(_ paragraphs: Paragraphs) -> [Word] {
        // ASCII spaces, tabs and line ends: as exact as Character.isWhitespace for our plain text.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }
        var words: [Word] = []
        // About a word for every six bytes of this prose: room made once, not grown word by word.
        let length = paragraphs.reduce(0) { $0 + $1.utf8.count }
        words.reserveCapacity(length / 6 + paragraphs.count)
        bytes.reserveCapacity(bytes.count + length)
        for (index, paragraph) in paragraphs.enumerated() {
            if index > 0 { words.append(.paragraphBreak) }
            var i = bytes.count
            bytes.append(contentsOf: paragraph.utf8)
            let end = bytes.count
            bytes.withUnsafeBufferPointer { bytes in
                while i < end {
                    while i < end, isSpace(bytes[i]) { i += 1 }
                    guard i < end else { break }
                    let start = i
                    while i < end, !isSpace(bytes[i]) { i += 1 }
                    words.append(Word(start: Int32(start), end: Int32(i)))
                }
            }
        }
        return words
    }

    /// Adds texts to the buffer, each as one word of all its bytes (to compare whole paragraphs).
    mutating func appendWhole<Texts: Collection<String>>(_ texts: Texts) -> [Word] {
        texts.map { text in
            let start = bytes.count
            bytes.append(contentsOf: text.utf8)
            return Word(start: Int32(start), end: Int32(bytes.count))
        }
    }

    /// How many of the words are citations (`CitationToken`).
    func citations(in words: ArraySlice<Word>) -> Int {
        bytes.withUnsafeBufferPointer { bytes in
            words.reduce(0) { count, word in
                word.start >= 0 && CitationToken.begins(UnsafeBufferPointer(rebasing: bytes[Int(word.start)..<Int(word.end)])) ? count + 1 : count
            }
        }
    }

    /// Words joined by single spaces (paragraph breaks are skipped).
    func text(of words: ArraySlice<Word>) -> String {
        var length = 0
        for word in words where word.start >= 0 { length += Int(word.end - word.start) + 1 }
        return String(unsafeUninitializedCapacity: max(length, 1)) { out in
            var count = 0
            bytes.withUnsafeBufferPointer { bytes in
                for word in words where word.start >= 0 {
                    if count > 0 { out[count] = 0x20; count += 1 }
                    let piece = UnsafeBufferPointer(rebasing: bytes[Int(word.start)..<Int(word.end)])
                    _ = UnsafeMutableBufferPointer(rebasing: out[count..<(count + piece.count)]).initialize(from: piece)
                    count += piece.count
                }
            }
            return count
        }
    }

    /// A small integer per word, equal for words of equal bytes; -1 for a paragraph break.
    func ids(_ first: [Word], _ second: [Word]) -> ([Int32], [Int32]) {
        // Open addressing over a table at least twice the words, with each distinct word's
        // hash kept beside it so a probe compares bytes only when the hashes agree.
        var capacity = 16
        while capacity < 2 * (first.count + second.count) { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        var distinct: [Word] = []
        var hashes: [UInt64] = []
        distinct.reserveCapacity(first.count + second.count)
        hashes.reserveCapacity(first.count + second.count)
        // A loop rather than a local function mapped over the words: the tables, captured by
        // a function passed as a value, were boxes whose every access was checked for exclusivity
        // at run time (a tenth of the redlines' time).
        // Each side's ids are written through a buffer of their own (an array of arrays written
        // by index checked the outer array's uniqueness at every word).
        var firstIds = [Int32](repeating: -1, count: first.count)
        var secondIds = [Int32](repeating: -1, count: second.count)
        bytes.withUnsafeBufferPointer { bytes in
            slots.withUnsafeMutableBufferPointer { slots in
                firstIds.withUnsafeMutableBufferPointer { firstIds in
                    secondIds.withUnsafeMutableBufferPointer { secondIds in
                        for side in 0..<2 {
                            let words = side == 0 ? first : second
                            let ids = side == 0 ? firstIds : secondIds
                            for (index, word) in words.enumerated() where word.start >= 0 {
                                let hash = Self.hash(bytes, Int(word.start), Int(word.end))
                                var slot = Int(truncatingIfNeeded: hash) & mask
                                while true {
                                    let known = slots[slot]
                                    if known < 0 {
                                        slots[slot] = Int32(distinct.count)
                                        ids[index] = Int32(distinct.count)
                                        distinct.append(word)
                                        hashes.append(hash)
                                        break
                                    }
                                    let other = distinct[Int(known)]
                                    if hashes[Int(known)] == hash, other.end - other.start == word.end - word.start,
                                       bytes[Int(other.start)..<Int(other.end)].elementsEqual(bytes[Int(word.start)..<Int(word.end)]) {
                                        ids[index] = known
                                        break
                                    }
                                    slot = (slot + 1) & mask
                                }
                            }
                        }
                    }
                }
            }
        }
        return (firstIds, secondIds)
    }

    /// A hash of `bytes[start..<end]` for the table of distinct words, eight bytes at a time (a
    /// paragraph compared whole is hundreds of bytes; FNV-1a, a byte at a time, took most of the
    /// paragraphs' comparison). Equal bytes hash alike; the table compares the bytes of equal hashes.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var hash = 0x9e37_79b9_7f4a_7c15 ^ UInt64(end - start)
        var i = start
        if let base = bytes.baseAddress.map(UnsafeRawPointer.init) {
            while i + 8 <= end {
                hash = (hash ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
                hash ^= hash >> 32
                i += 8
            }
        }
        if i < end {
            var last: UInt64 = 0
            var shift: UInt64 = 0
            while i < end {
                last |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            hash = (hash ^ last) &* 0xc4ce_b9fe_1a85_ec53
        }
        return hash ^ (hash >> 29)
    }

    /// Word-level difference (a longest common subsequence of the words), grouped into runs.
    /// Where a stretch was replaced, the deleted words come before the inserted ones.
    func diff(_ before: [Word], _ after: [Word]) -> [WordRun] {
        let (a, b) = ids(before, after)
        var (removed, insertedAt) = Diff.changes(a, b)
        Diff.foldShortEqualities(a, b, removed: &removed, inserted: &insertedAt)
        var runs: [WordRun] = []
        // The run being gathered: its change and where its words start and end in their text.
        var change = Redline.Change.unchanged, start = 0, end = 0
        func close() {
            guard end > start else { return }
            runs.append(WordRun(change: change, words: change == .deleted ? before[start..<end] : after[start..<end]))
        }
        // A word at `index` of its text; consecutive words of one change are consecutive there.
        func take(_ next: Redline.Change, _ index: Int) {
            if next != change || index != end {
                close()
                change = next
                start = index
            }
            end = index + 1
        }
        var i = 0, j = 0
        while i < before.count || j < after.count {
            if i < before.count, removed[i] {
                take(.deleted, i); i += 1
            } else if j < after.count, insertedAt[j] {
                take(.inserted, j); j += 1
            } else if i < before.count, j < after.count {
                take(.unchanged, j); i += 1; j += 1
            } else if i < before.count {
                take(.deleted, i); i += 1
            } else {
                take(.inserted, j); j += 1
            }
        }
        close()
        return runs
    }
}

/// A shortest edit script between two sequences of integers: after trimming the common start
/// and end, a longest common subsequence of the rest by bit-parallel rows (Hyyrö, "Bit-parallel
/// LCS-length computation revisited", 2004) and a walk back through them. Each element of `a`
/// costs a few operations per 64 elements of `b`, whatever the texts look like; Myers' O(ND)
/// algorithm, used before, took far longer on rewritten paragraphs (D close to N) and kept a
/// trace that grows with D².
enum Diff {
    /// For each position of `a`, whether it is removed; for each position of `b`, whether it is inserted.
    /// Every other position belongs to a longest common subsequence, in order. The values must be
    /// small integers, as ids are: the table that finds a value's mask spans them all.
    static func changes(_ a: [Int32], _ b: [Int32]) -> (removed: [Bool], inserted: [Bool]) {
        var removed = [Bool](repeating: false, count: a.count)
        var inserted = [Bool](repeating: false, count: b.count)
        var low = 0
        while low < a.count, low < b.count, a[low] == b[low] { low += 1 }
        var endA = a.count, endB = b.count
        while endA > low, endB > low, a[endA - 1] == b[endB - 1] { endA -= 1; endB -= 1 }
        let n = endA - low, m = endB - low
        if n == 0 || m == 0 {
            for x in low..<endA { removed[x] = true }
            for y in low..<endB { inserted[y] = true }
            return (removed, inserted)
        }
        let words = (m + 63) >> 6
        // For each value of b's middle, a mask of the positions where it occurs (bit j for b[low + j]),
        // found through a table indexed by value: the values are small integers (a WordBuffer's ids),
        // so the table is about as long as the texts.
        var smallest = Int32.max, largest = Int32.min
        for value in a[low..<endA] { smallest = min(smallest, value); largest = max(largest, value) }
        for value in b[low..<endB] { smallest = min(smallest, value); largest = max(largest, value) }
        var maskOf = [Int](repeating: -1, count: Int(largest) - Int(smallest) + 1)
        var masks: [UInt64] = []
        for j in 0..<m {
            let value = Int(b[low + j]) - Int(smallest)
            var mask = maskOf[value]
            if mask < 0 {
                mask = masks.count
                maskOf[value] = mask
                masks.append(contentsOf: repeatElement(0, count: words))
            }
            masks[mask + (j >> 6)] |= 1 << UInt64(j & 63)
        }
        // Row i, after the first i elements of a's middle: bit j is 0 exactly where a longest common
        // subsequence with b[low ..< low + j + 1] is one longer than with b[low ..< low + j]. Bits
        // from m up stay 1. Row 0 is all ones.
        var rows = [UInt64](repeating: ~0, count: (n + 1) * words)
        rows.withUnsafeMutableBufferPointer { rows in
            masks.withUnsafeBufferPointer { masks in
                for i in 0..<n {
                    let previous = i * words, row = previous + words
                    let mask = maskOf[Int(a[low + i]) - Int(smallest)]
                    guard mask >= 0 else {
                        for w in 0..<words { rows[row + w] = rows[previous + w] }
                        continue
                    }
                    var carry: UInt64 = 0
                    for w in 0..<words {
                        let v = rows[previous + w], u = v & masks[mask + w]
                        let (sum, overflow) = v.addingReportingOverflow(u)
                        let (total, overflow2) = sum.addingReportingOverflow(carry)
                        carry = overflow || overflow2 ? 1 : 0
                        rows[row + w] = total | (v & ~u)
                    }
                }
            }
        }
        // The length of a longest common subsequence of a's first i and b's first j (middle) elements.
        func length(_ i: Int, _ j: Int) -> Int {
            var ones = 0
            let base = i * words
            for w in 0..<(j >> 6) { ones += rows[base + w].nonzeroBitCount }
            if j & 63 != 0 { ones += (rows[base + (j >> 6)] & ((1 << UInt64(j & 63)) - 1)).nonzeroBitCount }
            return j - ones
        }
        // Walk back from the end: equal elements are always part of some longest subsequence.
        var i = n, j = m
        while i > 0, j > 0 {
            if a[low + i - 1] == b[low + j - 1] {
                i -= 1
                j -= 1
            } else if length(i - 1, j) == length(i, j) {
                removed[low + i - 1] = true
                i -= 1
            } else {
                inserted[low + j - 1] = true
                j -= 1
            }
        }
        for x in 0..<i { removed[low + x] = true }
        for y in 0..<j { inserted[low + y] = true }
        return (removed, inserted)
    }

    /// Marks as changed, on both sides, every stretch of equal elements that is shorter than the
    /// changes on either side of it (counting the larger of the removed and inserted elements on
    /// each side). A rewritten sentence then reads as the old sentence struck out and the new one
    /// inserted, rather than both cut into pieces around the short words they happen to share
    /// ("the", "of", "and"); an equal stretch at least as long as the edit before or after it
    /// stays, so small edits keep their words in place. Folding one stretch makes the changes
    /// around it one, so the stretch before is weighed again (the "semantic cleanup" of Neil
    /// Fraser's diff-match-patch, counted in elements rather than characters and with a strict
    /// comparison). Negative values (a word buffer's paragraph breaks) are not counted, and a
    /// stretch holding one is never folded: paragraphs keep their own marks.
    /// - Parameters: `removed` and `inserted` as `changes(_:_:)` gives them for `a` and `b`.
    static func foldShortEqualities(_ a: [Int32], _ b: [Int32], removed: inout [Bool], inserted: inout [Bool]) {
        struct Gap { var removed: Int32 = 0; var inserted: Int32 = 0; var larger: Int32 { max(removed, inserted) } }
        // An equal stretch: where it starts in each text, its length, the elements counted in it,
        // and what changed before it.
        struct Equal { var a: Int32; var b: Int32; var count: Int32; var elements: Int32; var anchored: Bool; var before: Gap }
        var equals: [Equal] = []
        // Room made once (two appends and a grown array for every stretch were a third of the fold).
        equals.reserveCapacity(min(a.count, b.count) / 2 + 1)
        // What changed after the last equal stretch (before the first, while there is none).
        var gap = Gap()
        var folding = false
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                removed.withUnsafeBufferPointer { removed in
                    inserted.withUnsafeBufferPointer { inserted in
                        var i = 0, j = 0
                        while true {
                            if i < a.count, removed[i] {
                                if a[i] >= 0 { gap.removed += 1 }
                                i += 1
                            } else if j < b.count, inserted[j] {
                                if b[j] >= 0 { gap.inserted += 1 }
                                j += 1
                            } else {
                                guard i < a.count, j < b.count else { break }
                                let counted: Int32 = a[i] >= 0 ? 1 : 0
                                if let last = equals.last, Int(last.a + last.count) == i, Int(last.b + last.count) == j {
                                    equals[equals.count - 1].count += 1
                                    equals[equals.count - 1].elements += counted
                                    equals[equals.count - 1].anchored = last.anchored || a[i] < 0
                                } else {
                                    // Only a change of two or more on each side of a stretch can fold it.
                                    if gap.larger > 1, let last = equals.last, last.before.larger > 1 { folding = true }
                                    equals.append(Equal(a: Int32(i), b: Int32(j), count: 1, elements: counted, anchored: a[i] < 0, before: gap))
                                    gap = Gap()
                                }
                                i += 1
                                j += 1
                            }
                        }
                    }
                }
            }
        }
        if gap.larger > 1, let last = equals.last, last.before.larger > 1 { folding = true }
        guard folding else { return }
        // Equal stretches still standing; `after`, what changed after the last of them.
        var standing: [(index: Int, before: Gap)] = []
        standing.reserveCapacity(equals.count)
        for k in equals.indices {
            standing.append((k, equals[k].before))
            var after = k + 1 < equals.count ? equals[k + 1].before : gap
            while let top = standing.last {
                let equal = equals[top.index]
                guard !equal.anchored, equal.elements < top.before.larger, equal.elements < after.larger else { break }
                standing.removeLast()
                for x in Int(equal.a)..<Int(equal.a + equal.count) { removed[x] = true }
                for y in Int(equal.b)..<Int(equal.b + equal.count) { inserted[y] = true }
                after = Gap(removed: top.before.removed + equal.elements + after.removed,
                            inserted: top.before.inserted + equal.elements + after.inserted)
            }
            // What changed before the next stretch is now all that changed since the last one standing.
            if k + 1 < equals.count { equals[k + 1].before = after } else { gap = after }
        }
    }
}
