import Foundation
import Mustache

/// Renders each template once per shape of view, and every other view of that shape by filling
/// in its texts.
///
/// Most of a build's time in the template engine is swift-mustache looking names up (a string
/// split, a copy of its context, several dynamic casts for each), and pages of one kind differ
/// mostly in their texts: a snapshot of one update and of another look up the same names in the
/// same order and take the same turns at every section, and only the strings and numbers they
/// find differ. So a template is rendered by swift-mustache with a view whose every string and
/// number is a placeholder: the output is a skeleton, the template's text with a placeholder
/// wherever a value went, escaped or not as the template had it. The render also records every
/// name it looked up, on which object, and what it found (a flag's value, a value's absence, a
/// list's length, a view's type). For the next view, those lookups are made again, directly on
/// the view; if each finds what the skeleton's did, swift-mustache would take the same turns and
/// write the same text around other values, so the page is the skeleton with the view's values
/// put in its places (escaped where the placeholder was). Otherwise the view has another shape,
/// and is rendered, and recorded, in its turn.
///
/// This holds only where what swift-mustache writes depends on a value's kind and not on its
/// text. `TemplateLibrary.make` turns skeletons off for templates that use anything where the
/// text counts: transforms (`{{uppercased(name)}}`), dynamic partials (`{{>*name}}`), partials
/// and blocks indented on a line of their own (swift-mustache indents after each line break of
/// the text before them), changed delimiters, another content type than HTML, or the
/// placeholders' own characters. A render that shows a whole view or list (`{{.}}` on a view)
/// or that meets a value of another kind is never used as a skeleton, and its template is then
/// rendered in full from there on. Tests build the sample site, the fixture and variants of its
/// templates with skeletons and without, and compare every byte.
final class Skeletons: @unchecked Sendable {
    /// The shapes kept per template; a template with more renders the rest in full. A view is
    /// matched in one pass over the tree whatever the number of shapes, so the bound is only on
    /// memory (a redline's skeleton is a few kilobytes). Redlines have the most shapes, one for
    /// each way of counting sections and paragraphs: 23 for the benchmark's 1,800.
    static let shapesPerTemplate = 256

    private let lock = NSLock()
    private var shapes: [String: [Skeleton]] = [:]
    /// Each template's skeletons as one tree of their lookups, rebuilt when one is added.
    private var trees: [String: ShapeTree] = [:]
    private var refused: Set<String> = []

    /// What `template` shows for `view`, from a skeleton when one fits, else rendered (and kept).
    /// - Parameter render: swift-mustache's render of a view with the template.
    func render(_ view: any MustacheParent, template: String, with render: (Any) -> String?) -> String? {
        lock.lock()
        let tree = trees[template]
        let count = shapes[template]?.count ?? 0
        let isRefused = refused.contains(template)
        lock.unlock()
        if isRefused { return render(view) }
        if let tree, let (skeleton, values) = tree.skeleton(for: view) { return skeleton.fill(values) }
        if count >= Self.shapesPerTemplate { return render(view) }
        let recorder = Recorder()
        guard let text = render(RecordingView(node: 0, view: view, recorder: recorder)) else { return nil }
        guard !recorder.failed, let skeleton = Skeleton(text, recorder: recorder) else {
            lock.lock()
            refused.insert(template)
            lock.unlock()
            return render(view)
        }
        lock.lock()
        // Another core may have recorded the same shape meanwhile: kept once.
        if shapes[template, default: []].count < Self.shapesPerTemplate, trees[template]?.skeleton(for: view) == nil {
            shapes[template, default: []].append(skeleton)
            trees[template] = ShapeTree(shapes[template]!)
        }
        lock.unlock()
        return skeleton.fill(recorder.values)
    }

    /// How many shapes each template has (for tests).
    var counts: [String: Int] {
        lock.lock()
        defer { lock.unlock() }
        return shapes.mapValues(\.count)
    }

    var refusedTemplates: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return refused
    }

    // MARK: placeholders

    /// A placeholder is U+E000, `<`, the value's number, `>`, U+E001: escaped, its angle brackets
    /// become `&lt;` and `&gt;`, which is how the skeleton tells an escaped value from a raw one.
    static let start: Unicode.Scalar = "\u{E000}"
    static let end: Unicode.Scalar = "\u{E001}"

    static func placeholder(_ index: Int) -> String {
        "\u{E000}<\(index)>\u{E001}"
    }

    /// Whether text holds either of the placeholders' own characters.
    static func holdsPlaceholderCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 == start || $0 == end }
    }
}

/// Where a value came from in a recorded render, and what it was.
struct SkeletonStep: Sendable {
    enum Source: Sendable, Equatable {
        /// A name looked up on a view.
        case lookup(node: Int, name: String)
        /// An entry of a list.
        case element(node: Int, index: Int)
        /// A lambda called with the text of its section.
        case call(node: Int, parameter: String)
    }

