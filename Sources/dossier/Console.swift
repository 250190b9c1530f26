import DossierCore
import Foundation

/// Terminal output: diagnostics to standard error, in colour only on a terminal without NO_COLOR.
enum Console {
    static var useColour: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func report(_ result: Builder.Result) {
        let texts = result.texts
        let formatter = DiagnosticFormatter(useColour: useColour) { texts[$0] }
        for diagnostic in result.diagnostics.sortedForReport() {
            error(formatter.format(diagnostic))
        }
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        let warnings = result.diagnostics.count - errors
        if errors + warnings > 0 {
            error("\(errors) error(s), \(warnings) warning(s)")
        }
    }
}
