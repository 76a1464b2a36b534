public import PikouCore

/// Reads debit lines from a CSV file, the input of `pikou file write`.
///
/// Columns (header line required, any order, extra columns refused):
/// `seq, payer_id_number, payer_name, account, agreement_no, amount_fen, period`, and for return
/// files also `result_code, result_text, bank_serial`; `memo` is optional for both.
public enum DebitLineCSV {
    /// The required columns for a kind of file.
    public static func requiredColumns(_ kind: FileKind) -> [String] {
        let debit = ["seq", "payer_id_number", "payer_name", "account", "agreement_no", "amount_fen", "period"]
        return kind.isOurs ? debit : debit + ["result_code", "result_text"]
    }

    /// Optional columns.
    public static let optionalColumns = ["memo", "bank_serial"]

    /// Parses `text` into lines, with a diagnostic for every bad row or value.
    ///
    /// - Parameters:
    ///   - validate: Also run the pre-flight checks: GB 11643 ID checksum, account digits and Luhn, name present.
    /// - Returns: the good lines, and diagnostics naming file, line and column for each bad one.
    public static func parse(text: String, fileName: String, kind: FileKind, validate: Bool) -> (lines: [DebitLine], diagnostics: [Diagnostic]) {
        let table: CSVTable
        do { table = try CSVTable(text: text, fileName: fileName) } catch { return ([], [error.diagnostic]) }
        var diagnostics: [Diagnostic] = []
        let required = requiredColumns(kind)
        for column in required where !table.columns.contains(column) {
            diagnostics.append(Diagnostic(.error, .csvMissingColumn, file: fileName, line: 1, field: column,
                "missing column '\(column)'; the columns are: \(required.joined(separator: ", "))"))
        }
        for column in table.columns where !required.contains(column) && !optionalColumns.contains(column) {
            diagnostics.append(Diagnostic(.error, .csvMissingColumn, file: fileName, line: 1, field: column,
                "unknown column '\(column)'; the columns are: \((required + optionalColumns).joined(separator: ", "))"))
        }
        guard !diagnostics.hasErrors else { return ([], diagnostics) }
        let index = Dictionary(uniqueKeysWithValues: table.columns.enumerated().map { ($1, $0) })
        var lines: [DebitLine] = []
        for row in table.rows {
            guard row.values.count == table.columns.count else {
                diagnostics.append(Diagnostic(.error, .csvFieldCount, file: fileName, line: row.line,
                    "row has \(row.values.count) values; the header has \(table.columns.count) columns"))
                continue
            }
            func value(_ column: String) -> String { index[column].map { row.values[$0].trimmingSpaces() } ?? "" }
            var rowOK = true
            func bad(_ column: String, _ message: String) {
                diagnostics.append(Diagnostic(.error, .csvInvalidValue, file: fileName, line: row.line, field: column, message))
                rowOK = false
            }
            let seq = Int(value("seq"))
            if seq == nil || seq! < 1 { bad("seq", "'\(value("seq"))' is not a positive whole number") }
            let amountText = value("amount_fen")
            var amount = Money.zero
            if let fen = Int64(amountText), fen >= 0 { amount = Money(fen: fen) } else {
                bad("amount_fen", "'\(amountText)' is not a whole number of fen (e.g. 12345 for 123.45 yuan)")
            }
            let period = value("period")
            if (try? Period(period)) == nil { bad("period", "'\(period)' is not a period YYYYMM") }
            let id = value("payer_id_number")
            let account = value("account")
            let name = value("payer_name")
            if validate {
                do { _ = try IDNumber(id) } catch { bad("payer_id_number", "\(Masking.idNumber(id)): \(error)") }
                do { _ = try BankAccount(account) } catch { bad("account", "\(error)") }
                if name.isEmpty { bad("payer_name", "the payer's name is empty") }
            }
            guard rowOK, let seq else { continue }
            lines.append(DebitLine(
                sequence: seq, payerIDNumber: id.uppercased(), payerName: name, account: account,
                agreementNo: value("agreement_no"), amount: amount, period: (try? Period(period))?.compact ?? period,
                memo: value("memo"), resultCode: value("result_code"), resultText: value("result_text"),
                bankSerial: value("bank_serial")))
        }
        return (lines, diagnostics)
    }
}
