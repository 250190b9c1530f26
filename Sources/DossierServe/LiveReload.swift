import Foundation

/// The few lines the preview adds to every HTML page it serves; the published site never has them.
enum LiveReload {
    static let eventsPath = "/__dossier/events"

    static let script = """
    <script>
    (function () {
      var events = new EventSource("\(eventsPath)");
      events.addEventListener("reload", function () { location.reload(); });
      events.addEventListener("failed", function (e) { show(e.data); });
      function show(text) {
        var box = document.getElementById("dossier-build-errors");
        if (!box) {
          box = document.createElement("div");
          box.id = "dossier-build-errors";
          box.setAttribute("role", "alert");
          box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;" +
            "background:#2b0b0b;color:#ffe5e5;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
            "border-top:4px solid #ff6b6b;white-space:pre-wrap";
          document.body.appendChild(box);
        }
        box.textContent = "The last save broke the build; this is the last good version.\\n\\n" + text;
      }
    })();
    </script>
    """

    /// Adds the script (and, while the build is broken, its report) before `</body>`.
    static func inject(into html: String, failure: String?) -> String {
        var addition = script
        if let failure {
            addition += "<div id=\"dossier-build-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;"
                + "overflow:auto;z-index:99999;background:#2b0b0b;color:#ffe5e5;font:14px/1.5 ui-monospace,monospace;"
                + "padding:1rem 1.25rem;border-top:4px solid #ff6b6b;white-space:pre-wrap\">"
                + "The last save broke the build; this is the last good version.\n\n" + escape(failure) + "</div>"
        }
        guard let end = html.range(of: "</body>", options: .backwards) else { return html + addition }
        return html.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: addition + "\n")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
