import Yams

/// Parses YAML text with Yams and keeps every node's line and column.
/// What it makes of a text is kept from one build to the next (`YAMLCache`), under
/// `BuildState.toolVersion`: a change to what a text parses to changes that version too.
enum YAMLParser {
    /// Yams makes a new `Constructor` (three tables of functions) at each use of `.default`;
    /// one is made for every parse. It is never changed after it is made.
    nonisolated(unsafe) private static let constructor = Constructor.default

    /// - Parameter lineOffset: lines before the YAML text in its file (front matter starts after `---`).
    static func parse(_ text: String, file: String, lineOffset: Int = 0) -> Result<YAMLNode, Diagnostic> {
        let whole = SourceLocation(file: file, line: lineOffset + 1, column: 1)
        let node: Node?
        do {
            // Our files need no implicit types (we read every value as text and find nulls
            // ourselves), so the resolver has no rules: Yams then hashes mapping keys for its
            // duplicate check without matching each against its regular expressions. UTF-8 is
            // named, since Yams's default reads the whole environment at every parse.
            node = try Yams.compose(yaml: text, .basic, constructor, .utf8)
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, file: file, lineOffset: lineOffset))
        } catch {
            return .failure(.error(at: whole, "could not read YAML: \(error)"))
        }
        guard let node else { return .success(YAMLNode(.null, at: whole)) }
        return .success(convert(node, file: file, lineOffset: lineOffset, fallback: whole))
    }

    private static func location(_ mark: Mark?, file: String, lineOffset: Int, fallback: SourceLocation) -> SourceLocation {
        guard let mark else { return fallback }
        return SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column)
    }

    private static func convert(_ node: Node, file: String, lineOffset: Int, fallback: SourceLocation) -> YAMLNode {
        let here = location(node.mark, file: file, lineOffset: lineOffset, fallback: fallback)
        switch node {
        case .scalar(let scalar):
            let plain = scalar.style == .plain
            if plain, node.null != nil { return YAMLNode(.null, at: here) }
            return YAMLNode(.scalar(scalar.string, plain: plain), at: here)
        case .mapping(let mapping):
            let pairs = mapping.map { key, value in
                let keyHere = location(key.mark, file: file, lineOffset: lineOffset, fallback: here)
                return YAMLPair(
                    key: key.string ?? "",
                    keyLocation: keyHere,
                    value: convert(value, file: file, lineOffset: lineOffset, fallback: keyHere)
                )
            }
            return YAMLNode(.mapping(pairs), at: here)
        case .sequence(let sequence):
            return YAMLNode(.sequence(sequence.map { convert($0, file: file, lineOffset: lineOffset, fallback: here) }), at: here)
        case .alias:
            return YAMLNode(.null, at: here)
        }
    }

    private static func diagnostic(for error: YamlError, file: String, lineOffset: Int) -> Diagnostic {
        let start = SourceLocation(file: file, line: lineOffset + 1, column: 1)
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text))" }
            return .error(at: location(mark, file: file, lineOffset: lineOffset, fallback: start), message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error(at: location(context.mark, file: file, lineOffset: lineOffset, fallback: start),
                          "duplicate key \(names) in this mapping")
        case .reader(let problem, _, _, _):
            return .error(at: start, "YAML could not be read: \(problem)")
        default:
            return .error(at: start, "YAML could not be read: \(error)")
        }
    }
}
