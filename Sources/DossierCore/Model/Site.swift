/// The site's settings from `site.yaml`.
public struct Site: Sendable, Hashable {
    public enum Paper: String, Sendable, Hashable, CaseIterable {
        case a4 = "A4"
        case letter = "Letter"
    }

    public struct Organisation: Sendable, Hashable {
        public var name: String
        public var address: [String]
    }

    public var title: String
    /// Always ends with `/`.
    public var baseURL: String
    public var language: String
    public var paper: Paper
    public var staleAfterDays: Int?
    public var organisation: Organisation
    /// Ordered from most to least severe.
    public var riskLevels: [RiskLevel]
    public var sections: [String]
    public var unsafeHTML: Bool

    public func riskLevel(id: String) -> RiskLevel? {
        riskLevels.first { $0.id == id }
    }
}

public struct RiskLevel: Sendable, Hashable {
    public var id: String
    public var label: String
    public var definition: String
    /// 0 is the most severe.
    public var rank: Int
}
