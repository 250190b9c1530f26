/// A Markdown file split into its YAML front matter and its body.
public struct FrontMatter: Sendable {
    public var yaml: YAMLNode
    public var body: String
    /// The file's line number of the body's first line.
    public var bodyStartLine: Int
}

extension FrontMatter {
    /// Splits `---` front matter from the body and parses the YAML with file positions.
    static func split(_ file: SourceFile) -> Result<FrontMatter, Diagnostic> {
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingTrailingSpaces() == "---" else {
            return .failure(.error(file.path, line: 1, column: 1,
                                   "missing front matter: the file must start with a line '---', then YAML fields, then another '---'"))
        }
        guard let close = lines.dropFirst().firstIndex(where: { ["---", "..."].contains($0.trimmingTrailingSpaces()) }) else {
            return .failure(.error(file.path, line: 1, column: 1,
                                   "front matter is not closed: add a line '---' after the YAML fields"))
        }
        let yamlText = lines[1..<close].joined(separator: "\n")
        let body = lines[(close + 1)...].joined(separator: "\n")
        switch YAMLParser.parse(yamlText, file: file.path, lineOffset: 1) {
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
