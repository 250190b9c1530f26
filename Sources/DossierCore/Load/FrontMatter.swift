/// A Markdown file split into its YAML front matter and its body.
public struct FrontMatter: Sendable {
    public var yaml: YAMLNode
    /// What follows the front matter: a view of the file's text, not a copy of it.
    public var body: Substring
    /// The file's line number of the body's first line.
    public var bodyStartLine: Int
}

extension FrontMatter {
    /// Splits `---` front matter from the body and parses the YAML with file positions.
    /// - Parameter yaml: what earlier builds parsed, when the caller keeps it.
    static func split(_ file: SourceFile, yaml: YAMLCache? = nil) -> Result<FrontMatter, Diagnostic> {
        // Only the lines up to the closing `---` are looked at; the body is the rest, taken whole.
        let text = file.text
        var lineStart = text.startIndex
        var number = 0
        var yamlStart: String.Index?
        var found: (close: Int, yamlEnd: String.Index, bodyStart: String.Index)?
        while lineStart < text.endIndex {
            let lineEnd = text.utf8[lineStart...].firstIndex(of: 0x0A) ?? text.endIndex
            let line = text[lineStart..<lineEnd].trimmingTrailingSpaces()
            let next = lineEnd < text.endIndex ? text.utf8.index(after: lineEnd) : text.endIndex
            if number == 0 {
                guard line == "---" else { break }
                yamlStart = next
            } else if line == "---" || line == "..." {
                found = (number, lineStart, next)
                break
            }
            number += 1
            lineStart = next
        }
        guard let yamlStart else {
            return .failure(.error(file.path, line: 1, column: 1,
                                   "missing front matter: the file must start with a line '---', then YAML fields, then another '---'"))
        }
        guard let (close, yamlEnd, bodyStart) = found else {
            return .failure(.error(file.path, line: 1, column: 1,
                                   "front matter is not closed: add a line '---' after the YAML fields"))
        }
        // The YAML without the newline that ends its last line, as the fields were written.
        var yamlText = String(text[yamlStart..<max(yamlStart, yamlEnd)])
        if yamlText.hasSuffix("\n") { yamlText.removeLast() }
        let body = text[bodyStart...]
        switch yaml?.parse(yamlText, file: file.path, lineOffset: 1) ?? YAMLParser.parse(yamlText, file: file.path, lineOffset: 1) {
        case .failure(let diagnostic):
            return .failure(diagnostic)
        case .success(let node):
            var yaml = node
            if yaml.isNull { yaml.location = SourceLocation(file: file.path, line: 1, column: 1) }
            return .success(FrontMatter(yaml: yaml, body: body, bodyStartLine: close + 2))
        }
    }
}

extension Substring {
    func trimmingTrailingSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, let c = self[index(before: end)] as Character?, c == " " || c == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}
