import ArgumentParser
import DossierCore
import Foundation

struct New: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the next draft update of a situation, or a new situation.",
        discussion: """
        dossier new dprk                      the next update, dated today, from the latest one
        dossier new dprk --date 2025-09-01    the next update on a given date
        dossier new situation sudan --name "Sudan"   a new situation folder
        """)

    @Argument(help: "A situation's slug, or 'situation' followed by a new slug.")
    var words: [String]

    @Option(help: "The new update's date (YYYY-MM-DD); today if left out.")
    var date: String?

    @Option(help: "The name of a new situation.")
    var name: String?

    @Option(help: "The content folder.")
    var content = "Content"

    func validate() throws {
        guard (1...2).contains(words.count), words.count == 1 || words[0] == "situation" else {
            throw ValidationError("expected 'dossier new <slug>' or 'dossier new situation <slug> --name \"…\"'")
        }
        if words.count == 2, name == nil { throw ValidationError("a new situation needs --name \"…\"") }
        if let date, IsoDate(date) == nil { throw ValidationError("--date must be a real date written YYYY-MM-DD, found '\(date)'") }
    }

    func run() async throws {
        let drafts = DraftWriter(content: content, today: date.flatMap(IsoDate.init) ?? .today())
        let result = words.count == 2
            ? drafts.newSituation(slug: words[1], name: name ?? words[1])
            : drafts.nextUpdate(slug: words[0])
        switch result {
        case .success(let path):
            Console.out(path)
        case .failure(let problem):
            Console.error("error: \(problem.message)")
            throw ExitCode(1)
        }
    }
}
