import Foundation

/// The `resolve` stage: renders each body, numbers its citations, links versions, checks the
/// locked public record, computes redlines, and collects the warnings only a whole situation can
/// show (unused sources, missing sections, staleness).
public struct Resolver: Sendable {
    /// The day the staleness warning is measured against; never written into the output.
    public var today: IsoDate
    public var includeDrafts: Bool
    /// Situations unchanged since the last build, with the diagnostics that build found for them:
    /// their bodies are not rendered again and their pages are kept.
    public var reuse: [String: [Diagnostic]]
    /// SHA-256 of files' texts by path, when the build has them already (`BuildInputs.digests`):
    /// an update's fingerprint in the lock is its file's, so it is not computed twice.
    var fingerprints: [String: String]
    /// The ids of the pages around the bodies (`ReservedIDs.of(templates:)`), which headings do not take.
    public var reservedIDs: ReservedIDs

    public init(today: IsoDate, includeDrafts: Bool = false, reuse: [String: [Diagnostic]] = [:], reservedIDs: ReservedIDs = .made) {
        self.init(today: today, includeDrafts: includeDrafts, reuse: reuse, fingerprints: [:], reservedIDs: reservedIDs)
    }

    init(today: IsoDate, includeDrafts: Bool, reuse: [String: [Diagnostic]], fingerprints: [String: String], reservedIDs: ReservedIDs) {
        self.today = today
        self.includeDrafts = includeDrafts
        self.reuse = reuse
        self.fingerprints = fingerprints
        self.reservedIDs = reservedIDs
    }

    public func resolve(_ content: SiteContent) async -> (ResolvedSite, [Diagnostic]) {
        let renderer = MarkdownRenderer(options: .init(unsafeHTML: content.site.unsafeHTML, relativeLinks: false, reservedIDs: reservedIDs))
        let pageRenderer = MarkdownRenderer(options: .init(unsafeHTML: content.site.unsafeHTML, reservedIDs: reservedIDs))
        var diagnostics: [Diagnostic] = []
        let situationsIn = content.situations.map { situation in
            var copy = situation
            copy.updates = situation.updates.filter { includeDrafts || !$0.isDraft }
            return copy
        }

        // Bodies are independent: render them across the cores.
        let bodies = await withTaskGroup(of: (Int, Int, RenderedMarkdown).self) { group in
            for (s, situation) in situationsIn.enumerated() {
                let context = MarkdownRenderer.CitationContext(
                    knownKeys: Set(situation.sources.map(\.key)),
                    sourcesFile: situation.file.replacingSuffix("situation.yaml", with: "sources.yaml"))
                for (u, update) in situation.updates.enumerated() where reuse[situation.slug] == nil {
                    group.addTask { (s, u, renderer.render(update.body, citations: situation.sourcesUnreadable ? nil : context)) }
                }
            }
            var out: [Int: [Int: RenderedMarkdown]] = [:]
            for await (s, u, body) in group { out[s, default: [:]][u] = body }
            return out
        }

        var lock: VersionLock
        // A lock merged from a conflict is written again even if nothing else changes.
        var lockMerged = false
        switch VersionLock.parse(content.lock) {
        case .success(let parsed):
            lock = parsed.lock
            if let notice = parsed.merged {
                diagnostics.append(notice)
                lockMerged = true
            }
        case .failure(let problem):
            diagnostics.append(problem)
            lock = VersionLock()
        }
        let lockBefore = lock
        let lockPath = content.lock?.path ?? "versions.lock"

        // Each situation is resolved on its own, across the cores (what it adds to the lock is
        // its own updates' entries), and the outcomes are taken in order.
        let outcomes = Array(situationsIn.enumerated()).concurrentMap { s, situation in
            resolveSituation(situation, bodies: bodies[s] ?? [:], site: content.site, lockBefore: lockBefore,
                             latestDraft: content.situations[s].updates.last(where: \.isDraft)?.date)
        }
        var situations: [ResolvedSituation] = []
        // Redlines are computed after this, across the cores, on the typeset text:
        // (situation, version's date, the date of the version before).
        var redlines: [(situation: Int, date: IsoDate, previous: IsoDate)] = []
        for outcome in outcomes {
            diagnostics += outcome.diagnostics
            lock.updates.merge(outcome.locked) { _, new in new }
            redlines += outcome.redlines.map { (situations.count, $0.date, $0.previous) }
            situations.append(outcome.resolved)
        }

        let computed = await withTaskGroup(of: (Int, IsoDate, Redline?).self) { group in
            for job in redlines {
                let resolved = situations[job.situation]
                guard let current = resolved.versions.first(where: { $0.update.date == job.date }),
                      let previous = resolved.versions.first(where: { $0.update.date == job.previous }) else { continue }
                group.addTask {
                    (job.situation, job.date, Redline.between(previous: previous, current: current, situation: resolved.situation))
                }
            }
            var out: [(Int, IsoDate, Redline?)] = []
            for await result in group { out.append(result) }
            return out
        }
        for (s, date, redline) in computed {
            guard let v = situations[s].versions.firstIndex(where: { $0.update.date == date }) else { continue }
            situations[s].versions[v].redline = redline
        }

        // A published update stays published: its permanent page must not disappear.
        for situation in content.situations {
            for update in situation.updates where update.isDraft && lockBefore.updates[VersionLock.key(situation.slug, update.date)] != nil {
                diagnostics.append(.error(update.body.file, line: 1, column: 1,
                    "this update was published and cannot become a draft again; set 'status: published' (or remove the line)"))
            }
        }
        for key in lock.updates.keys.filter({ !content.updateFiles.contains($0) }).sorted() {
            diagnostics.append(.error(lockPath, "published update '\(key)' is missing: its file was removed or renamed, "
                + "but a published update keeps its permanent page; restore \(key.replacingOccurrences(of: "/", with: "/updates/")).md"))
        }

        var typeset = Typesetter()
        var pages: [ResolvedPage] = []
        for page in content.pages {
            let body = pageRenderer.render(page.body, citations: .plainPage)
            diagnostics += body.diagnostics
            var page = page
            page.title = typeset(page.title)
            pages.append(ResolvedPage(page: page, body: body))
        }
        return (ResolvedSite(site: typeset.site(content.site), situations: situations, pages: pages,
                             lock: lock,
                             lockChanges: lock != lockBefore || lockMerged || (content.lock == nil && !lock.updates.isEmpty)
                                ? lock.changes(since: lockBefore) : nil),
                diagnostics)
    }

