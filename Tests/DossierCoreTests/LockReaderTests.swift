import Foundation
import PropertyBased
import Testing
@testable import DossierCore

/// `versions.lock` read in one pass (`LockReader`): the same record `JSONDecoder` reads, and
/// nothing at all (so `JSONDecoder` reads it) where the text is not what a lock holds.
@Suite("Reading versions.lock")
struct LockReaderTests {
    /// Characters JSON escapes or that matter to its syntax, and ordinary ones.
    static let alphabet = Array("ab 1\"\\/\n\t\r\u{01}\u{1F}\u{7F}é😀\u{2028}{}[]:,-")
    static let text = Gen<Character?>.element(of: alphabet).map { $0! }.string(of: 0...12)

    /// A lock made from random texts and numbers: entries with zero to two facts, a fact's
    /// source there or not.
    static func lock(_ texts: [String], _ numbers: [Int]) -> VersionLock {
        var updates: [String: VersionLock.Entry] = [:]
        for (index, text) in texts.enumerated() {
            let number = numbers[index % numbers.count]
            let facts = (0..<(abs(number) % 3)).map { fact in
                VersionLock.LockedFact(label: texts[(index + fact) % texts.count], value: text + String(fact),
                                       source: number % 2 == 0 ? nil : texts[(index + 1) % texts.count])
            }
            updates["\(text)/\(index)"] = VersionLock.Entry(sha256: text, corrections: number, facts: facts)
        }
        return VersionLock(format: 1, updates: updates)
    }

    static func decoded(_ text: String) -> VersionLock? {
        try? JSONDecoder().decode(VersionLock.self, from: Data(text.utf8))
    }

    @Test func readsWhatTheBuildWritesAsJSONDecoderDoes() async {
        await propertyCheck(count: 300, input: Self.text.array(of: 0...6), Gen.int(in: -1_000_000...1_000_000).array(of: 1...4)) { texts, numbers in
            let lock = Self.lock(texts, numbers)
            // As a build writes it, and as compact JSON in another order of keys.
            let compact = JSONEncoder()
            let variants = [lock.text, String(decoding: try! compact.encode(lock), as: UTF8.self)]
            for text in variants {
                #expect(LockReader.read(text) == lock, "\(text)")
                #expect(Self.decoded(text) == lock)
            }
        }
    }

    /// The lock is written in one pass as `JSONEncoder` writes it, byte for byte; text that
    /// JSON escapes is left to `JSONEncoder`. The keys of the random locks are random text too,
    /// so both ways are taken.
    @Test func writesWhatJSONEncoderWrites() async {
        var written = 0, left = 0
        await propertyCheck(count: 300, input: Self.text.array(of: 0...6), Gen.int(in: -1_000_000...1_000_000).array(of: 1...4)) { texts, numbers in
            let lock = Self.lock(texts, numbers)
            if let text = LockWriter.text(lock) {
                written += 1
                #expect(text == lock.encodedText, "\(text)")
            } else {
                left += 1
            }
            #expect(lock.text == lock.encodedText)
        }
        // Slugs, dates and plain text: the record a build writes.
        let plain = ["dprk", "syria-2", "a-b-c"].map { slug in
            (0..<3).map { n in "\(slug)/2024-0\(n + 1)-15" }
        }.joined()
        let facts = [VersionLock.LockedFact(label: "Commission of Inquiry", value: "Report published — February 2014 · «COI» 😀", source: "coi-2014"),
                     VersionLock.LockedFact(label: "Refugees", value: "Around 30,000 / since 1953", source: nil)]
        for lock in [VersionLock(), VersionLock(updates: Dictionary(uniqueKeysWithValues: plain.enumerated().map { index, key in
            (key, VersionLock.Entry(sha256: String(repeating: "ab", count: 32), corrections: index % 3, facts: Array(facts.prefix(index % 3))))
        }))] {
            let text = LockWriter.text(lock)
            #expect(text != nil)
            #expect(text == lock.encodedText, "\(text ?? "")")
        }
        #expect(written > 0 && left > 0, "\(written) written, \(left) left to JSONEncoder")
    }

    @Test func readsEscapesNullAndLayoutAsJSONDecoderDoes() throws {
        let text = """
        {"updates":{"a/2024-01-01":{"facts":[{"label":"caf\\u00e9 \\ud83d\\ude00 \\"q\\" \\\\ \\/ \\n\\t\\b\\f\\r","value":"V","source":null},
          {"value" : "W", "label":"L" , "source":"s"}],"corrections":-0,"sha256":"x"},
        "b/2024-02-01" : { "sha256" : "" , "corrections" : 12 , "facts" : [ ] } } , "format" : 1 }

        """
        let lock = try #require(LockReader.read(text))
        #expect(lock == Self.decoded(text))
        #expect(lock.updates["a/2024-01-01"]?.facts.first?.label == "café 😀 \"q\" \\ / \n\t\u{08}\u{0C}\r")
        #expect(lock.updates["a/2024-01-01"]?.facts.first?.source == nil)
        #expect(lock.updates["b/2024-02-01"]?.corrections == 12)
    }

    /// What a lock does not hold is left to `JSONDecoder`: the record read is then its record,
    /// or the build's error for a damaged lock.
    @Test(arguments: [
        #"{"format":1,"updates":{"a/x":{"sha256":"s","corrections":0,"facts":[],"note":"extra"}}}"#,
        #"{"format":1,"updates":{"a/x":{"sha256":"s","corrections":1.0,"facts":[]}}}"#,
        #"{"format":1,"updates":{"a/x":{"sha256":"s","corrections":1e0,"facts":[]}}}"#,
        #"{"format":1,"updates":{"a/x":{"sha256":"s","sha256":"t","corrections":0,"facts":[]}}}"#,
        #"{"format":1,"updates":{"a/x":{"sha256":"s","corrections":0,"facts":[]}}} x"#,
        #"{"format":1,"updates":{"a/x":{"sha256":"\ud83d","corrections":0,"facts":[]}}}"#,
        #"{"format":1,"updates":{"a/x":{"sha256":"s","corrections":01,"facts":[]}}}"#,
        #"{"format":1,"updates":{"a/x":{"sha256":"s","corrections":0,"facts":[],}}}"#,
        #"{"format":1,"updates":{"a/x":{"sha256":"s","corrections":99999999999999999999,"facts":[]}}}"#,
        #"{"format":1,"updates":{"a/x":{"sha256":"s","corrections":0}}}"#,
        #"{"format":1,"updates":{"a/x":{"sha256":"s","corrections":0,"facts":[{"label":"l","value":"v","source":true}]}}}"#,
        #"{"format":1,"updates":{"a/x":{"sha256":"s","corrections":0,"facts":[]}}"#,
        "{\"format\":1,\"updates\":{\"a/x\":{\"sha256\":\"a\u{01}b\",\"corrections\":0,\"facts\":[]}}}",
    ])
    func leavesTheRestToJSONDecoder(_ text: String) {
        #expect(LockReader.read(text) == nil)
        let parsed = VersionLock.parse(SourceFile(path: "versions.lock", text: text))
        switch (parsed, Self.decoded(text)) {
        case (.success(let read), let decoded?): #expect(read.lock == decoded)
        case (.failure(let problem), nil): #expect(problem.message.contains("versions.lock is damaged"))
        default: Issue.record("parse and JSONDecoder disagree: \(parsed)")
        }
    }
}
