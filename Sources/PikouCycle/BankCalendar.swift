public import PikouCore
import Foundation
import Yams
import BankFormats

/// Banking days of a year, from `Formats/calendar/<year>.yaml`: weekends and public holidays are
/// closed, except the weekend days the State Council makes into workdays (调休).
public struct BankCalendar: Sendable {
    public var holidays: Set<CivilDate>
    public var makeUpWorkdays: Set<CivilDate>
    /// Years whose file says `provisional: true`: drawn up before the State Council's notice.
    public var provisionalYears: Set<Int> = []

    public init(holidays: Set<CivilDate>, makeUpWorkdays: Set<CivilDate>) {
        self.holidays = holidays
        self.makeUpWorkdays = makeUpWorkdays
    }

    /// Loads the calendars of `years` (every year a date may fall in).
    public static func load(formatsDirectory: String, years: [Int]) throws(PikouError) -> BankCalendar {
        var calendar = BankCalendar(holidays: [], makeUpWorkdays: [])
        for year in Set(years).sorted() {
            let path = "\(formatsDirectory)/calendar/\(year).yaml"
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw PikouError("calendar.invalid", Message(
                    zh: "\(path): 错误：没有 \(year) 年的银行日历：请按国务院每年秋季公布的放假安排编写 calendar/\(year).yaml，"
                        + "写明当年的法定节假日和调休上班日；格式可参照 calendar/\(year - 1).yaml（见 docs/operations.md）",
                    en: "\(path): error: no banking calendar for \(year): add calendar/\(year).yaml with the year's "
                        + "public holidays and make-up workdays (调休) from the State Council's notice, published each autumn; "
                        + "calendar/\(year - 1).yaml shows the shape (docs/operations.md, \"A new year\")"))
            }
            let root: Node.Mapping?
            do { root = try Yams.compose(yaml: text)?.mapping } catch {
                throw PikouError("calendar.invalid", Message(zh: "\(path): 错误：不是有效的 YAML：\(error)", en: "\(path): error: not valid YAML: \(error)"))
            }
            func dates(_ key: String) throws(PikouError) -> Set<CivilDate> {
                var result = Set<CivilDate>()
                for node in root?[key]?.sequence ?? [] {
                    let text = node.string ?? ""
                    guard let date = DatePattern.parse(Array(text.utf8), "yyyy-MM-dd"), date.year == year else {
                        let line = node.mark?.line ?? 0
                        throw PikouError("calendar.invalid", Message(
                            zh: "\(path):\(line): 错误：'\(text)' 不是 \(year) 年的日期（应形如 \(year)-10-01）",
                            en: "\(path):\(line): error: '\(text)' is not a date of \(year) like \(year)-10-01"))
                    }
                    result.insert(date)
                }
                return result
            }
            if root?["provisional"]?.bool == true { calendar.provisionalYears.insert(year) }
            calendar.holidays.formUnion(try dates("holidays"))
            calendar.makeUpWorkdays.formUnion(try dates("workdays"))
        }
        return calendar
    }

    /// 0 = Sunday ... 6 = Saturday (Zeller's congruence).
    public static func weekday(_ date: CivilDate) -> Int {
        var y = date.year
        var m = date.month
        if m < 3 { m += 12; y -= 1 }
        let k = y % 100, j = y / 100
        let h = (date.day + 13 * (m + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7  // 0 = Saturday
        return (h + 6) % 7
    }

    /// Whether banks process debits on `date`.
    public func isBankingDay(_ date: CivilDate) -> Bool {
        if makeUpWorkdays.contains(date) { return true }
        if holidays.contains(date) { return false }
        let weekday = Self.weekday(date)
        return weekday != 0 && weekday != 6
    }

    /// The first banking day on or after `date`.
    public func bankingDay(onOrAfter date: CivilDate) -> CivilDate {
        var day = date
        while !isBankingDay(day) { day = day.next }
        return day
    }
}

extension CivilDate {
    /// The following day.
    public var next: CivilDate {
        if day < CivilDate.daysIn(month: month, year: year) { return CivilDate(year: year, month: month, day: day + 1)! }
        if month < 12 { return CivilDate(year: year, month: month + 1, day: 1)! }
        return CivilDate(year: year + 1, month: 1, day: 1)!
    }
}
