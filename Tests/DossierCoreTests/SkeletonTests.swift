import Foundation
import Mustache
import PropertyBased
import Testing
@testable import DossierCore

/// Templates rendered once per shape of view (`Skeletons`): every page must come out exactly as
/// swift-mustache renders it, whatever its values hold, and a template that uses anything where a
/// value's text counts must be rendered in full.
@Suite("Skeletons: templates rendered once per shape")
struct SkeletonTests {
    /// A view of any fields, with a lambda (`shout`) the skeletons can call, as the pages' `asset`.
    struct Bag: MustacheParent, LambdaCarrying {
        var fields: [String: Any]

        func child(named name: String) -> Any? {
            if name == "shout", let function = lambdaFunction(named: name) { return MustacheLambda(function) }
            return fields[name]
        }

        func lambdaFunction(named name: String) -> ((String) -> String)? {
            guard name == "shout", let root = fields["root"] as? String else { return nil }
            return { root + $0.uppercased() }
        }
    }

    static let templates: [String: String] = [
        "main": """
        {{% CONTENT_TYPE: HTML }}
        <h1 title="{{title}}">{{{raw}}}</h1>
        {{#flag}}<p>{{title}} {{number}}</p>{{/flag}}{{^flag}}<p>no</p>{{/flag}}
        <ul>
        {{#items}}
        <li>{{name}} / {{title}} / {{#flag}}on{{/flag}}{{^flag}}off{{/flag}} {{number}}</li>
        {{/items}}
        {{^items}}<li>none</li>{{/items}}
        </ul>
        {{#opt}}<em>{{.}}</em>{{/opt}}{{^opt}}-{{/opt}}
        {{child.name}} {{#child}}{{name}}: {{raw}}{{/child}}
        {{>part}}
        <a href="{{#shout}}logo{{/shout}}">{{shout}}</a> {{title}}{{title}}
        """,
        "part": """
        {{% CONTENT_TYPE: HTML }}
        <footer>{{{title}}}{{#child}}<b>{{title}}</b>{{/child}}</footer>
        """,
        // A view shown whole: not what placeholders can stand for.
        "whole": """
        {{% CONTENT_TYPE: HTML }}
        {{#child}}{{.}}{{/child}}
        """,
    ]

    static let library: MustacheLibrary = {
        _ = HTMLEscaping.registered
        var library = MustacheLibrary()
        for (name, text) in templates { library.register(try! MustacheTemplate(string: text), named: name) }
        return library
    }()

    /// Text that matters to HTML, to Mustache and to the placeholders themselves.
    static let alphabet = Array("ab <>&\"'\n{}é😀\u{E000}\u{E001}0123456789")
    static let text = Gen<Character?>.element(of: alphabet).map { $0! }.string(of: 0...12)

    /// A view made from random parts: which fields exist, flags, list lengths and texts.
    static func view(texts: [String], flags: [Bool], count: Int, number: Int) -> Bag {
        var fields: [String: Any] = ["title": texts[0], "raw": texts[1], "flag": flags[0], "number": number,
                                     "root": ["", "../", "../../"][abs(number) % 3]]
        fields["items"] = (0..<count).map { index in
            Bag(fields: ["name": texts[(2 + index) % texts.count], "flag": flags[(1 + index) % flags.count], "number": index])
        }
        if flags[1] { fields["opt"] = texts[3] }
        if flags[2] { fields["child"] = Bag(fields: flags[3] ? ["name": texts[4], "raw": texts[5]] : ["name": texts[4]]) }
        // An empty title becomes a missing one, which swift-mustache then looks for down the stack.
        return fields["title"] as? String == "" ? Bag(fields: fields.filter { $0.key != "title" }) : Bag(fields: fields)
    }

