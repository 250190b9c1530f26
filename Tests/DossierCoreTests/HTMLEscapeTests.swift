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

    @Test func templatesEscapeThroughIt() throws {
        _ = HTMLEscaping.registered
        let template = try MustacheTemplate(string: "{{% CONTENT_TYPE: HTML }}<p title=\"{{value}}\">{{value}}</p>{{{value}}}")
        let value = "<\u{338} & 'quoted' \"text\""
        let rendered = template.render(["value": value])
        #expect(rendered == "<p title=\"\(model(value))\">\(model(value))</p>\(value)")
    }
}