    enum Found: Sendable {
        case absent
        case bool(Bool)
        case string(hole: Int)
        case int(hole: Int)
        /// A view of the recorded one's type, looked up further as `node`. `as` is that type's
        /// cast: a cast to a known type is a comparison, where a cast to a protocol asks the
        /// runtime's conformance cache, shared by every core.
        case view(node: Int, type: ObjectIdentifier, as: @Sendable (Any) -> (any MustacheParent)?)
        /// A list of the recorded one's type and `count` entries, as `node`.
        case list(node: Int, count: Int, type: ObjectIdentifier, as: @Sendable (Any) -> [Any]?)
        /// A lambda of ours, as `node`.
        case lambda(node: Int)

        /// Whether a lookup that found `other` takes the same branch: the same kind of value, and
        /// the same flag, type or length.
        func sameKind(as other: Found) -> Bool {
            switch (self, other) {
            case (.absent, .absent), (.string, .string), (.int, .int), (.lambda, .lambda): true
            case (.bool(let a), .bool(let b)): a == b
            case (.view(_, let a, _), .view(_, let b, _)): a == b
            case (.list(_, let a, let typeA, _), .list(_, let b, let typeB, _)): a == b && typeA == typeB
            default: false
            }
        }
    }

    var source: Source
    var found: Found
}

/// A view's own lambda (`{{#asset}}…{{/asset}}`), as a function the skeletons can call: swift-mustache
/// keeps a lambda's function to itself.
protocol LambdaCarrying {
    func lambdaFunction(named name: String) -> ((String) -> String)?
}

/// One recorded render: its text, cut at the placeholders, and the lookups that must find the same again.
struct Skeleton: Sendable {
    enum Part: Sendable {
        case text(String)
        case value(Int, escaped: Bool)
    }

    let parts: [Part]
    let steps: [SkeletonStep]
    let nodes: Int
    let holes: Int

    init?(_ text: String, recorder: Recorder) {
        var parts: [Part] = []
        // Text between placeholders; a stray placeholder character means the text is not what the placeholders made.
        func addText(_ scalars: Substring.UnicodeScalarView) -> Bool {
            guard !scalars.isEmpty else { return true }
            let text = String(scalars)
            guard !Skeletons.holdsPlaceholderCharacters(text) else { return false }
            parts.append(.text(text))
            return true
        }
        var scalars = text.unicodeScalars[...]
        while let start = scalars.firstIndex(of: Skeletons.start) {
            guard addText(scalars[..<start]) else { return nil }
            var rest = scalars[scalars.index(after: start)...]
            let escaped: Bool
            if rest.starts(with: "<".unicodeScalars) {
                escaped = false
                rest = rest.dropFirst(1)
            } else if rest.starts(with: "&lt;".unicodeScalars) {
                escaped = true
                rest = rest.dropFirst(4)
            } else {
                return nil
            }
            let digits = rest.prefix { ("0"..."9").contains($0) }
            guard let index = Int(String(digits)), index < recorder.values.count else { return nil }
            rest = rest[digits.endIndex...]
            let close = (escaped ? "&gt;\u{E001}" : ">\u{E001}").unicodeScalars
            guard rest.starts(with: close) else { return nil }
            parts.append(.value(index, escaped: escaped))
            scalars = rest.dropFirst(close.count)
        }
        guard addText(scalars) else { return nil }
        self.parts = parts
        self.steps = recorder.steps
        self.nodes = recorder.nodes
        self.holes = recorder.values.count
    }

    /// The page: the skeleton's text with `values` in their places.
    func fill(_ values: [String]) -> String {
        // Each part's text first (a value escaped where the template escaped it; most have
        // nothing to escape and are the value itself), then copied once into a String made to
        // their length: appended one by one, each of a page's hundreds of parts cost a String append.
        var pieces: [String] = []
        pieces.reserveCapacity(parts.count)
        var count = 0
        for part in parts {
            let piece: String
            switch part {
            case .text(let text): piece = text
            case .value(let index, let escaped): piece = escaped ? HTML.escape(values[index]) : values[index]
            }
            count += piece.utf8.count
            pieces.append(piece)
        }
        return String(unsafeUninitializedCapacity: count) { buffer in
            var at = 0
            for var piece in pieces {
                piece.withUTF8 { bytes in
                    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
                    (buffer.baseAddress! + at).update(from: source, count: bytes.count)
                    at += bytes.count
                }
            }
            return at
        }
    }
}

