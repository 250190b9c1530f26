/// Prints diagnostics the way compilers do: the message, the source line and a caret.
public struct DiagnosticFormatter: Sendable {
    /// Returns the text of a file by its displayed path, when it is known.
    public var sourceText: @Sendable (String) -> String?
    public var useColour: Bool

    public init(useColour: Bool, sourceText: @escaping @Sendable (String) -> String?) {
        self.useColour = useColour
        self.sourceText = sourceText
    }

    public func format(_ diagnostic: Diagnostic) -> String {
        var out = ""
        var place = diagnostic.file
        if diagnostic.line > 0 {
            place += ":\(diagnostic.line)"
            if diagnostic.column > 0 { place += ":\(diagnostic.column)" }
        }
        let label = diagnostic.severity.rawValue
        if useColour {
            let colour = diagnostic.severity == .error ? "\u{1B}[1;31m" : "\u{1B}[1;35m"
            out += "\u{1B}[1m\(place):\u{1B}[0m \(colour)\(label):\u{1B}[0m \u{1B}[1m\(diagnostic.message)\u{1B}[0m"
        } else {
            out += "\(place): \(label): \(diagnostic.message)"
        }
        if diagnostic.line > 0, let text = sourceText(diagnostic.file) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if diagnostic.line <= lines.count {
                let line = lines[diagnostic.line - 1].replacingTabs()
                out += "\n    " + line
                if diagnostic.column > 0 {
                    let pad = String(repeating: " ", count: max(0, diagnostic.column - 1))
                    out += "\n    " + pad + (useColour ? "\u{1B}[1;32m^\u{1B}[0m" : "^")
                }
            }
        }
        return out
    }
}

extension Substring {
    fileprivate func replacingTabs() -> String {
        String(self.map { $0 == "\t" ? " " : $0 }).trimmingTrailingCR()
    }
}

extension String {
    fileprivate func trimmingTrailingCR() -> String {
        hasSuffix("\r") ? String(dropLast()) : self
    }
}
