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
    /// - Parameter asBytes: a page filled from a skeleton is given as its bytes (pages are written
    ///   from them), else as a String.
    /// - Parameter typed: the same view as one that answers with `ViewField`s, when the caller
    ///   knows it is one (matched without a cast to find out).
    func render(_ view: any MustacheParent, typed: (any FieldView)? = nil, template: String, asBytes: Bool = false,
                with render: (Any) -> String?) -> RenderedText? {
        lock.lock()
        let tree = trees[template]
        let count = shapes[template]?.count ?? 0
        let isRefused = refused.contains(template)
        lock.unlock()
        if isRefused { return render(view).map(RenderedText.string) }
        if let tree, let page = tree.page(for: view, typed: typed, asBytes: asBytes) { return page }
        if count >= Self.shapesPerTemplate { return render(view).map(RenderedText.string) }
        let recorder = Recorder()
        guard let text = render(RecordingView(node: 0, view: view, recorder: recorder)) else { return nil }
        guard !recorder.failed, let skeleton = Skeleton(text, recorder: recorder) else {
            lock.lock()
            refused.insert(template)
            lock.unlock()
            return render(view).map(RenderedText.string)
        }
        lock.lock()
        // Another core may have recorded the same shape meanwhile: kept once.
        if shapes[template, default: []].count < Self.shapesPerTemplate, trees[template]?.fits(view, typed: typed) != true {
            shapes[template, default: []].append(skeleton)
            trees[template] = ShapeTree(shapes[template]!)
        }
        lock.unlock()
        return skeleton.fill(recorder.values, asBytes: asBytes)
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
        case view(node: Int, type: ObjectIdentifier, as: any ViewCast)
        /// A list of the recorded one's type and `count` entries, as `node`.
        case list(node: Int, count: Int, type: ObjectIdentifier, as: any ListCast)
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

/// A cast of a value found to a recorded view's own type. Each is a struct of no size, so a
/// skeleton's steps hold and call it without retaining anything: a closure's context would be an
/// object whose reference count every core changes at every page.
protocol ViewCast: Sendable {
    func callAsFunction(_ value: Any) -> (any MustacheParent)?
    /// The value as a view that answers with `ViewField`s, where the recorded type is one.
    func typed(_ value: Any) -> (any FieldView)?
}

struct ViewCastTo<View: MustacheParent>: ViewCast {
    func callAsFunction(_ value: Any) -> (any MustacheParent)? { value as? View }
    func typed(_ value: Any) -> (any FieldView)? { nil }
}

struct FieldViewCastTo<View: FieldView>: ViewCast {
    func callAsFunction(_ value: Any) -> (any MustacheParent)? { value as? View }
    func typed(_ value: Any) -> (any FieldView)? { value as? View }
}

/// A list's entries, read one at a time (an array as it is, where mapping it to `[Any]` made a
/// new array of boxed entries for every list of every page).
protocol SkeletonList {
    var count: Int { get }
    func entry(_ index: Int) -> Any
}

extension Array: SkeletonList {
    func entry(_ index: Int) -> Any { self[index] }
}

/// A cast of a value found to a recorded list's own type, as its entries.
protocol ListCast: Sendable {
    func callAsFunction(_ value: Any) -> (any SkeletonList)?
}

struct ListCastTo<List: MustacheSequence>: ListCast {
    func callAsFunction(_ value: Any) -> (any SkeletonList)? {
        guard let list = value as? List else { return nil }
        return list as? [List.Element] ?? Array(list)
    }
}

/// One recorded render: its text, cut at the placeholders, and the lookups that must find the same again.
struct Skeleton: Sendable {
    enum Part: Sendable {
        /// The skeleton's own text: a range of `text`'s bytes.
        case text(Range<Int>)
        case value(Int, escaped: Bool)
    }

    /// The text between the placeholders, one after another as UTF-8: filling a page copies from
    /// it without retaining a string per part (the skeletons are read by every core at once, and
    /// each retain of a shared string is a write to a count the other core reads).
    let text: [UInt8]
    let parts: [Part]
    let steps: [SkeletonStep]
    let nodes: Int
    let holes: Int

    init?(_ rendered: String, recorder: Recorder) {
        var parts: [Part] = []
        var text: [UInt8] = []
        // Text between placeholders; a stray placeholder character means the text is not what the placeholders made.
        func addText(_ scalars: Substring.UnicodeScalarView) -> Bool {
            guard !scalars.isEmpty else { return true }
            let piece = String(scalars)
            guard !Skeletons.holdsPlaceholderCharacters(piece) else { return false }
            let start = text.count
            text += piece.utf8
            parts.append(.text(start..<text.count))
            return true
        }
        var scalars = rendered.unicodeScalars[...]
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
        self.text = text
        self.parts = parts
        self.steps = recorder.steps
        self.nodes = recorder.nodes
        self.holes = recorder.values.count
    }

    /// The page: the skeleton's text with `values` in their places, as a String or as its bytes.
    func fill(_ values: [String], asBytes: Bool) -> RenderedText {
        // Each value as the page shows it: escaped where the template escaped it (made only for
        // the values that need it; most have nothing to escape and are shown as they are).
        var escapedValues: [String?] = []
        for case .value(let index, true) in parts where escapedValues.isEmpty || escapedValues[index] == nil {
            guard HTML.needsEscaping(values[index]) else { continue }
            if escapedValues.isEmpty { escapedValues = Array(repeating: nil, count: values.count) }
            escapedValues[index] = HTML.escape(values[index])
        }
        // A constant, not the variable: a local function passed as a value (`write`, below) would
        // box a variable it captures and check every access to it at run time.
        let escaped = escapedValues
        func shown(_ index: Int, escaped isEscaped: Bool) -> String {
            isEscaped && !escaped.isEmpty ? escaped[index] ?? values[index] : values[index]
        }
        // Then every part copied once into a buffer made to their length.
        var count = 0
        for part in parts {
            switch part {
            case .text(let range): count += range.count
            case .value(let index, let isEscaped): count += shown(index, escaped: isEscaped).utf8.count
            }
        }
        func write(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
            text.withUnsafeBufferPointer { text in
                var at = 0
                func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
                    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
                    (buffer.baseAddress! + at).update(from: source, count: bytes.count)
                    at += bytes.count
                }
                func copy(_ string: String) {
                    if string.utf8.withContiguousStorageIfAvailable(copy) == nil { Array(string.utf8).withUnsafeBufferPointer(copy) }
                }
                for part in parts {
                    switch part {
                    case .text(let range): copy(UnsafeBufferPointer(rebasing: text[range]))
                    case .value(let index, let isEscaped): copy(shown(index, escaped: isEscaped))
                    }
                }
                return at
            }
        }
        if asBytes {
            return .bytes([UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                initialized = write(into: buffer)
            })
        }
        return .string(String(unsafeUninitializedCapacity: count, initializingUTF8With: write))
    }
}

