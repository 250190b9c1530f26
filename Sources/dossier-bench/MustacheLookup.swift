import Dispatch
import Mustache

/// What looking up one name costs in swift-mustache, apart from any page: the template engine's
/// share of a build is this cost times the names its pages look up. The view answers by a `switch`,
/// as Dossier's view models do; its values are strings, which render as themselves; and the tags
/// are `{{{name}}}`, so no escaping is counted.
enum MustacheLookup {
    struct View: MustacheParent {
        var name = "Democratic People's Republic of Korea"
        var headline = "Crimes against humanity continue"
        var region = "East Asia"

        func child(named key: String) -> Any? {
            switch key {
            case "name": name
            case "headline": headline
            case "region": region
            default: nil
            }
        }
    }

    /// Nanoseconds per lookup: the fastest of a few rounds of a template holding only names.
    static func nanoseconds(rounds: Int = 5, renders: Int = 2_000) -> Double {
        let tags = 100
        let template = try! MustacheTemplate(string: String(repeating: "{{{name}}} ", count: tags))
        let view = View()
        var fastest = Double.infinity
        var bytes = 0
        for _ in 0..<rounds {
            let start = DispatchTime.now()
            for _ in 0..<renders { bytes &+= template.render(view).utf8.count }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds)
            fastest = min(fastest, elapsed / Double(renders * tags))
        }
        precondition(bytes > 0)
        return fastest
    }
}
