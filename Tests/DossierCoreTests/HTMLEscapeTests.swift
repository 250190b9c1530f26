import Mustache
import PropertyBased
import Testing
@testable import DossierCore

@Suite("HTML escaping")
struct HTMLEscapeTests {
    /// The rule written plainly, one Unicode scalar at a time: the yardstick for the byte-level escaper.
    func model(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    @Test func escapesTheFiveCharactersAndNothingElse() {
        let cases: [(String, String)] = [
            ("", ""),
            ("plain text, nothing to do", "plain text, nothing to do"),
            ("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
            ("Tom & \"Jerry\"", "Tom &amp; &quot;Jerry&quot;"),
            ("&amp;", "&amp;amp;"),
            ("Commission of Inquiry — 2014 · «DPRK»", "Commission of Inquiry — 2014 · «DPRK»"),
            ("조선민주주의인민공화국 <b>", "조선민주주의인민공화국 &lt;b&gt;"),
            // A combining mark after `<` makes one Character with it; the byte rule still escapes the `<`.
            ("<\u{338}", "&lt;\u{338}"),
            ("a\r\n<b", "a\r\n&lt;b"),
        ]
        for (text, expected) in cases {
            #expect(HTML.escape(text) == expected, "\(text)")
            var appended = "kept "
            HTML.escape(text, into: &appended)
            #expect(appended == "kept " + expected, "\(text)")
        }
    }

    @Test func agreesWithThePlainRuleOnRandomText() async {
        let piece = Gen<String?>.element(of: ["a", " ", "&", "<", ">", "\"", "'", "é", "\u{338}", "한", "\n", "&lt;", "👩‍⚖️"]).map { $0! }
        let texts = piece.array(of: 0...12).map { $0.joined() }
        await propertyCheck(count: 1000, input: texts) { text in
            #expect(HTML.escape(text) == model(text), "\(text)")
        }
    }

    /// Whether a value needs escaping is decided eight bytes at a time: the same answer as
    /// byte by byte, wherever the one character to escape falls, among bytes that differ from
    /// the five by one bit or by their high bit, and with multi-byte characters around it.
    @Test func findsTheOneCharacterToEscapeAnywhere() async {
        let near = Gen<String?>.element(of: ["%", "(", "!", "#", ";", "=", "?", "\u{A6}", "\u{BC}", "\u{A2}", "a", " ", "é", "한", "\u{7F}", "\u{0}"])
            .map { $0! }
        let special = Gen<String?>.element(of: ["&", "<", ">", "\"", "'", ""]).map { $0! }
        await propertyCheck(count: 2000, input: near.array(of: 0...40), special, Gen<Int>.int(in: 0...40)) { pieces, one, at in
            var pieces = pieces
            pieces.insert(one, at: min(at, pieces.count))
            let text = pieces.joined()
            let plain = text.utf8.contains { [0x26, 0x3C, 0x3E, 0x22, 0x27].contains($0) }
            #expect(HTML.needsEscaping(text) == plain, "\(text.debugDescription)")
        }
    }

    @Test func templatesEscapeThroughIt() throws {
        _ = HTMLEscaping.registered
        let template = try MustacheTemplate(string: "{{% CONTENT_TYPE: HTML }}<p title=\"{{value}}\">{{value}}</p>{{{value}}}")
        let value = "<\u{338} & 'quoted' \"text\""
        let rendered = template.render(["value": value])
        #expect(rendered == "<p title=\"\(model(value))\">\(model(value))</p>\(value)")
    }
}
