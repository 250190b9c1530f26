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

    static let paragraphMark = "\u{B6}\u{B6}"

    /// Words of a text; whitespace is where they split, punctuation stays with its word.
    static func words(_ text: String) -> [String] {
        // Split on the bytes of ASCII whitespace: as exact as Character.isWhitespace for our
        // plain text, and many times faster on long sections.
        text.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D })
            .map { String(Substring($0)) }
    }

    static func compare(_ before: [String], _ after: [String], title: String, id: String) -> Section {
        func tokens(_ paragraphs: ArraySlice<String>) -> [String] {
            paragraphs.enumerated().flatMap { index, paragraph in (index > 0 ? [paragraphMark] : []) + words(paragraph) }
        }
        // Whole paragraphs first: unchanged ones need no word-level work, which keeps the cost
        // of a redline near the size of what changed rather than the size of the section.
        var removedParagraphs = Set<Int>(), insertedParagraphs = Set<Int>()
        for change in after.difference(from: before) {
            switch change {
            case .remove(let offset, _, _): removedParagraphs.insert(offset)
            case .insert(let offset, _, _): insertedParagraphs.insert(offset)
            }
        }
        var paragraphs: [Paragraph] = []
        var inserted = 0, deleted = 0
        var i = 0, j = 0
        while i < before.count || j < after.count {
            if (i < before.count && removedParagraphs.contains(i)) || (j < after.count && insertedParagraphs.contains(j)) {
                // A stretch of changed paragraphs on either side: compare its words, and start a
                // new paragraph wherever either version had a paragraph break.
                let startI = i, startJ = j
                while i < before.count, removedParagraphs.contains(i) { i += 1 }
                while j < after.count, insertedParagraphs.contains(j) { j += 1 }
                var current: Paragraph = []
                for run in diffWords(tokens(before[startI..<i]), tokens(after[startJ..<j])) {
                    for (index, piece) in run.words.split(separator: paragraphMark, omittingEmptySubsequences: false).enumerated() {
                        if index > 0, !current.isEmpty {
                            paragraphs.append(current)
                            current = []
                        }
                        guard !piece.isEmpty else { continue }
                        if run.change == .inserted { inserted += piece.count }
                        if run.change == .deleted { deleted += piece.count }
                        current.append(Run(change: run.change, text: piece.joined(separator: " ")))
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

    /// A run of words before they are joined into text.
    struct WordRun {
        var change: Change
        var words: [String]
    }

    /// Word-level difference as runs of text (used for headlines).
    static func diff(_ before: [String], _ after: [String]) -> [Run] {
        diffWords(before, after).map { Run(change: $0.change, text: $0.words.joined(separator: " ")) }
    }

    /// Word-level difference with the standard library's `CollectionDifference`, grouped into runs.
    /// Where a stretch was replaced, the deleted words come before the inserted ones.
    static func diffWords(_ before: [String], _ after: [String]) -> [WordRun] {
        let difference = after.difference(from: before)
        var removed = Set<Int>(), insertedAt = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): insertedAt.insert(offset)
            }
        }
        var runs: [WordRun] = []
        func append(_ change: Change, _ word: String) {
            if let last = runs.last, last.change == change {
                runs[runs.count - 1].words.append(word)
            } else {
                runs.append(WordRun(change: change, words: [word]))
            }
        }
        var i = 0, j = 0
        while i < before.count || j < after.count {
            if i < before.count, removed.contains(i) {
                append(.deleted, before[i]); i += 1
            } else if j < after.count, insertedAt.contains(j) {
                append(.inserted, after[j]); j += 1
            } else if i < before.count, j < after.count {
                append(.unchanged, after[j]); i += 1; j += 1
            } else if i < before.count {
                append(.deleted, before[i]); i += 1
            } else {
                append(.inserted, after[j]); j += 1
            }
        }
        return runs
    }
}
