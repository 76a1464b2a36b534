public import BankFormats
import Foundation
public import PikouCore
import ReconStore

/// The residents' annual scheme's use cases (issue 18, in progress).
extension UseCases {
    /// The latest cover year a residents' policy file exists for (`Formats/policy/residents-<year>.yaml`).
    public func latestResidentsYear() -> Int? { residentsYears().last }

    /// Every cover year a residents' policy file exists for, oldest first.
    public func residentsYears() -> [Int] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: workspace.formatsDirectory + "/policy")) ?? []
        return files.compactMap { name -> Int? in
            guard name.hasPrefix("residents-"), name.hasSuffix(".yaml") else { return nil }
            return Int(name.dropFirst("residents-".count).dropLast(".yaml".count))
        }.sorted()
    }

    /// The latest month with monthly debit files (flexible workers): a residents' round's files carry
    /// their cover year as `2027-01` and are no month of anyone's.
    public func latestMonthlyPeriod() async throws -> Period? {
        var rounds = Set<String>()
        for year in residentsYears() {
            for file in try await store.residentsFiles(year: year) { rounds.insert(file.bank + "\u{1F}" + file.fileName) }
        }
        return try await store.status(period: nil).filter { !rounds.contains($0.bank + "\u{1F}" + $0.fileName) }.map(\.period).max()
    }

    /// The residents' policy of `year` (default: the latest there is).
    public func residentsPolicy(year: Int?) throws -> ResidentsPolicy {
        guard let year = year ?? latestResidentsYear() else {
            let folder = workspace.formatsDirectory + "/policy"
            throw PikouError("residents.policy", Message(
                zh: "\(folder): 错误：没有城乡居民政策文件（residents-<年度>.yaml）；格式可参照 Formats/policy/residents-2027.yaml",
                en: "\(folder): error: no residents' policy (residents-<year>.yaml); Formats/policy/residents-2027.yaml shows the shape"))
        }
        return try ResidentsPolicy.load(formatsDirectory: workspace.formatsDirectory, year: year)
    }

    /// What importing a group list did.
    public struct GroupImportReport: Sendable {
        public var counts = GroupImportCounts()
        public var group = ""
        public var department = ""
        public var rejected: [(row: CSVTable.Row, diagnostics: [Diagnostic])] = []
        public var columns: [String] = []
        /// Every row of the list with what became of it, in line order: the department's feedback.
        public var feedback: [GroupFeedbackRow] = []
        /// Rows whose person the roster does not have (名册中无此人): not imported.
        public var notInRoster = 0
        /// Imported rows whose person is also in another group that year (已在其他群体).
        public var inOtherGroups = 0
    }

    /// Imports a department's list of `group` (a group of the residents' policy of `year`): a CSV (UTF-8
    /// or GBK) or an XLSX's first worksheet, with English or Chinese titles (``GroupsImport/aliases``).
    /// Every good row whose person the roster has is stored (a membership already there is left); a
    /// person it does not have is never added, but refused as 名册中无此人; every bad row is refused
    /// with its line, field and reason. ``GroupImportReport/feedback`` says row by row what became of
    /// the list, for the department (``GroupFeedback``). The department is the policy's for the group
    /// unless `department` names another.
    public func importGroupList(file: String, encoding: CSVInput.Encoding, group: String, department: String?, year: Int?, actor: String) async throws -> GroupImportReport {
        let policy = try residentsPolicy(year: year)
        let issuer = department ?? policy.group(group)?.department ?? ""
        let table: CSVTable
        if let head = FileHandle(forReadingAtPath: file).flatMap({ handle in defer { try? handle.close() }; return try? handle.read(upToCount: 4) }),
           XLSXInput.isXLSX([UInt8](head)) {
            table = try XLSXInput.table(file)
        } else {
            let text = try CSVInput.read(file, encoding: encoding)
            do { table = try CSVTable(text: text, fileName: file, firstLine: 1) } catch { throw DiagnosticError(error.diagnostic) }
        }
        var checked = try GroupsImport.check(table: table, fileName: file, group: group, department: issuer, policy: policy).get()
        var report = GroupImportReport(group: group, department: issuer, columns: checked.columns)
        var notes: [Int: Message] = [:]
        // Only people the roster has: a valid ID it does not know goes back to the department.
        var kept: [GroupMembershipRecord] = []
        for record in checked.records {
            guard try await store.agreements(idNumber: record.idNumber) != nil else {
                let row = table.rows.first { $0.line == record.line } ?? CSVTable.Row(line: record.line, values: [])
                checked.rejects.append((row, [Diagnostic(.error, .groupsNotInRoster, file: file, line: record.line, field: "id_number",
                    Message(zh: "名册中无此人（\(record.idNumber.masked)）：未导入，请核实后由参保登记补录，或退回部门更正",
                            en: "\(record.idNumber.masked) is not in the roster: not imported; enrol the person first, or send the row back to the department"))]))
                report.notInRoster += 1
                continue
            }
            let yearStart = CivilDate(year: policy.year, month: 1, day: 1)!, yearEnd = CivilDate(year: policy.year, month: 12, day: 31)!
            let others = try await store.memberships(idNumber: record.idNumber).filter { other in
                other.group != record.group && other.validFrom <= yearEnd && (other.validTo ?? yearEnd) >= yearStart
            }
            if let other = others.first {
                notes[record.line] = Message(zh: "已在其他群体（\(other.group)，\(other.department)）：两份名单都已登记，定档时按政策取其一",
                                             en: "also in another group (\(other.group), \(other.department)): both kept; pricing applies the policy's choice")
                report.inOtherGroups += 1
            }
            kept.append(record)
        }
        checked.rejects.sort { $0.row.line < $1.row.line }
        report.rejected = checked.rejects
        report.counts = try await store.importMemberships(kept, actor: actor, source: (file as NSString).lastPathComponent)
        report.feedback = GroupFeedback.rows(table: checked.table ?? table, kept: kept, rejected: checked.rejects, notes: notes, names: checked.names)
        return report
    }

    /// The rounds run for `year`, in order.
    public func residentsRounds(year: Int) async throws -> [ResidentsRound] { try await store.residentsRounds(year: year) }

    /// A person's memberships of the special groups, as the departments' lists give them.
    public func memberships(_ idNumber: IDNumber) async throws -> [GroupMembershipRecord] { try await store.memberships(idNumber: idNumber) }
}
