import Mustache

/// What a view model answers for a name, by kind. swift-mustache is given it as `Any?`
/// (`child(named:)`); `Skeletons` matches a page on it directly: a string, a number or a flag is
/// read out of the case, and a view or a list is told by its type's identity, where an `Any`
/// had to be copied and cast once for every kind tried (copies, casts and their releases were
/// most of the time spent matching a page to its skeleton).
enum ViewField {
    case absent
    case bool(Bool)
    case int(Int)
    case string(String)
    case view(any FieldView)
    case list(any SkeletonList)
    /// Anything else (a lambda, a dictionary): matched as an `Any`, by casts.
    case other(Any)

    init(_ value: String) { self = .string(value) }
    init(_ value: String?) { self = value.map(ViewField.string) ?? .absent }
    init(_ value: Int) { self = .int(value) }
    init(_ value: Int?) { self = value.map(ViewField.int) ?? .absent }
    init(_ value: Bool) { self = .bool(value) }
    init<View: FieldView>(_ value: View) { self = .view(value) }
    init<View: FieldView>(_ value: View?) { self = value.map { .view($0) } ?? .absent }
    init<Element>(_ value: [Element]) { self = .list(value) }
    init<Element>(_ value: [Element]?) { self = value.map { .list($0) } ?? .absent }
    init(_ value: [String: String]?) { self = value.map { .other($0) } ?? .absent }

    /// The answer as swift-mustache takes it: each value as itself.
    var value: Any? {
        switch self {
        case .absent: nil
        case .bool(let flag): flag
        case .int(let number): number
        case .string(let text): text
        case .view(let view): view
        case .list(let list): list
        case .other(let value): value
        }
    }

    /// This answer, or `other` where there is none.
    func or(_ other: @autoclosure () -> ViewField) -> ViewField {
        if case .absent = self { return other() }
        return self
    }
}

/// A view model that answers names with `ViewField`s; swift-mustache's `child(named:)` is made
/// from it. Its lambdas, if it has any, are its own (`LambdaCarrying`): none unless it says so.
protocol FieldView: MustacheParent, LambdaCarrying {
    func field(named name: String) -> ViewField
}

extension FieldView {
    func child(named name: String) -> Any? { field(named: name).value }
    func lambdaFunction(named name: String) -> ((String) -> String)? { nil }
}
