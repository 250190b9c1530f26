/// A calendar date, `YYYY-MM-DD`, checked to exist. No time zone, no clock.
public struct IsoDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...IsoDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: IsoDate, b: IsoDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public var description: String {
        String(format4: year) + "-" + String(format2: month) + "-" + String(format2: day)
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]

    /// `16 June 2025`, the way the page states dates.
    public var long: String { "\(day) \(IsoDate.monthNames[month - 1]) \(year)" }

    /// Days since 1970-01-01 (civil calendar), for staleness and timestamps.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Seconds since the epoch at midnight UTC of this date.
    public var epochSeconds: Int { daysSinceEpoch * 86_400 }

    /// The date of a moment given in seconds since the epoch (UTC).
    public init(epochSeconds: Int) {
        let z = epochSeconds / 86_400 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }
}

/// A source's date: a year, a year and month, or a full date.
public struct PartialDate: Sendable, Hashable {
    public var year: Int
    public var month: Int?
    public var day: Int?

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, let y = Int(parts[0]) else { return nil }
        if parts.count == 3 {
            guard let date = IsoDate(text) else { return nil }
            (year, month, day) = (date.year, date.month, date.day)
        } else if parts.count == 2 {
            guard parts[1].count == 2, let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            (year, month, day) = (y, m, nil)
        } else {
            (year, month, day) = (y, nil, nil)
        }
    }

    /// `February 2014`, `16 June 2025` or `2014`.
    public var long: String {
        switch (month, day) {
        case (let m?, let d?): return "\(d) \(IsoDate.monthNames[m - 1]) \(year)"
        case (let m?, nil): return "\(IsoDate.monthNames[m - 1]) \(year)"
        default: return "\(year)"
        }
    }

    public var iso: String {
        var out = String(format4: year)
        if let month { out += "-" + String(format2: month) }
        if let day { out += "-" + String(format2: day) }
        return out
    }
}

extension String {
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
    init(format4 value: Int) {
        let digits = "\(value)"
        let padding = digits.count < 4 ? 4 - digits.count : 0
        self = String(repeating: "0", count: padding) + digits
    }
}
