import DossierCore
import Foundation

/// Terminal output: diagnostics to standard error, in colour only on a terminal without NO_COLOR.
enum Console {
    static var useColour: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    // Output that cannot be written (a closed pipe) is dropped rather than allowed to stop the program.
    static func out(_ line: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
    }

    /// A progress line that rewrites itself on a terminal; nothing at all in a CI log.
    @Sendable static func progress(_ done: Int, _ total: Int) {
        guard isatty(STDERR_FILENO) == 1 else { return }
        let end = done == total ? "\r\u{1B}[K" : ""
        try? FileHandle.standardError.write(contentsOf: Data("\r\u{1B}[Krendering PDFs: \(done)/\(total)\(end)".utf8))
    }

    /// - Parameter digits: decimals; the stages `--verbose` lists are shown to the millisecond.
    static func seconds(_ duration: Duration, digits: Int = 2) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.\(digits)f s", value)
    }

    static func report(_ result: Builder.Result, errorsOnly: Bool = false) {
        let texts = result.texts
        let formatter = DiagnosticFormatter(useColour: useColour) { texts[$0] }
        for diagnostic in result.diagnostics.sortedForReport() where !errorsOnly || diagnostic.severity == .error {
            error(formatter.format(diagnostic))
        }
        if errorsOnly, !result.diagnostics.hasErrors { return }
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        let warnings = result.diagnostics.count - errors
        if errors + warnings > 0 {
            error("\(errors) error(s), \(warnings) warning(s)")
        }
    }
}
