public import ArgumentParser
import BankFormats
import Foundation
import PikouCore
public import PikouCycle

/// Options of every command that works on a workspace and its store.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Catalogue.Help.Option.workspace.text, valueName: "DIR"))
    var workspace: String?

    @Option(name: .customLong("formats"), help: ArgumentHelp(Catalogue.Help.Option.formatsUnlessConfigured.text, valueName: "DIR"))
    var formats: String?

    @Option(help: ArgumentHelp(Catalogue.Help.Option.actor.text))
    var actor: String?

    var directory: String { workspace ?? ProcessInfo.processInfo.environment["PIKOU_WORKSPACE"] ?? "." }

    var actorName: String { actor ?? ProcessInfo.processInfo.environment["USER"] ?? "pikou" }

    /// Loads the workspace or fails with its message.
    func load() throws -> Workspace {
        do {
            return try Workspace(directory: directory, defaultFormats: FormatRepository.locate(explicit: formats))
        } catch {
            report(error)
            throw ExitCode(1)
        }
    }

    /// Opens the workspace's store, or fails with its message.
    func open(_ workspace: Workspace) async throws -> UseCases {
        do { return try await UseCases.open(workspace) } catch {
            printError(placedFailure(error, at: "\(workspace.storeLocation)").rendered)
            throw ExitCode(1)
        }
    }

    /// The specs of the enabled banks (and calendars for `years`).
    func specs(_ workspace: Workspace, years: [Int] = []) throws -> (specs: [String: BankSpec], calendar: BankCalendar) {
        do {
            let loaded = try workspace.banksAndCalendar(years: years)
            for year in loaded.calendar.provisionalYears.sorted() { printError(Catalogue.provisionalCalendar(year).text) }
            return loaded
        } catch {
            report(error)
            throw ExitCode(1)
        }
    }
}

/// Runs `body`, turning any thrown error into a message and exit status 1.
func reporting<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw reported(error) }
}

/// Runs `body`, turning any thrown error into a message and exit status 1.
func reporting<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch { throw reported(error) }
}

/// What a command throws for `error`: an exit status or a flag error as it is; anything else is
/// printed and becomes exit status 1.
private func reported(_ error: any Error) -> any Error {
    if error is ExitCode || error is ValidationError { return error }
    report(error)
    return ExitCode(1)
}

/// A usage error (exit status 64) in the reader's language; with `fix`, what to do on a line of
/// its own, in place of the generic pointer to --help.
func usageError(_ message: Message, fix: Message? = nil) -> ValidationError {
    ValidationError(message.text + (fix.map { "\n  " + Message(zh: "处理：", en: "fix: ").text + $0.text } ?? ""))
}

/// A `--bank` filter, upper-cased, or a usage error naming the enabled banks (a typo must not
/// quietly list nothing).
func bankArgument(_ bank: String?, in workspace: Workspace) throws -> String? {
    guard let bank else { return nil }
    let code = bank.uppercased()
    guard workspace.enabledBanks.contains(code) else {
        let enabled = workspace.enabledBanks.sorted().joined(separator: ", ")
        throw usageError(Message(zh: "--bank \(bank) 未在 \(workspace.configPath) 中启用；已启用：\(enabled)",
                                 en: "--bank \(bank) is not enabled in \(workspace.configPath); enabled: \(enabled)"))
    }
    return code
}

/// A `--payer` value as an ID number, or an error saying what is wrong with it (masked: an ID
/// number is never echoed whole). Parsed in `run()`, not as a transform, whose error would repeat the value.
func idNumberArgument(_ text: String, option: String = "--payer") throws -> IDNumber {
    do { return try IDNumber(text.trimmingCharacters(in: .whitespaces).uppercased()) } catch {
        throw usageError(Message(zh: "\(option) \(Masking.idNumber(text))：\(error.message.zh)", en: "\(option) \(Masking.idNumber(text)): \(error)"),
                         fix: Message(zh: "核对证件号（18 位，末位可为 X）后重新输入", en: "check the ID number (18 characters, the last may be X) and give it again"))
    }
}

/// An `--account` value as an account number, or an error saying what is wrong with it (masked).
func accountArgument(_ text: String, option: String = "--account") throws -> BankAccount {
    do { return try BankAccount(text.trimmingCharacters(in: .whitespaces)) } catch {
        throw usageError(Message(zh: "\(option)：\(error.message.zh)", en: "\(option): \(error)"),
                         fix: Message(zh: "与缴费人核对卡号后重新输入", en: "check the card number with the payer and give it again"))
    }
}

/// A `--period` value, or an error saying what is wrong with it and what to write.
func periodArgument(_ text: String) throws -> Period {
    do { return try Period(text) } catch {
        throw usageError(Message(zh: "--period \(error.message.zh)", en: "--period \(error)"),
                         fix: Message(zh: "写作 YYYY-MM，如 2026-12", en: "write YYYY-MM, e.g. 2026-12"))
    }
}

extension CSVInput.Encoding: ExpressibleByArgument {}

extension CSVHeaders: ExpressibleByArgument {}