/// A template's skeletons as one tree of their steps. Two skeletons look the same names up in the
/// same order until a lookup finds something else (a flag's other value, a list of another
/// length): they share the steps before it and part there. A view is matched by making each
/// lookup once, down the branch of what it finds, instead of trying the skeletons one by one
/// (pages that differ late, as redlines do in their number of paragraphs, would otherwise make
/// most of their lookups once per skeleton tried). Built once, read by every core: its nodes and
/// branches are values in two arrays, walked by index, so matching a page retains none of the
/// tree (two cores retaining the same node's object took turns at its reference count).
final class ShapeTree: @unchecked Sendable {
    private struct Node {
        /// The lookup made here; nil where a skeleton ends.
        var source: SkeletonStep.Source?
        /// This node's branches in `branches`.
        var branches: Range<Int> = 0..<0
        /// Where a skeleton ends: its index in `skeletons`.
        var skeleton: Int?
    }

    /// What a lookup must find to take a branch: `SkeletonStep.Found` with its casts as indexes
    /// into `viewCasts` and `listCasts`, so reading it copies no existential.
    private enum Test {
        case absent
        case bool(Bool)
        case string(hole: Int)
        case int(hole: Int)
        /// A view of the recorded type (told by `type` from a `ViewField`, by `cast` from an `Any`).
        case view(node: Int, cast: Int, type: ObjectIdentifier)
        case list(node: Int, count: Int, cast: Int, type: ObjectIdentifier)
        case lambda(node: Int)
    }