/// A template's skeletons as one tree of their steps. Two skeletons look the same names up in the
/// same order until a lookup finds something else (a flag's other value, a list of another
/// length): they share the steps before it and part there. A view is matched by making each
/// lookup once, down the branch of what it finds, instead of trying the skeletons one by one
/// (pages that differ late, as redlines do in their number of paragraphs, would otherwise make
/// most of their lookups once per skeleton tried). Built once, read by every core.
final class ShapeTree: @unchecked Sendable {
    final class Node {
        /// The lookup made here; nil where a skeleton ends.
        var source: SkeletonStep.Source?
        var branches: [(found: SkeletonStep.Found, next: Node)] = []
        var skeleton: Skeleton?

        init(source: SkeletonStep.Source?) {
            self.source = source
        }
    }

    let root: Node
    let nodes: Int
    let holes: Int

    init(_ skeletons: [Skeleton]) {
        root = Node(source: skeletons.first?.steps.first?.source)
        nodes = skeletons.map(\.nodes).max() ?? 1
        holes = skeletons.map(\.holes).max() ?? 0
        skeletons: for skeleton in skeletons {
            var node = root
            for (index, step) in skeleton.steps.enumerated() {
                // The same lookups in the same order until one finds something else: a template
                // renders the same way for the same finds.
                guard node.source == step.source else { continue skeletons }
                let next = index + 1 < skeleton.steps.count ? skeleton.steps[index + 1].source : nil
                if let branch = node.branches.first(where: { $0.found.sameKind(as: step.found) }) {
                    node = branch.next
                } else {
                    let child = Node(source: next)
                    node.branches.append((step.found, child))
                    node = child
                }
            }
            // A shape is added once (`Skeletons.render` checks under its lock); should it come twice, the first stands.
            if node.source == nil && node.skeleton == nil { node.skeleton = skeleton }
        }
    }

    private enum Value {
        case none
        case view(any MustacheParent)
        case list([Any])
        case lambda((String) -> String)
    }

    /// The skeleton of the view's shape and the view's values for its places, if there is one.
    func skeleton(for root: any MustacheParent) -> (Skeleton, [String])? {
        var objects = [Value](repeating: .none, count: nodes)
        objects[0] = .view(root)
        var values = [String](repeating: "", count: holes)
        var node = self.root
        while let source = node.source {
            let value: Any?
            var owner: (any MustacheParent)?
            var lookedUp = ""
            switch source {
            case .lookup(let index, let name):
                guard case .view(let view) = objects[index] else { return nil }
                value = view.child(named: name)
                owner = view
                lookedUp = name
            case .element(let index, let position):
                guard case .list(let list) = objects[index], position < list.count else { return nil }
                value = list[position]
            case .call(let index, let parameter):
                guard case .lambda(let function) = objects[index] else { return nil }
                value = function(parameter)
            }
            var matched: Node?
            branches: for (found, next) in node.branches {
                switch found {
                case .absent:
                    guard value == nil else { continue branches }
                case .bool(let expected):
                    guard let flag = value as? Bool, flag == expected else { continue branches }
                case .string(let hole):
                    guard let text = value as? String else { continue branches }
                    if case .call = source, Recorder.holdsTag(text) { continue branches }
                    values[hole] = text
                case .int(let hole):
                    guard let number = value as? Int else { continue branches }
                    values[hole] = String(number)
                case .view(let index, _, let cast):
                    guard let value, let view = cast(value) else { continue branches }
                    objects[index] = .view(view)
                case .list(let index, let count, _, let cast):
                    guard let value, let list = cast(value), list.count == count else { continue branches }
                    objects[index] = .list(list)
                case .lambda(let index):
                    guard value is MustacheLambda, let function = (owner as? LambdaCarrying)?.lambdaFunction(named: lookedUp) else {
                        continue branches
                    }
                    objects[index] = .lambda(function)
                }
                matched = next
                break
            }
            guard let matched else { return nil }
            node = matched
        }
        guard let skeleton = node.skeleton else { return nil }
        return (skeleton, values)
    }
}

/// Records a render made with placeholders: what each lookup found, and the values the placeholders stand for.
final class Recorder: @unchecked Sendable {
    private(set) var steps: [SkeletonStep] = []
    private(set) var values: [String] = []
    private(set) var nodes = 1
    /// The render met something a skeleton cannot stand for.
    private(set) var failed = false
    /// What each name looked up on each view, and each lambda called with each text, was shown as:
    /// a view answers a name the same every time, so a name looked up again (`{{root}}` on every
    /// link) is one step and one value, and a view found again is the same node.
    private var seen: [String: Any?] = [:]

