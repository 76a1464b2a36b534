public import PikouCore
import Foundation
import ReconStore

/// The outbox as people see it (`pikou notify list`, the console later) and as an office's own SMS
/// platform takes it (`pikou notify export`: the whole mobile number and the text, the ID masked).
public enum NoticeList {
    public static let columns = [
        ListColumn("kind", Catalogue.noticeKindColumn), ListColumn("subject", Catalogue.noticeSubjectColumn),
        ListColumn("name", Catalogue.feedbackName, drop: 2), ListColumn("id_number", Catalogue.feedbackID, drop: 1),
        ListColumn("phone", Catalogue.doorPhone), ListColumn("state", Catalogue.state), ListColumn("text", Catalogue.noticeTextColumn, shrinks: true),
    ]

    /// A notice's cells, masked (a list on a screen or in a CSV someone may forward): the name in the
    /// text too.
    public static func cells(_ notice: NoticeRecord) -> [ListCell] {
        let text = notice.name.isEmpty ? notice.text : notice.text.replacingOccurrences(of: notice.name, with: Masking.name(notice.name))
        return [ListCell(Catalogue.noticeKind(notice.kind), code: notice.kind.rawValue), ListCell(notice.subject), ListCell(Masking.name(notice.name)),
                ListCell(notice.idNumber.masked), ListCell(Masking.phone(notice.phone)), ListCell(Catalogue.noticeState(notice.state), code: notice.state.rawValue),
                ListCell(text)]
    }

    /// The export's columns: what an SMS platform imports (手机号码, 短信内容), then what the office checks by.
    public static let exportColumns = [Catalogue.exportPhone, Catalogue.exportText, Catalogue.feedbackID, Catalogue.noticeKindColumn, Catalogue.noticeSubjectColumn]

    /// Writes `notices` for an office's own platform at `path`: XLSX when it ends in `.xlsx`, else CSV
    /// (UTF-8 with a BOM, for Excel). The file is 0600: it holds whole mobile numbers.
    public static func export(_ notices: [NoticeRecord], to path: String, language: Language = .current) throws {
        let rows = notices.map { [$0.phone, $0.text, $0.idNumber.masked, Catalogue.noticeKind($0.kind).text(language), $0.subject] }
        if path.lowercased().hasSuffix(".xlsx") {
            let book = try XLSXWorkbook(path: path)
            let sheet = try book.sheet(Catalogue.noticesSheet.text(language))
            for (column, title) in exportColumns.enumerated() { sheet.header(row: 0, column: column, title.text(language)) }
            for (index, row) in rows.enumerated() {
                for (column, cell) in row.enumerated() {
                    if column == 0 || column == 2 { sheet.literal(row: index + 1, column: column, cell) } else { sheet.text(row: index + 1, column: column, cell) }
                }
            }
            sheet.widths(first: 0, last: 0, 14)
            sheet.widths(first: 1, last: 1, 80)
            sheet.widths(first: 2, last: 2, 21)
            try book.close()
            _ = chmod(path, 0o600)
        } else {
            var text = "\u{FEFF}" + CSVCell.line(exportColumns.map { $0.text(language) }) + "\n"
            for row in rows { text += CSVCell.line(row) + "\n" }
            try FileIO.writeAtomically(Array(text.utf8), to: path)
        }
    }
}

extension UseCases {
    /// Records that a payer refuses notices of `kind` (nil: every kind), or takes it back.
    public func setNoticeOptOut(idNumber: IDNumber, kind: NoticeKind?, optedOut: Bool, actor: String) async throws -> Bool {
        try await store.setNoticeOptOut(idNumber: idNumber, kind: kind, optedOut: optedOut, actor: actor)
    }

    /// Writes the notices `filter` selects that an office may send itself (planned, never tried by the
    /// gateway, of payers who have not opted out) for its own platform, and marks them exported: Pikou
    /// never sends them after. Returns how many were written. An existing file is never overwritten
    /// (its notices were marked exported when it was written).
    public func exportNotices(_ filter: NoticeFilter, to path: String, actor: String) async throws -> Int {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw PikouError("notices.export", Message(zh: "\(path) 已存在：导出不会覆盖它（其中的通知已标记为已导出）；请换一个文件名",
                                                     en: "\(path) exists: an export never overwrites one (its notices were marked exported); choose another name"))
        }
        let notices = try await store.noticesToExport(filter)
        guard !notices.isEmpty else { return 0 }
        try NoticeList.export(notices, to: path)
        _ = try await store.markNoticesExported(notices.map(\.id), actor: actor, file: (path as NSString).lastPathComponent)
        return notices.count
    }
}
