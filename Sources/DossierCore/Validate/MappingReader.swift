import Foundation

/// Reads typed fields from one YAML mapping, collecting a located diagnostic for every problem:
/// a missing or mistyped field, an unknown key (with the known ones named).
struct MappingReader {
    let node: YAMLNode
    let what: String
    private(set) var known: [String] = []
    var diagnostics: [Diagnostic] = []

    /// Returns nil (and records an error) when the node is not a mapping.
    init?(_ node: YAMLNode, what: String, diagnostics: inout [Diagnostic]) {
        guard node.pairs != nil else {
            diagnostics.append(.error(at: node.location, "\(what) must be a mapping of fields (key: value), found \(node.kindName)"))
            return nil
        }
        self.node = node
        self.what = what
    }

    private var pairs: [YAMLPair] { node.pairs ?? [] }

    mutating func value(_ key: String) -> YAMLNode? {
        if !known.contains(key) { known.append(key) }
        guard let pair = pairs.first(where: { $0.key == key }), !pair.value.isNull else { return nil }
        return pair.value
    }

    mutating func requiredString(_ key: String) -> String? {
        guard let node = value(key) else {
            diagnostics.append(.error(at: node.location, "\(what) is missing the required field '\(key)'"))
            return nil
        }
        return string(node, key: key)
    }

    mutating func optionalString(_ key: String) -> String? {
        guard let node = value(key) else { return nil }
        return string(node, key: key)
    }

    private mutating func string(_ node: YAMLNode, key: String) -> String? {
        guard let text = node.scalar else {
            diagnostics.append(.error(at: node.location, "'\(key)' must be text, found \(node.kindName)"))
            return nil
        }
        let trimmed = text.trimmingSpaces()
        if trimmed.isEmpty {
            diagnostics.append(.error(at: node.location, "'\(key)' must not be empty"))
            return nil
        }
        return trimmed
    }

    mutating func optionalInt(_ key: String, range: ClosedRange<Int>) -> Int? {
        guard let node = value(key) else { return nil }
        guard let text = node.scalar, let number = Int(text), range.contains(number) else {
            diagnostics.append(.error(at: node.location,
                                      "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound), found '\(node.scalar ?? node.kindName)'"))
            return nil
        }
        return number
    }

    mutating func optionalBool(_ key: String) -> Bool? {
        guard let node = value(key) else { return nil }
        switch node.scalar {
        case "true"?: return true
        case "false"?: return false
        default:
            diagnostics.append(.error(at: node.location, "'\(key)' must be true or false, found '\(node.scalar ?? node.kindName)'"))
            return nil
        }
    }

    mutating func requiredDate(_ key: String) -> (IsoDate, YAMLNode)? {
        guard let node = value(key) else {
            diagnostics.append(.error(at: node.location, "\(what) is missing the required field '\(key)'"))
            return nil
        }
        guard let date = node.scalar.flatMap(IsoDate.init) else {
            diagnostics.append(.error(at: node.location, "'\(key)' must be a real date written YYYY-MM-DD, found '\(node.scalar ?? node.kindName)'"))
            return nil
        }
        return (date, node)
    }

    /// A list field; reports an error if the value is not a list.
    mutating func list(_ key: String, required: Bool = false) -> [YAMLNode]? {
        guard let node = value(key) else {
            if required { diagnostics.append(.error(at: node.location, "\(what) is missing the required field '\(key)'")) }
            return nil
        }
        guard let items = node.items else {
            diagnostics.append(.error(at: node.location, "'\(key)' must be a list, found \(node.kindName)"))
            return nil
        }
        return items
    }

    /// Call last: warns about keys no reader asked for, naming the known ones.
    mutating func finish() -> [Diagnostic] {
        for pair in pairs where !known.contains(pair.key) {
            var message = "unknown field '\(pair.key)' in \(what)"
            if let guess = closestWord(to: pair.key, in: known) { message += "; did you mean '\(guess)'?" } else { message += "." }
            message += " Known fields: \(known.joined(separator: ", "))"
            diagnostics.append(.warning(at: pair.keyLocation, message))
        }
        return diagnostics
    }

}

/// The candidate a word is most likely a typo of, if one is close enough.
func closestWord(to word: String, in candidates: [String]) -> String? {
    candidates
        .map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        .filter { $0.1 <= max(2, word.count / 3) }
        .min { $0.1 < $1.1 }?.0
}

/// Levenshtein distance, with transpositions counted once (so `risk_levle` is one step from `risk_level`).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}
