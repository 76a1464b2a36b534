import BankFormats
import FuzzSupport
import PikouCore
import PikouCycle

/// The CSV reader (`CSVTable`) and the roster and payments checks over it, as `roster import` and
/// `payments import` run them: UTF-8, else GB18030 as `--encoding auto` decodes. Rows must come in
/// line order, each starting after the header.
let policy: Policy = {
    do { return try Policy.load(formatsDirectory: FuzzSupport.root + "/Formats", year: 2026) } catch {
        FuzzSupport.fail("cannot load the 2026 policy: \(error)")
    }
}()
let specs = Dictionary(uniqueKeysWithValues: FuzzSupport.repository.bankCodes().map { ($0, FuzzSupport.spec($0)) })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzSupport.bytes(data, size)
    guard let text = String(validating: bytes, as: UTF8.self) ?? FileEncoding.gb18030.decode(bytes) else { return 0 }
    if let table = try? CSVTable(text: text, fileName: "fuzz.csv") {
        var previous = 1
        for row in table.rows {
            precondition(row.line > previous, "row at line \(row.line) after line \(previous)")
            previous = row.line
            if let value = table.values(of: row) { for column in table.columns { _ = value(column) } }
        }
    }
    var checker = RosterImport.Checker(fileName: "fuzz.csv", banks: Set(specs.keys), policy: policy, specs: specs)
    _ = checker.check(text: text, firstLine: 1)
    _ = PaymentsImport.check(text: text, fileName: "fuzz.csv")
    return 0
}