    @Test func everyViewComesOutAsSwiftMustacheRendersIt() async {
        let skeletons = Skeletons()
        await propertyCheck(count: 400, input: Self.text.array(of: 6...6), Gen.bool.array(of: 4...4), Gen.int(in: 0...3),
                            Gen.int(in: -20...20)) { texts, flags, count, number in
            let view = Self.view(texts: texts, flags: flags, count: count, number: number)
            let plain = Self.library.render(view, withTemplate: "main")
            let filled = skeletons.render(view, template: "main") { Self.library.render($0, withTemplate: "main") }?.string
            #expect(filled == plain, "\(texts) \(flags) \(count)")
            // A page is filled as its bytes: the same bytes.
            let page = skeletons.render(view, template: "main", asBytes: true) { Self.library.render($0, withTemplate: "main") }
            #expect(page.map { text in text.withBytes { Array($0) } } == plain.map { Array($0.utf8) }, "\(texts) \(flags) \(count)")
        }
        // The views came in a few shapes (flags, optional fields, list lengths), each rendered once.
        #expect(skeletons.refusedTemplates.isEmpty)
        let shapes = skeletons.counts["main"] ?? 0
        #expect(shapes >= 4 && shapes <= Skeletons.shapesPerTemplate, "\(shapes) shapes")
    }

    /// The same view, answering with `ViewField`s as the site's view models do: what the
    /// skeletons match on without casts.
    struct TypedBag: FieldView, LambdaCarrying {
        var bag: Bag

        init(_ bag: Bag) {
            var fields = bag.fields
            for (name, value) in fields {
                if let child = value as? Bag { fields[name] = TypedBag(child) }
                if let items = value as? [Bag] { fields[name] = items.map(TypedBag.init) }
            }
            self.bag = Bag(fields: fields)
        }

        func field(named name: String) -> ViewField {
            if name == "shout", let function = lambdaFunction(named: name) { return .other(MustacheLambda(function)) }
            switch bag.fields[name] {
            case nil: return .absent
            case let text as String: return .string(text)
            case let number as Int: return .int(number)
            case let flag as Bool: return .bool(flag)
            case let child as TypedBag: return .view(child)
            case let items as [TypedBag]: return .list(items)
            case let value?: return .other(value)
            }
        }

        func lambdaFunction(named name: String) -> ((String) -> String)? { bag.lambdaFunction(named: name) }
    }

    @Test func everyTypedViewComesOutAsSwiftMustacheRendersIt() async {
        let skeletons = Skeletons()
        await propertyCheck(count: 400, input: Self.text.array(of: 6...6), Gen.bool.array(of: 4...4), Gen.int(in: 0...3),
                            Gen.int(in: -20...20)) { texts, flags, count, number in
            let view = TypedBag(Self.view(texts: texts, flags: flags, count: count, number: number))
            let plain = Self.library.render(view, withTemplate: "main")
            let render = { skeletons.render(view, template: "main", asBytes: true) { Self.library.render($0, withTemplate: "main") } }
            #expect(render().map { text in text.withBytes { Array($0) } } == plain.map { Array($0.utf8) }, "\(texts) \(flags) \(count)")
            // Its shape is known now: the same view again is filled from it, and adds none.
            let shapes = skeletons.counts["main"]
            #expect(render().map { text in text.withBytes { Array($0) } } == plain.map { Array($0.utf8) })
            #expect(skeletons.counts["main"] == shapes, "a typed view of a known shape was not matched")
        }
        #expect(skeletons.refusedTemplates.isEmpty)
    }

    @Test func aViewShownWholeIsRenderedInFull() {
        let skeletons = Skeletons()
        for name in ["x", "y"] {
            let view = Bag(fields: ["child": Bag(fields: ["name": name])])
            let filled = skeletons.render(view, template: "whole") { Self.library.render($0, withTemplate: "whole") }?.string
            #expect(filled == Self.library.render(view, withTemplate: "whole"))
        }
        #expect(skeletons.refusedTemplates == ["whole"])
    }

