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
    /// With `threads` above one, as many threads render at once, each with a template and a view
    /// of its own, and a round counts from the first start to the last end: what a lookup costs
    /// while the other cores look names up too, as in a build.
    static func nanoseconds(rounds: Int = 5, renders: Int = 2_000, threads: Int = 1) -> Double {
        let tags = 100
        let source = String(repeating: "{{{name}}} ", count: tags)
        let templates = (0..<threads).map { _ in try! MustacheTemplate(string: source) }
        var fastest = Double.infinity
        for _ in 0..<rounds {
            let start = DispatchTime.now()
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                let view = View()
                var bytes = 0
                for _ in 0..<renders { bytes &+= templates[thread].render(view).utf8.count }
                precondition(bytes > 0)
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds)
            fastest = min(fastest, elapsed / Double(renders * tags))
        }
        return fastest
    }
}