    private struct Branch {
        var test: Test
        var next: Int
    }

    private let tree: [Node]
    private let branches: [Branch]
    private let viewCasts: [any ViewCast]
    private let listCasts: [any ListCast]
    private let skeletons: [Skeleton]
    let nodes: Int
    let holes: Int

    init(_ skeletons: [Skeleton]) {
        // Built as a tree of branch lists, then laid out in the two arrays.
        var sources: [SkeletonStep.Source?] = [skeletons.first?.steps.first?.source]
        var children: [[(found: SkeletonStep.Found, next: Int)]] = [[]]
        var ends: [Int?] = [nil]
        skeletons: for (number, skeleton) in skeletons.enumerated() {
            var node = 0
            for (index, step) in skeleton.steps.enumerated() {
                // The same lookups in the same order until one finds something else: a template
                // renders the same way for the same finds.
                guard sources[node] == step.source else { continue skeletons }
                let next = index + 1 < skeleton.steps.count ? skeleton.steps[index + 1].source : nil
                if let branch = children[node].first(where: { $0.found.sameKind(as: step.found) }) {
                    node = branch.next
                } else {
                    sources.append(next)
                    children.append([])
                    ends.append(nil)
                    children[node].append((step.found, sources.count - 1))
                    node = sources.count - 1
                }
            }
            // A shape is added once (`Skeletons.render` checks under its lock); should it come twice, the first stands.
            if sources[node] == nil && ends[node] == nil { ends[node] = number }
        }
        var tree: [Node] = []
        var branches: [Branch] = []
        var viewCasts: [any ViewCast] = []
        var listCasts: [any ListCast] = []
        for node in sources.indices {
            let first = branches.count
            for (found, next) in children[node] {
                let test: Test
                switch found {
                case .absent: test = .absent
                case .bool(let flag): test = .bool(flag)
                case .string(let hole): test = .string(hole: hole)
                case .int(let hole): test = .int(hole: hole)
                case .view(let index, let type, let cast):
                    viewCasts.append(cast)
                    test = .view(node: index, cast: viewCasts.count - 1, type: type)
                case .list(let index, let count, let type, let cast):
                    listCasts.append(cast)
                    test = .list(node: index, count: count, cast: listCasts.count - 1, type: type)
                case .lambda(let index): test = .lambda(node: index)
                }
                branches.append(Branch(test: test, next: next))
            }
            tree.append(Node(source: sources[node], branches: first..<branches.count, skeleton: ends[node]))
        }
        self.tree = tree
        self.branches = branches
        self.viewCasts = viewCasts
        self.listCasts = listCasts
        self.skeletons = skeletons
        nodes = skeletons.map(\.nodes).max() ?? 1
        holes = skeletons.map(\.holes).max() ?? 0
    }

    /// The page for the view from the skeleton of its shape, if there is one.
    func page(for root: any MustacheParent, typed: (any FieldView)? = nil, asBytes: Bool) -> RenderedText? {
        guard let (skeleton, values) = match(root, typed: typed) else { return nil }
        return skeletons[skeleton].fill(values, asBytes: asBytes)
    }

    /// Whether a skeleton fits the view.
    func fits(_ root: any MustacheParent, typed: (any FieldView)? = nil) -> Bool {
        match(root, typed: typed) != nil
    }

    /// What a node of a page's shape found.
    private enum Found {
        case none
        case typed(any FieldView)
        case view(any MustacheParent)
        case list(any SkeletonList)

        func lambdaFunction(named name: String) -> ((String) -> String)? {
            switch self {
            case .typed(let view): view.lambdaFunction(named: name)
            case .view(let view): (view as? LambdaCarrying)?.lambdaFunction(named: name)
            default: nil
            }
        }
    }

