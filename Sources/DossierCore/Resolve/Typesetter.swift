/// Sets the plain-text fields the pages show (names, headlines, facts, source titles, the
/// organisation's details) with the punctuation the Markdown bodies get from libcmark: curly
/// quotes and apostrophes, dashes, ellipses. A headline then reads like the text under it.
/// Applied after the lock has fingerprinted and compared the fields as written, which stay the record.
struct Typesetter {
    /// Facts and sources repeat in every version of a situation: each text is set once.
    private var done: [String: String] = [:]

    mutating func callAsFunction(_ text: String) -> String {
        if let set = done[text] { return set }
        let set = MarkdownRenderer.smartPunctuation(text)
        done[text] = set
        return set
    }

    mutating func callAsFunction(_ text: String?) -> String? {
        text.map { self($0) }
    }

    mutating func site(_ site: Site) -> Site {
        var site = site
        site.title = self(site.title)
        site.organisation.name = self(site.organisation.name)
        site.organisation.address = site.organisation.address.map { self($0) }
        site.riskLevels = site.riskLevels.map { riskLevel($0) }
        return site
    }

    mutating func riskLevel(_ level: RiskLevel) -> RiskLevel {
        var level = level
        level.label = self(level.label)
        level.definition = self(level.definition)
        return level
    }

    /// A situation and every version of it, each field set alike wherever it appears.
    mutating func situation(_ resolved: ResolvedSituation) -> ResolvedSituation {
        var resolved = resolved
        var situation = resolved.situation
        situation.name = self(situation.name)
        situation.shortName = self(situation.shortName)
        situation.region = self(situation.region)
        situation.populationsAtRisk = self(situation.populationsAtRisk)
        situation.facts = facts(situation.facts)
        situation.sources = situation.sources.map { source($0) }
        situation.updates = situation.updates.map { update($0) }
        resolved.situation = situation
        resolved.versions = resolved.versions.map { version in
            var version = version
            version.update = update(version.update)
            version.previous = version.previous.map { update($0) }
            version.riskLevel = riskLevel(version.riskLevel)
            version.citedSources = version.citedSources.map { source($0) }
            version.facts = facts(version.facts)
            return version
        }
        return resolved
    }

    mutating func update(_ update: Update) -> Update {
        var update = update
        update.headline = self(update.headline)
        update.corrections = update.corrections.map { correction in
            var correction = correction
            correction.note = self(correction.note)
            return correction
        }
        return update
    }

    mutating func facts(_ facts: [Fact]) -> [Fact] {
        facts.map { fact in
            var fact = fact
            fact.label = self(fact.label)
            fact.value = self(fact.value)
            return fact
        }
    }

    /// A source's symbol (`A/HRC/25/63`) and address are identifiers, kept as written.
    mutating func source(_ source: Source) -> Source {
        var source = source
        source.title = self(source.title)
        source.publisher = self(source.publisher)
        return source
    }
}
