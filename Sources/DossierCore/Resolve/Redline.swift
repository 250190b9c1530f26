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
                       headline: diff(words(previous.update.headline), words(current.update.headline)),
                       sections: sections, sourcesAdded: added, sourcesRemoved: removed, factChanges: facts)
    }

    /// Words of a text; whitespace is where they split, punctuation stays with its word.
    static func words(_ text: String) -> [Substring] {
        // Split on the bytes of ASCII whitespace: as exact as Character.isWhitespace for our
        // plain text, and many times faster on long sections.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }
        let utf8 = text.utf8
        // Native strings: a loop over the bytes, words cut out by offset (about 3x the generic split).
        let fast: [Substring]? = utf8.withContiguousStorageIfAvailable { bytes in
            var words: [Substring] = []
            var i = 0
            while i < bytes.count {
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                guard i < bytes.count else { break }
                let start = i
                while i < bytes.count, !isSpace(bytes[i]) { i += 1 }
                words.append(text[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: i)])
            }
            return words
        }
        return fast ?? utf8.split(whereSeparator: isSpace).map { Substring($0) }
    }

    static func compare(_ before: [String], _ after: [String], title: String, id: String) -> Section {
        // Whole paragraphs first: unchanged ones need no word-level work, which keeps the cost
        // of a redline near the size of what changed rather than the size of the section.
        let (removedParagraphs, insertedParagraphs) = paragraphChanges(before, after)
        var paragraphs: [Paragraph] = []
        var inserted = 0, deleted = 0
        var i = 0, j = 0
        while i < before.count || j < after.count {
            if (i < before.count && removedParagraphs[i]) || (j < after.count && insertedParagraphs[j]) {
                // A stretch of changed paragraphs on either side: compare its words, and start a
                // new paragraph wherever either version had a paragraph break (a `nil` word).
                let startI = i, startJ = j
                while i < before.count, removedParagraphs[i] { i += 1 }
                while j < after.count, insertedParagraphs[j] { j += 1 }
                var current: Paragraph = []
                for run in diffWords(tokens(before[startI..<i]), tokens(after[startJ..<j])) {
                    for (index, piece) in run.words.split(separator: nil, omittingEmptySubsequences: false).enumerated() {
                        if index > 0, !current.isEmpty {
                            paragraphs.append(current)
                            current = []
                        }
                        guard !piece.isEmpty else { continue }
                        if run.change == .inserted { inserted += piece.count }
                        if run.change == .deleted { deleted += piece.count }
                        current.append(Run(change: run.change, text: text(of: piece)))
                    }
                }
                if !current.isEmpty { paragraphs.append(current) }
            } else {
                paragraphs.append([Run(change: .unchanged, text: after[j])])
                i += 1
                j += 1
            }
        }
        return Section(title: title, id: id, status: inserted + deleted == 0 ? .unchanged : .changed,
                       paragraphs: paragraphs, wordsInserted: inserted, wordsDeleted: deleted)
    }

    /// Which paragraphs were removed and inserted. Equal paragraphs at either end (all of them,
    /// in a section that did not change) are matched by comparing them as strings, as the ids
    /// do (a byte comparison for the usual NFC text); only those between are hashed into ids
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
        var ids = TokenTable<String>()
        let middle = Diff.changes(before[low..<endBefore].map { ids.id($0) }, after[low..<endAfter].map { ids.id($0) })
        removed.replaceSubrange(low..<endBefore, with: middle.removed)
        inserted.replaceSubrange(low..<endAfter, with: middle.inserted)
        return (removed, inserted)
    }

    /// The words of consecutive paragraphs, with `nil` where one paragraph ends and the next begins.
    static func tokens(_ paragraphs: ArraySlice<String>) -> [Substring?] {
        var out: [Substring?] = []
        for (index, paragraph) in paragraphs.enumerated() {
            if index > 0 { out.append(nil) }
            out += words(paragraph).lazy.map { Optional($0) }
        }
        return out
    }

    /// Words joined by single spaces (paragraph breaks, `nil`, are skipped).
    static func text(of words: ArraySlice<Substring?>) -> String {
        var text = ""
        text.reserveCapacity(words.reduce(0) { $0 + ($1?.utf8.count ?? 0) + 1 })
        for case let word? in words {
            if !text.isEmpty { text += " " }
            text += word
        }
        return text
    }

    /// A run of words before they are joined into text; `nil` is a paragraph break. The words
    /// are a slice of the text they come from (deleted words of the earlier text, the others of
    /// the later one), never copied.
    struct WordRun {
        var change: Change
        var words: ArraySlice<Substring?>
    }

    /// Word-level difference as runs of text (used for headlines).
    static func diff(_ before: [Substring], _ after: [Substring]) -> [Run] {
        diffWords(before.map { $0 }, after.map { $0 }).map { Run(change: $0.change, text: text(of: $0.words)) }
    }

    /// Word-level difference (a longest common subsequence of interned words), grouped into runs.
    /// Where a stretch was replaced, the deleted words come before the inserted ones.
    static func diffWords(_ before: [Substring?], _ after: [Substring?]) -> [WordRun] {
        var table = TokenTable<Substring>()
        func id(_ word: Substring?) -> Int32 { word.map { table.id($0) } ?? -1 }
        let (removed, insertedAt) = Diff.changes(before.map(id), after.map(id))
        var runs: [WordRun] = []
        // The run being gathered: its change and where its words start and end in their text.
        var change = Change.unchanged, start = 0, end = 0
        func close() {
            guard end > start else { return }
            runs.append(WordRun(change: change, words: change == .deleted ? before[start..<end] : after[start..<end]))
        }
        // A word at `index` of its text; consecutive words of one change are consecutive there.
        func take(_ next: Change, _ index: Int) {
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

/// Gives each distinct value a small integer, so a diff compares integers instead of text.
struct TokenTable<Value: Hashable> {
    private var ids: [Value: Int32] = [:]

    mutating func id(_ value: Value) -> Int32 {
        if let known = ids[value] { return known }
        let next = Int32(ids.count)
        ids[value] = next
        return next
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
    /// Every other position belongs to a longest common subsequence, in order.
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
        // For each value of b's middle, a mask of the positions where it occurs (bit j for b[low + j]).
        var maskOf: [Int32: Int] = [:]
        var masks: [UInt64] = []
        for j in 0..<m {
            let value = b[low + j]
            let mask: Int
            if let known = maskOf[value] {
                mask = known
            } else {
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
                    guard let mask = maskOf[a[low + i]] else {
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
}
