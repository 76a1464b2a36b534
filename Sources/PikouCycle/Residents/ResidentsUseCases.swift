public import BankFormats
import Foundation
public import PikouCore
import ReconStore

/// The residents' annual scheme's use cases (issue 18, in progress).
extension UseCases {
    /// The latest cover year a residents' policy file exists for (`Formats/policy/residents-<year>.yaml`).
    public func latestResidentsYear() -> Int? {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: workspace.formatsDirectory + "/policy")) ?? []
        return files.compactMap { name -> Int? in
            guard name.hasPrefix("residents-"), name.hasSuffix(".yaml") else { return nil }
            return Int(name.dropFirst("residents-".count).dropLast(".yaml".count))
        }.max()
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
    }

    /// Imports a department's list of `group` (a group of the residents' policy of `year`): every
    /// good row is stored (a membership already there is left), every bad one refused with its line,
    /// field and reason. The department is the policy's for the group unless `department` names another.
    public func importGroupList(file: String, encoding: CSVInput.Encoding, group: String, department: String?, year: Int?, actor: String) async throws -> GroupImportReport {
        let policy = try residentsPolicy(year: year)
        let text = try CSVInput.read(file, encoding: encoding)
        let issuer = department ?? policy.group(group)?.department ?? ""
        let checked = try GroupsImport.check(text: text, fileName: file, group: group, department: issuer, policy: policy).get()
        var report = GroupImportReport(group: group, department: issuer, rejected: checked.rejects, columns: checked.columns)
        report.counts = try await store.importMemberships(checked.records, actor: actor, source: (file as NSString).lastPathComponent)
        return report
    }

    /// A person's memberships of the special groups, as the departments' lists give them.
    public func memberships(_ idNumber: IDNumber) async throws -> [GroupMembershipRecord] { try await store.memberships(idNumber: idNumber) }
}
