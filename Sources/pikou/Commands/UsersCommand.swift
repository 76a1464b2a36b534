import ArgumentParser
import Foundation
import PikouConsole
import PikouCore
import PikouCycle

/// `pikou users`: the console's users, kept in the workspace (console/users.json, 0600).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: Catalogue.Help.users.text, subcommands: [Add.self, Disable.self, Enable.self, Passwd.self, TOTP.self, List.self, SealUsers.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.usersAdd.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.userName.text)) var name: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.userRole.text)) var role: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.passwordFile.text, valueName: "FILE")) var passwordFile: String?

        func run() async throws {
            guard let role = ConsoleRole(rawValue: role) else {
                let roles = ConsoleRole.allCases
                throw usageError(Message(zh: "--role \(role)：只能是 \(roles.map { "'\($0.rawValue)'（\($0.label.zh)）" }.joined(separator: "、"))",
                                         en: "--role \(role): one of \(roles.map(\.rawValue).joined(separator: ", "))"))
            }
            let workspace = try options.load()
            let useCases = try await options.open(workspace)
            let password = try readPassword(file: passwordFile, confirm: true)
            let admin = UserAdmin(book: UserBook(workspaceDirectory: workspace.directory), useCases: useCases)
            let user = try await reporting { try await admin.add(name: name, role: role, password: password, actor: options.actorName) }
            print(Message(zh: "已新增用户 \(user.name)（\(role.label.zh)）", en: "added user \(user.name) (\(role.label.en))").text)
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.usersDisable.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.userName.text)) var name: String

        func run() async throws { try await setDisabled(options, name, true) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.usersEnable.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.userName.text)) var name: String

        func run() async throws { try await setDisabled(options, name, false) }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.usersPasswd.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.userName.text)) var name: String
        @Option(help: ArgumentHelp(Catalogue.Help.Option.passwordFile.text, valueName: "FILE")) var passwordFile: String?

        func run() async throws {
            let workspace = try options.load()
            let useCases = try await options.open(workspace)
            let password = try readPassword(file: passwordFile, confirm: true)
            let admin = UserAdmin(book: UserBook(workspaceDirectory: workspace.directory), useCases: useCases)
            _ = try await reporting { try await admin.setPassword(name, password, actor: options.actorName) }
            print(Message(zh: "已为 \(name) 设新密码", en: "new password set for \(name)").text)
        }
    }

    struct TOTP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "totp", abstract: Catalogue.Help.usersTOTP.text,
                                                        discussion: Catalogue.Help.usersTOTPDiscussion.text)
        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(Catalogue.Help.Option.userName.text)) var name: String
        @Flag(help: ArgumentHelp(Catalogue.Help.Option.totpOff.text)) var off = false

        func run() async throws {
            let workspace = try options.load()
            let useCases = try await options.open(workspace)
            let admin = UserAdmin(book: UserBook(workspaceDirectory: workspace.directory), useCases: useCases)
            let result = try await reporting { try await admin.setTOTP(name, enabled: !off, actor: options.actorName) }
            if let address = result.address {
                // Shown once, to the terminal only: the user adds it to their authenticator app now.
                print(Message(zh: "已为 \(name) 开启两步验证。请在其手机验证器（如 Google Authenticator、FreeOTP）中添加下面的地址（或用它生成二维码）；此地址只显示这一次：",
                              en: "two-step login is on for \(name). Add this address to their authenticator app (Google Authenticator, FreeOTP, …), or make a QR code of it; it is shown this once:").text)
                print(address)
            } else {
                print(Message(zh: "已为 \(name) 关闭两步验证", en: "two-step login is off for \(name)").text)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: Catalogue.Help.usersList.text)
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let workspace = try options.load()
            let users = try await reporting { try await UserBook(workspaceDirectory: workspace.directory).all() }
            var table = TextTable([TextTable.Column(Message(zh: "用户", en: "USER").text), TextTable.Column(Message(zh: "角色", en: "ROLE").text),
                                   TextTable.Column(Catalogue.state.text), TextTable.Column(Message(zh: "两步验证", en: "2-STEP").text)])
            for user in users {
                let state: Message = user.disabled ? Message(zh: "已停用", en: "disabled")
                    : (user.lockedUntil.map { $0 > Date() } == true ? Message(zh: "已锁定", en: "locked") : Message(zh: "正常", en: "active"))
                table.add([user.name, user.role.label.text, state.text, (user.totpSecret == nil ? Catalogue.no : Catalogue.yes).text])
            }
            for line in table.lines() { print(line) }
        }
    }
}

extension UsersCommand {
    /// `pikou users seal`: seals each user as the users file holds them now, in the journal: once after
    /// an upgrade (users added before seals), or to accept an edit of the file `check` named. Look at
    /// `pikou users list` first: what is sealed is what `check` holds the file to from then on.
    struct SealUsers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "seal", abstract: Catalogue.Help.usersSeal.text)
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let workspace = try options.load()
            let useCases = try await options.open(workspace)
            let book = UserBook(workspaceDirectory: workspace.directory)
            let journal = try await reporting { try await useCases.journal(JournalFilter(action: "console.user.", limit: Int(Int32.max))).entries }
            let findings = try await reporting { try await book.sealFindings(journal) }
            let names = Set(findings.unsealed + findings.changed.map(\.name))
            for user in try await reporting({ try await book.all() }) where names.contains(user.name) {
                try await reporting {
                    try await useCases.journal(actor: options.actorName, action: "console.user.sealed", subject: user.name,
                                               detail: "role \(user.role.rawValue) as the users file holds it; \(user.sealText)")
                }
                print(Message(zh: "已封印用户 \(user.name)（\(user.role.label.zh)）", en: "sealed user \(user.name) (\(user.role.label.en))").text)
            }
            if names.isEmpty { print(Message(zh: "每个用户都已封印", en: "every user is sealed already").text) }
        }
    }
}

func setDisabled(_ options: StoreOptions, _ name: String, _ disabled: Bool) async throws {
    let workspace = try options.load()
    let useCases = try await options.open(workspace)
    let admin = UserAdmin(book: UserBook(workspaceDirectory: workspace.directory), useCases: useCases)
    _ = try await reporting { try await admin.setDisabled(name, disabled, actor: options.actorName) }
    print((disabled ? Message(zh: "已停用 \(name)", en: "disabled \(name)") : Message(zh: "已启用 \(name)", en: "enabled \(name)")).text)
}

/// A password from `file` (its first line), or typed at the terminal without echo (twice when
/// `confirm`), or one line of standard input when it is not a terminal.
func readPassword(file: String?, confirm: Bool) throws -> String {
    if let file {
        guard let data = FileManager.default.contents(atPath: file) else {
            let unreadable = Message(zh: "\(file): 错误：无法读取密码文件", en: "\(file): error: cannot read the password file")
            printError(PikouError("users.passwordFile", unreadable).rendered)
            throw ExitCode(1)
        }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }
    guard isatty(STDIN_FILENO) != 0 else { return readLine(strippingNewline: true) ?? "" }
    func typed(_ prompt: Message) -> String {
        FileHandle.standardError.write(Data(prompt.text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
    let password = typed(Message(zh: "密码：", en: "Password: "))
    if confirm, typed(Message(zh: "再输一次：", en: "Again: ")) != password {
        throw ValidationError(Message(zh: "两次输入的密码不同", en: "the two passwords differ").text)
    }
    return password
}
