import Foundation
import Mustache

/// The parsed templates, checked once: syntax errors located in their file, partials and parents
/// that exist. Parsed once, rendered many times in parallel.
struct TemplateLibrary: Sendable {
    static let required = ["layout", "index", "situation", "versions", "changes", "print", "page", "404"]

    let library: MustacheLibrary
    let files: [String: SourceFile]

    static func make(_ loaded: LoadedTemplates) -> (TemplateLibrary?, [Diagnostic]) {
        var diagnostics = loaded.diagnostics
        _ = HTMLEscaping.registered
        var library = MustacheLibrary()
        for (name, file) in loaded.templates.sorted(by: { $0.key < $1.key }) {
            do {
                library.register(try MustacheTemplate(string: file.text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(.error(file.path, line: error.context.lineNumber, column: error.context.columnNumber + 1,
                                          "template syntax error: \(describe(error.error))"))
            } catch {
                diagnostics.append(.error(file.path, "template syntax error: \(error)"))
            }
            diagnostics += TemplateTags.scan(file).compactMap { tag in
                switch tag.kind {
                case .partial, .parent:
                    guard loaded.templates[tag.name] == nil else { return nil }
                    return .error(at: tag.location, "template '\(tag.name)' does not exist (no \(tag.name).mustache in \(loaded.root) or \(loaded.root)/partials)")
                case .variable, .section, .inverted:
                    guard !ViewModelNames.isKnown(tag.name) else { return nil }
                    var message = "unknown name '\(tag.name)': no view model has this field, so it would render as nothing"
                    let last = String(tag.name.split(separator: ".").last ?? "")
                    if let guess = ViewModelNames.all.min(by: { editDistance(last, $0) < editDistance(last, $1) }),
                       editDistance(last, guess) <= 2 {
                        message += "; did you mean '\(guess)'?"
                    }
                    return .error(at: tag.location, message)
                default:
                    return nil
                }
            }
        }
        // When the folder itself is missing, that one error says it all.
        for name in required where loaded.templates[name] == nil && !(loaded.templates.isEmpty && !loaded.diagnostics.isEmpty) {
            diagnostics.append(.error(loaded.root, "missing template \(name).mustache"))
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        return (TemplateLibrary(library: library, files: loaded.templates), diagnostics)
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case MustacheTemplate.Error.sectionCloseNameIncorrect: return "section closed with a different name than it was opened with"
        case MustacheTemplate.Error.unfinishedName: return "tag is not closed with }}"
        case MustacheTemplate.Error.expectedSectionEnd: return "section is never closed"
        case MustacheTemplate.Error.invalidSetDelimiter: return "invalid set-delimiter tag"
        case MustacheTemplate.Error.textInsideInheritSection: return "text inside an inheriting section; only {{$block}} definitions may go there"
        case MustacheTemplate.Error.illegalTokenInsideInheritSection: return "only {{$block}} definitions may go inside {{<parent}}"
        default: return "\(error)"
        }
    }

    func render(_ view: Any, template name: String) -> String? {
        library.render(view, withTemplate: name)
    }
}

/// The tags of a template, found by a light scan, so names can be checked against the view models.
struct TemplateTags {
    enum Kind { case variable, section, inverted, close, partial, parent, block, comment, pragma }

    struct Tag {
        var kind: Kind
        var name: String
        var location: SourceLocation
    }

    static func scan(_ file: SourceFile) -> [Tag] {
        var tags: [Tag] = []
        var line = 1
        var column = 1
        var index = file.text.startIndex
        let text = file.text
        while index < text.endIndex {
            if text[index...].hasPrefix("{{"), let close = text[index...].range(of: "}}") {
                var inner = text[text.index(index, offsetBy: 2)..<close.lowerBound]
                var kind = Kind.variable
                if inner.hasPrefix("{") { inner = inner.dropFirst() }
                switch inner.first {
                case "#": kind = .section
                case "^": kind = .inverted
                case "/": kind = .close
                case ">": kind = .partial
                case "<": kind = .parent
                case "$": kind = .block
                case "!": kind = .comment
                case "%": kind = .pragma
                case "&": kind = .variable
                default: break
                }
                if kind != .variable || inner.first == "&" { inner = inner.dropFirst() }
                let name = inner.trimmingCharacters(in: .whitespaces)
                tags.append(Tag(kind: kind, name: name, location: SourceLocation(file: file.path, line: line, column: column)))
                let end = text.index(close.upperBound, offsetBy: text[close.upperBound...].hasPrefix("}") ? 1 : 0)
                for c in text[index..<end] {
                    if c == "\n" { line += 1; column = 1 } else { column += 1 }
                }
                index = end
                continue
            }
            if text[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index = text.index(after: index)
        }
        return tags
    }
}

/// HTML escaping for templates that begin with `{{% CONTENT_TYPE: HTML }}`: the same five
/// characters swift-mustache escapes, found on UTF-8 bytes, and text with none of them (most
/// values) passed through whole. Without the line a template renders the same, more slowly;
/// swift-mustache's own escaping looks every character up in a dictionary.
struct HTMLEscaping: MustacheContentType {
    /// Registered once, under swift-mustache's own name for HTML, before any template is parsed.
    static let registered: Void = MustacheContentTypes.register(HTMLEscaping(), named: "HTML")

    func escapeText(_ text: String) -> String { HTML.escape(text) }
}