    /// What resolving one situation gives: its versions, typeset; the warnings and errors it
    /// has; the entries it adds to the lock or records again; the redlines to compute.
    struct SituationOutcome: Sendable {
        var resolved: ResolvedSituation
        var diagnostics: [Diagnostic] = []
        var locked: [String: VersionLock.Entry] = [:]
        var redlines: [(date: IsoDate, previous: IsoDate)] = []
    }

    /// Whether a day going on the record is after tomorrow (a day's grace for time zones): most
    /// likely a mistyped year, which the record would keep for good.
    func isAfterTomorrow(_ date: IsoDate) -> Bool {
        date.daysSinceEpoch > today.daysSinceEpoch + 1
    }

    /// Resolves one situation against the lock as it was before the build.
    /// - Parameter bodies: its updates' rendered bodies, by index (none for a reused situation).
    /// - Parameter latestDraft: the date of the situation's newest draft, in a build with drafts
    ///   or without, for the warning that it is stale.
    func resolveSituation(_ situation: Situation, bodies: [Int: RenderedMarkdown], site: Site,
                          lockBefore: VersionLock, latestDraft: IsoDate? = nil) -> SituationOutcome {
        var diagnostics: [Diagnostic] = []
        var locked: [String: VersionLock.Entry] = [:]
        var redlines: [(date: IsoDate, previous: IsoDate)] = []
        var typeset = Typesetter()
        func outcome(_ resolved: ResolvedSituation) -> SituationOutcome {
            SituationOutcome(resolved: typeset.situation(resolved), diagnostics: diagnostics, locked: locked, redlines: redlines)
        }
        let reused = reuse[situation.slug]
        var versions: [Version] = []
        var cited = Set<String>()
        var previous: Version?
        for (u, update) in situation.updates.enumerated() {
            guard let level = site.riskLevel(id: update.riskLevel),
                  let body = reused == nil ? bodies[u] : RenderedMarkdown.empty else { continue }
            if reused == nil {
                diagnostics += body.diagnostics
                diagnostics += sectionWarnings(body, required: site.sections, file: update.body.file)
                if let leading = body.leadingText {
                    let first = body.sections.first.map { "'## \($0.title)'" } ?? "any section"
                    diagnostics.append(.warning(at: leading, "this text comes before \(first), so it is in no section: the 'what changed' "
                        + "page compares sections, and would not show a change to it; put it under a section heading"))
                }
            }
            cited.formUnion(body.citedKeys)
            var facts = situation.facts
            // Not yet on the record and dated after tomorrow (`isAfterTomorrow`).
            if !update.isDraft, lockBefore.updates[VersionLock.key(situation.slug, update.date)] == nil {
                if isAfterTomorrow(update.date) {
                    diagnostics.append(.error(at: update.dateLocation,
                        "this update is dated \(update.date), after today (\(today)): an update records what was known on its date; "
                        + "check the date, or keep it a draft (status: draft) until then"))
                }
                // Published before a later update already on the record: that update's
                // redline would now compare it with this one.
                if !lockBefore.updates.isEmpty, let later = situation.updates.first(where: { other in
                    other.date > update.date && !other.isDraft && lockBefore.updates[VersionLock.key(situation.slug, other.date)] != nil
                }) {
                    diagnostics.append(.warning(at: update.dateLocation,
                        "this update is dated \(update.date), before \(later.date), which is already published: publishing it "
                        + "changes what the update of \(later.date) is compared with on its 'what changed' page; check the date"))
                }
                // A copy of the update before it, published as it is: `dossier new` starts an
                // update as a copy of the latest, and a copy on the record says nothing new for good.
                if let before = previous, before.update.headline == update.headline, before.update.riskLevel == update.riskLevel,
                   before.facts == situation.facts, Self.sameText(before.update.body.text, update.body.text) {
                    diagnostics.append(.warning(at: update.dateLocation,
                        "this update repeats the update of \(before.update.date): the same headline, risk level, text and facts; "
                        + "write what changed since then before publishing it (an update made by 'dossier new' starts as a copy of the latest)"))
                }
            }
            if !update.isDraft {
                let key = VersionLock.key(situation.slug, update.date)
                let checked = checkLock(update, situation: situation, locked: lockBefore.updates[key])
                diagnostics += checked.diagnostics
                facts = checked.facts
                if let record = checked.record {
                    locked[key] = record
                    // Going on the record now, like a new update's date (above; an update reported
                    // there has its corrections, which are no earlier than it, reported with it).
                    for correction in update.corrections where isAfterTomorrow(correction.date) && !isAfterTomorrow(update.date) {
                        diagnostics.append(.error(at: correction.dateLocation ?? update.dateLocation,
                            "this correction is dated \(correction.date), after today (\(today)): a correction records the day the update "
                            + "was corrected; check the date"))
                    }
                }
            }
            let trend: Version.Trend
            if let before = previous?.riskLevel {
                trend = level.rank < before.rank ? .escalated : level.rank > before.rank ? .deescalated : .unchanged
            } else {
                trend = .first
            }
            let version = Version(update: update, riskLevel: level, body: body,
                                  citedSources: body.citedKeys.compactMap(situation.source(key:)),
                                  previous: previous?.update, trend: trend, facts: facts, redline: nil)
            if let previous, reused == nil {
                redlines.append((update.date, previous.update.date))
            }
            versions.append(version)
            if !update.isDraft { previous = version }
        }
        // Drafts sort after every published update so "latest" and the archive stay about the record.
        versions.sort { ($0.update.isDraft ? 1 : 0, $0.update.date) < ($1.update.isDraft ? 1 : 0, $1.update.date) }
        if let reused {
            // Its warnings are those the last build found, from the same files.
            diagnostics += reused
            return outcome(ResolvedSituation(situation: situation, reused: true, versions: versions))
        }
        let resolved = ResolvedSituation(situation: situation, versions: versions)
        // Warnings about the whole history would be about the wrong set of updates.
        if situation.updatesUnreadable { return outcome(resolved) }
        let factKeys = Set(situation.facts.compactMap(\.sourceKey))
        for source in situation.sources where !cited.contains(source.key) && !factKeys.contains(source.key) {
            diagnostics.append(.warning(at: source.location, "source '\(source.key)' is never cited"))
        }
        // A source dated after an update that cites it (as that update last stood, with its
        // corrections) could not have been cited then: its date, or the citation, is mistyped.
        for source in situation.sources {
            guard let date = source.date, let earliest = IsoDate(year: date.year, month: date.month ?? 1, day: date.day ?? 1),
                  let citing = versions.first(where: { version in
                      version.update.modified < earliest && version.citedSources.contains { $0.key == source.key }
                  }) else { continue }
            diagnostics.append(.warning(at: source.location,
                "source '\(source.key)' is dated \(date.long), after the update of \(citing.update.date) that cites it: "
                + "check the source's date, or the citation"))
        }
        if let latest = versions.last(where: { !$0.update.isDraft }) {
            if situation.populationsAtRisk?.isEmpty ?? true {
                diagnostics.append(.warning(situation.file, "situation '\(situation.slug)' is published without 'populations_at_risk': "
                    + "its page says who is at risk; write it in one sentence in situation.yaml"))
            }
            if let stale = site.staleAfterDays {
                let age = today.daysSinceEpoch - latest.update.date.daysSinceEpoch
                if age > stale {
                    let next = if let draft = latestDraft, draft > latest.update.date {
                        "its draft of \(draft) is not published yet: publish it by removing its 'status: draft'"
                    } else {
                        "start the next with 'dossier new \(situation.slug)'"
                    }
                    diagnostics.append(.warning(at: latest.update.dateLocation,
                        "situation '\(situation.slug)' is stale: its latest update is \(age) days old (stale_after_days: \(stale)); \(next)"))
                }
            }
            if latest.facts != situation.facts {
                diagnostics.append(.warning(situation.file,
                    "the facts differ from those published with the latest update (\(latest.update.date)); they will appear with the next update"))
            }
        }
        return outcome(resolved)
    }

