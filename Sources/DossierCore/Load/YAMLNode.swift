/// A YAML value with the place it came from, so validation can point at it.
/// Our own Sendable copy of what Yams composes; nothing past `load` sees Yams.
public struct YAMLNode: Sendable {
    public indirect enum Value: Sendable {
        /// A scalar's text; `plain` is false when it was quoted or a block scalar.
        case scalar(String, plain: Bool)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
        case null
    }

    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// The scalar's text, if this is a scalar.
    public var scalar: String? {
        if case .scalar(let text, _) = value { return text }
        return nil
    }

    public var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = value { return pairs }
        return nil
    }

    public var items: [YAMLNode]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    public var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    /// What an editor would call this kind of value, for messages.
    public var kindName: String {
        switch value {
        case .scalar: return "a value"
        case .mapping: return "a mapping of keys"
        case .sequence: return "a list"
        case .null: return "nothing"
        }
    }
}

public struct YAMLPair: Sendable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: YAMLNode
}
