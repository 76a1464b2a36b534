public import ArgumentParser
public import BankFormats
import Foundation
import PikouCore
import PikouCycle

/// Options every command that reads bank specs takes.
struct FormatsOptions: ParsableArguments {
    @Option(name: .customLong("formats"), help: ArgumentHelp(Catalogue.Help.Option.formats.text, valueName: "DIR"))
    var directory: String?

    /// The bank specs: `--formats DIR`, else the workspace's own (`formats:` and `schemas:` of the
    /// `pikou.yaml` at `config`, by default in `$PIKOU_WORKSPACE` or the current folder), else the
    /// installed or checkout Formats (``FormatRepository/locate(explicit:environment:executablePath:)``).
    func repository(config: String? = nil) -> FormatRepository {
        if let directory { return FormatRepository(directory: directory) }
        let path = config ?? ((ProcessInfo.processInfo.environment["PIKOU_WORKSPACE"] ?? ".") + "/pikou.yaml")
        return Workspace.formats(configPath: path) ?? FormatRepository(directory: FormatRepository.locate(explicit: nil))
    }

    var repository: FormatRepository { repository() }

    /// Loads a bank's spec, printing its diagnostics and failing on errors.
    func spec(_ code: String, config: String? = nil) throws -> BankSpec {
        do {
            return try repository(config: config).spec(code.uppercased())
        } catch {
            printDiagnostics(error.diagnostics)
            throw ExitCode(1)
        }
    }
}

/// Writes diagnostics to standard error, one per line; the same finding on many lines once, with
/// its count and first lines (``Swift/Array/summarized(repeats:shown:)``).
func printDiagnostics(_ diagnostics: [Diagnostic]) {
    for diagnostic in diagnostics.summarized() { printError(diagnostic.description) }
}

/// Writes a failure to standard error as every command says one (``PikouError/rendered``).
func report(_ error: any Error) {
    printError(PikouError(error).rendered)
}

/// Writes one line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Reads a whole file as bytes, or fails with a message naming it.
func readBytes(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        printError(PikouError("file.unreadable", Message(zh: "\(path): 错误：无法读取该文件（核对路径和文件名）",
                                                         en: "\(path): error: cannot read the file (does it exist?)")).rendered)
        throw ExitCode(1)
    }
    return [UInt8](data)
}

/// `error` as a failure at `path` (a file, the store): `path: 错误：what：message [code]`, with the
/// error's code and fix; `what` says what failed (无法签名) when the message alone does not. A
/// message that already starts with `path` is kept as it is.
func placedFailure(_ error: any Error, at path: String, _ what: Message? = nil) -> PikouError {
    let failure = PikouError(error)
    if what == nil, failure.message.en.hasPrefix(path + ":") { return failure }
    let zh = what.map { $0.zh + "：" } ?? "", en = what.map { $0.en + ": " } ?? ""
    return PikouError(failure.code, Message(zh: "\(path): 错误：\(zh)\(failure.message.zh)", en: "\(path): error: \(en)\(failure.message.en)"),
                      fix: failure.fix)
}

/// Writes `bytes` to `path` through ``FileIO/writeAtomically(_:to:)`` (temporary file, fsync, rename,
/// fsync of the folder), or fails with its message and exit status 1.
func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    do { try FileIO.writeAtomically(bytes, to: path) } catch {
        report(error)
        throw ExitCode(1)
    }
}

/// Parses a `YYYY-MM-DD` or `YYYYMMDD` date option.
func parseDate(_ text: String, option: String) throws -> CivilDate {
    if let date = DatePattern.parse(Array(text.utf8), "yyyy-MM-dd") ?? DatePattern.parse(Array(text.utf8), "yyyyMMdd") {
        return date
    }
    throw usageError(Message(zh: "\(option) '\(text)' 不是有效日期，应写作 2026-12-01 这样的格式", en: "\(option) '\(text)' is not a date like 2026-12-01"))
}

/// Today's date in China Standard Time, where the banks are.
func todayInChina() -> CivilDate { FileIO.todayInChina() }

extension FileKind: ExpressibleByArgument {}
extension Scheme: ExpressibleByArgument {}

/// The scheme options' rule, for the commands that take both: the monthly scheme needs --period, the
/// residents' scheme takes --year (the cover year) and `residentsOnly`, never --period.
func checkSchemeOptions(_ scheme: Scheme, period: Period?, residentsOnly: [(option: String, given: Bool)], taking: Message) throws {
    switch scheme {
    case .flexibleMonthly:
        if period == nil {
            throw usageError(Message(zh: "需要 --period（如 2026-12）；城乡居民两险用 --scheme 'residents-annual' 和 --year（参保年度）",
                                     en: "--period YYYY-MM is needed (or --scheme residents-annual --year YYYY)"))
        }
        if residentsOnly.contains(where: \.given) {
            let options = residentsOnly.map(\.option)
            throw usageError(Message(zh: "\(options.joined(separator: "、")) 只用于城乡居民两险（--scheme 'residents-annual'）",
                                     en: "\(options.joined(separator: " and ")) are for --scheme residents-annual"))
        }
    case .residentsAnnual:
        if period != nil {
            throw usageError(Message(zh: "--period 只用于按月征收（灵活就业人员）；\(taking.zh) --year（参保年度）",
                                     en: "--period is for the monthly scheme; \(taking.en) --year (the cover year)"))
        }
    }
}