    /// Whether two bodies are the same text, but for blank lines and spaces at either end.
    static func sameText(_ first: Substring, _ second: Substring) -> Bool {
        first.trimmingCharacters(in: .whitespacesAndNewlines) == second.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Checks a published update against its locked record (`entry`), locking it if it is new.
    /// Returns the fact box published with it, and the record to keep if it is new or corrected.
    func checkLock(_ update: Update, situation: Situation, locked entry: VersionLock.Entry?)
        -> (facts: [Fact], diagnostics: [Diagnostic], record: VersionLock.Entry?) {
        let fingerprint = fingerprints[update.body.file] ?? VersionLock.fingerprint(update.body.fullText)
        guard let entry else {
            return (situation.facts, [], .init(sha256: fingerprint, corrections: update.corrections.count,
                                               facts: situation.facts.map(VersionLock.LockedFact.init)))
        }
        let facts = entry.facts.map(\.fact)
        if entry.sha256 == fingerprint { return (facts, [], nil) }
        if update.corrections.count > entry.corrections {
            return (facts, [], .init(sha256: fingerprint, corrections: update.corrections.count, facts: entry.facts))
        }
        return (facts, [.error(update.body.file, line: 1, column: 1,
            "this update was published on \(update.date) and its text has changed since; a published update is a public "
            + "record: add a 'corrections' entry (date and note) saying what changed, or undo the edit")], nil)
    }

    /// Warns when a required section is missing, written twice or out of the order site.yaml
    /// gives, and when a heading looks like a misspelt missing one. Other sections are allowed.
    func sectionWarnings(_ body: RenderedMarkdown, required: [String], file: String) -> [Diagnostic] {
        guard !required.isEmpty else { return [] }
        var out: [Diagnostic] = []
        let expected = required.joined(separator: ", ")
        var firsts: [(title: String, location: SourceLocation)] = []
        for section in body.sections {
            if required.contains(section.title), let first = firsts.first(where: { $0.title == section.title }) {
                out.append(.warning(at: section.location,
                    "section '\(section.title)' is written twice (first at line \(first.location.line)); every update has each of \(expected) once"))
            } else {
                firsts.append((section.title, section.location))
            }
        }
        let titles = firsts.map(\.title)
        var missing = required.filter { !titles.contains($0) }
        for section in firsts where !required.contains(section.title) {
            if let guess = closestWord(to: section.title, in: missing) {
                out.append(.warning(at: section.location, "section '\(section.title)' is not one of \(expected); did you mean '\(guess)'?"))
                missing.removeAll { $0 == guess }
            }
        }
        for name in missing {
            out.append(.warning(file, "missing section '## \(name)'; every update has the sections \(expected)"))
        }
        let present = required.filter { titles.contains($0) }
        let order = titles.filter { required.contains($0) }
        if order != present, let first = zip(order, present).first(where: { $0 != $1 }),
           let section = firsts.first(where: { $0.title == first.0 }) {
            out.append(.warning(at: section.location, "section '\(first.0)' is out of order; expected \(expected)"))
        }
        return out
    }
}

extension String {
    func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
    }
}