    func lookup(_ name: String, on view: any MustacheParent, node: Int) -> Any? {
        let key = "\(node) \(name)"
        if let shown = seen[key] { return shown }
        let value = view.child(named: name)
        let index = steps.count
        steps.append(SkeletonStep(source: .lookup(node: node, name: name), found: .absent))
        let (found, shown) = record(value, lambda: value is MustacheLambda ? (view as? LambdaCarrying)?.lambdaFunction(named: name) : nil)
        steps[index].found = found
        seen[key] = .some(shown)
        return shown
    }

    func call(_ function: @escaping (String) -> String, node: Int, parameter: String) -> Any? {
        let key = "\(node)(\(parameter)"
        if let shown = seen[key] { return shown }
        let text = function(parameter)
        // swift-mustache renders a lambda's text as a template: only plain text is a value.
        if Self.holdsTag(text) { failed = true }
        let hole = values.count
        values.append(text)
        steps.append(SkeletonStep(source: .call(node: node, parameter: parameter), found: .string(hole: hole)))
        let shown = Skeletons.placeholder(hole)
        seen[key] = .some(shown)
        return shown
    }

    private func newNode() -> Int {
        defer { nodes += 1 }
        return nodes
    }

    /// What a value found is, and what the recorded render is shown in its place.
    private func record(_ value: Any?, lambda: ((String) -> String)?) -> (SkeletonStep.Found, Any?) {
        guard let value else { return (.absent, nil) }
        if let text = value as? String {
            values.append(text)
            return (.string(hole: values.count - 1), Skeletons.placeholder(values.count - 1))
        }
        if let number = value as? Int {
            values.append(String(number))
            return (.int(hole: values.count - 1), Skeletons.placeholder(values.count - 1))
        }
        if let flag = value as? Bool { return (.bool(flag), flag) }
        if value is MustacheLambda {
            guard let lambda else {
                failed = true
                return (.absent, value)
            }
            let node = newNode()
            return (.lambda(node: node), MustacheLambda { [self] parameter in call(lambda, node: node, parameter: parameter) })
        }
        if let sequence = value as? any MustacheSequence {
            let cast = Self.listCast(sequence)
            let list = cast(value) ?? []
            let node = newNode()
            var shown: [Any] = []
            shown.reserveCapacity(list.count)
            for (index, entry) in list.enumerated() {
                let step = steps.count
                steps.append(SkeletonStep(source: .element(node: node, index: index), found: .absent))
                let (found, entryShown) = record(entry, lambda: nil)
                steps[step].found = found
                guard let entryShown else {
                    failed = true
                    return (.absent, value)
                }
                shown.append(entryShown)
            }
            return (.list(node: node, count: list.count, type: ObjectIdentifier(type(of: value)), as: cast),
                    RecordingList(entries: shown, recorder: self))
        }
        if let view = value as? any MustacheParent {
            let node = newNode()
            return (.view(node: node, type: ObjectIdentifier(type(of: value)), as: Self.viewCast(view)),
                    RecordingView(node: node, view: view, recorder: self))
        }
        failed = true
        return (.absent, value)
    }

    /// A cast to the type of `view`, as a view.
    static func viewCast<View: MustacheParent>(_ view: View) -> @Sendable (Any) -> (any MustacheParent)? {
        { $0 as? View }
    }

    /// A cast to the type of a list swift-mustache goes over (`MustacheSequence`: arrays, sets), as its entries.
    static func listCast<List: MustacheSequence>(_ list: List) -> @Sendable (Any) -> [Any]? {
        { ($0 as? List)?.map { $0 as Any } }
    }

    /// Whether text holds `{{`: swift-mustache renders a lambda's text as a template.
    static func holdsTag(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x7B && previous == 0x7B { return true }
            previous = byte
        }
        return false
    }

    /// A render showed a whole view or list (`{{.}}`), whose text is not a placeholder's.
    func shownWhole() -> String {
        failed = true
        return ""
    }
}

/// A view as the recorded render sees it: every name looked up through the recorder.
struct RecordingView: MustacheParent, MustacheCustomRenderable {
    let node: Int
    let view: any MustacheParent
    let recorder: Recorder

    func child(named name: String) -> Any? {
        recorder.lookup(name, on: view, node: node)
    }

    // A view shown whole (`{{.}}`) prints the view itself, not placeholders: no skeleton.
    var renderText: String { recorder.shownWhole() }
    var isNull: Bool { false }
}

/// A list as the recorded render sees it: its entries as recorded. swift-mustache finds no names
/// on a list (it reads them by reflection, and an array's entries have none), and neither does this.
struct RecordingList: MustacheSequence, MustacheParent, MustacheCustomRenderable {
    let entries: [Any]
    let recorder: Recorder

    func makeIterator() -> IndexingIterator<[Any]> { entries.makeIterator() }
    func child(named name: String) -> Any? { nil }
    var renderText: String { recorder.shownWhole() }
    var isNull: Bool { false }
}