    /// A lambda's text is rendered by swift-mustache as a template: text with a tag in it is not a value.
    @Test func aLambdaThatWritesATagIsRenderedInFull() {
        let skeletons = Skeletons()
        let view = Self.view(texts: ["t", "r", "n", "o", "c", "d"], flags: [true, true, true, true], count: 1, number: 0)
        var tagged = view
        tagged.fields["root"] = "{{title}}"
        for bag in [view, tagged, view] {
            let filled = skeletons.render(bag, template: "main") { Self.library.render($0, withTemplate: "main") }?.string
            #expect(filled == Self.library.render(bag, withTemplate: "main"))
        }
        #expect(Self.library.render(tagged, withTemplate: "main")?.contains("<a href=\"tLOGO\">") == true)
        #expect(skeletons.refusedTemplates == ["main"])
    }

    @Test(arguments: [
        ("{{% CONTENT_TYPE: HTML }}\n{{uppercased(title)}}", "page.mustache:2:1 uses a transform"),
        ("{{% CONTENT_TYPE: HTML }}\n  {{>part}}\n", "page.mustache:2:3 indents a partial or block on a line of its own"),
        ("{{% CONTENT_TYPE: HTML }}\n{{>*name}}", "page.mustache:2:1 uses a dynamic partial"),
        ("{{title}}", "page.mustache does not begin with {{% CONTENT_TYPE: HTML }}"),
        ("{{% CONTENT_TYPE: TEXT }}\n{{title}}", "page.mustache does not begin with {{% CONTENT_TYPE: HTML }}"),
        ("{{% CONTENT_TYPE: HTML }}\n{{=<% %>=}}", "page.mustache changes the delimiters"),
        ("{{% CONTENT_TYPE: HTML }}\n\u{E000}", "page.mustache holds U+E000 or U+E001"),
    ])
    func templatesWhoseOutputReadsAValuesTextAreRenderedInFull(text: String, reason: String) {
        let file = SourceFile(path: "page.mustache", text: text)
        #expect(TemplateLibrary.skeletonsRefusal(["page": file], tags: ["page": TemplateTags.scan(file)]) == reason)
        // Inline partials are not indented, and the project's templates qualify.
        let inline = SourceFile(path: "page.mustache", text: "{{% CONTENT_TYPE: HTML }}\n<p>{{>part}}</p>")
        #expect(TemplateLibrary.skeletonsRefusal(["page": inline], tags: ["page": TemplateTags.scan(inline)]) == nil)
    }

    /// The sample site and the fixture with every kind of page, built with skeletons and without:
    /// the same bytes, and no template rendered in full.
    @Test(arguments: ["sample", "every-page"])
    func sitesComeOutTheSameWithSkeletonsAndWithout(site: String) async throws {
        let root = site == "sample" ? Fixture.projectRoot : Fixture.projectRoot.appendingPathComponent("Tests/Fixtures/every-page")
        var fixture = try Fixture.directory(root, folders: ["Content"])
        fixture.files.merge(try Fixture.directory(Fixture.projectRoot, folders: ["Templates"]).files) { own, _ in own }
        var options = Builder.Options(drafts: true, today: IsoDate("2026-01-01")!)
        options.skeletonsFromPages = 0
        let filled = await Builder(fileSystem: fixture.fileSystem).generate(options)
        options.skeletons = false
        let full = await Builder(fileSystem: fixture.fileSystem).generate(options)
        #expect(filled.errors.isEmpty, "\(filled.errors)")
        #expect(filled.files.count > 15)
        #expect(filled.files == full.files)
        #expect(filled.skeletons?.refusedTemplates.isEmpty == true)
        #expect(filled.templateShapes?.contains("page situation") == true, "\(filled.templateShapes ?? "")")
        #expect(full.templateShapes == nil)
        // A build of so few pages renders each in full unless told otherwise, and says so.
        let small = await Builder(fileSystem: fixture.fileSystem).generate(Builder.Options(drafts: true, today: IsoDate("2026-01-01")!))
        #expect(small.files == full.files)
        #expect(small.templateShapes?.hasPrefix("none: every page is rendered in full, as this build makes about") == true,
                "\(small.templateShapes ?? "")")
    }
}