    /// The index of the skeleton of the view's shape and the view's values for its places, if there is one.
    private func match(_ root: any MustacheParent, typed typedRoot: (any FieldView)?) -> (Int, [String])? {
        // The objects found so far, by node, in one array (made and emptied for every page: three,
        // one for each kind, were a tenth of the matching). A view that answers with `ViewField`s
        // is kept as one (`typed`); any other (a dictionary) as a `MustacheParent`.
        var found = [Found](repeating: .none, count: nodes)
        var lambdas: [((String) -> String)?] = []
        if let root = typedRoot ?? root as? any FieldView { found[0] = .typed(root) } else { found[0] = .view(root) }
        var values = [String](repeating: "", count: holes)
        return tree.withUnsafeBufferPointer { tree in
            branches.withUnsafeBufferPointer { branches -> (Int, [String])? in
                var node = 0
                while let source = tree[node].source {
                    let field: ViewField
                    switch source {
                    case .lookup(let index, let name):
                        switch found[index] {
                        case .typed(let view): field = view.field(named: name)
                        case .view(let view): field = view.child(named: name).map(ViewField.other) ?? .absent
                        default: return nil
                        }
                    case .element(let index, let position):
                        guard case .list(let list) = found[index], position < list.count else { return nil }
                        // Told by the tests below: a list's entries are of one type, most of them views.
                        field = .other(list.entry(position))
                    case .call(let index, let parameter):
                        guard index < lambdas.count, let function = lambdas[index] else { return nil }
                        field = .string(function(parameter))
                    }
                    var matched: Int?
                    branches: for branch in tree[node].branches {
                        switch (branches[branch].test, field) {
                        case (.absent, .absent):
                            break
                        case (.bool(let expected), .bool(let flag)):
                            guard flag == expected else { continue branches }
                        case (.bool(let expected), .other(let value)):
                            guard let flag = value as? Bool, flag == expected else { continue branches }
                        case (.string(let hole), .string(let text)):
                            if case .call = source, Recorder.holdsTag(text) { continue branches }
                            values[hole] = text
                        case (.string(let hole), .other(let value)):
                            guard let text = value as? String else { continue branches }
                            values[hole] = text
                        case (.int(let hole), .int(let number)):
                            values[hole] = String(number)
                        case (.int(let hole), .other(let value)):
                            guard let number = value as? Int else { continue branches }
                            values[hole] = String(number)
                        case (.view(let index, _, let type), .view(let view)):
                            guard ObjectIdentifier(Swift.type(of: view)) == type else { continue branches }
                            found[index] = .typed(view)
                        case (.view(let index, let cast, _), .other(let value)):
                            if let view = viewCasts[cast].typed(value) {
                                found[index] = .typed(view)
                            } else if let view = viewCasts[cast](value) {
                                found[index] = .view(view)
                            } else {
                                continue branches
                            }
                        case (.list(let index, let count, _, let type), .list(let list)):
                            guard list.count == count, ObjectIdentifier(Swift.type(of: list)) == type else { continue branches }
                            found[index] = .list(list)
                        case (.list(let index, let count, let cast, _), .other(let value)):
                            guard let list = listCasts[cast](value), list.count == count else { continue branches }
                            found[index] = .list(list)
                        case (.lambda(let index), .other(let value)):
                            guard value is MustacheLambda, case .lookup(let owner, let name) = source,
                                  let function = found[owner].lambdaFunction(named: name) else {
                                continue branches
                            }
                            if lambdas.count <= index { lambdas += Array(repeating: nil, count: index + 1 - lambdas.count) }
                            lambdas[index] = function
                        default:
                            continue branches
                        }
                        matched = branches[branch].next
                        break
                    }
                    guard let matched else { return nil }
                    node = matched
                }
                guard let skeleton = tree[node].skeleton else { return nil }
                return (skeleton, values)
            }
        }
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
            let entries = cast(value)
            let list: [Any] = entries.map { entries in (0..<entries.count).map(entries.entry) } ?? []
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
    static func viewCast<View: MustacheParent>(_ view: View) -> any ViewCast {
        if let typed = view as? any FieldView { return fieldViewCast(typed) }
        return ViewCastTo<View>()
    }

    private static func fieldViewCast<View: FieldView>(_ view: View) -> any ViewCast { FieldViewCastTo<View>() }

    /// A cast to the type of a list swift-mustache goes over (`MustacheSequence`: arrays, sets), as its entries.
    static func listCast<List: MustacheSequence>(_ list: List) -> any ListCast { ListCastTo<List>() }

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
