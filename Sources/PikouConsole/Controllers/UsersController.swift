import Foundation
import Hummingbird
import PikouCore
import PikouCycle

/// 用户管理 (the admin only): the console's users — add, disable and enable, reset a password, turn
/// the second factor on or off — by the rules of `pikou users`, each change journaled with its seal.
extension Console {
    func addUsersRoutes(to router: Router<ConsoleContext>) {
        router.get("/users") { request, context in try await page(request, context, .manageUsers) { viewer in try await usersPage(viewer) } }
        router.post("/users") { request, context in
            try await action(request, context, .manageUsers) { viewer, form in try await changeUser(form, viewer) }
        }
    }

    func usersPage(_ viewer: Viewer, notice: HTML = "") async throws -> HTML {
        let users = try await users.all()
        let roles = Layout.options(none: Catalogue.Page.chooseRole.text(language), ConsoleRole.allCases.map { ($0.rawValue, $0.label.text(language)) }, selected: nil)
        let rows = users.sorted { $0.name < $1.name }.map { user -> [HTML] in
            let state = user.disabled ? Catalogue.Page.userDisabled : Catalogue.Page.userActive
            func button(_ action: String, _ label: Message, danger: Bool = false) -> HTML {
                let style: HTML = danger ? " class=\"danger\"" : ""
                return """
                <form method="post" action="/users" class="inline">\(csrfField(viewer))<input type="hidden" name="name" value="\(user.name)">\
                <button name="do" value="\(action)"\(style)>\(label.text(language))</button></form>
                """
            }
            let toggle = user.disabled ? button("enable", Catalogue.Page.enableUser) : (user.name == viewer.name ? "" : button("disable", Catalogue.Page.disableUser, danger: true))
            let totp = user.totpSecret == nil ? button("totp-on", Catalogue.Page.totpOn) : button("totp-off", Catalogue.Page.totpOff)
            let reset: HTML = """
                <form method="post" action="/users" class="inline">\(csrfField(viewer))<input type="hidden" name="name" value="\(user.name)">\
                <input type="password" name="password" autocomplete="new-password" minlength="\(UserBook.minimumPasswordLength)" placeholder="\(Catalogue.Page.newPassword.text(language))">\
                <input type="password" name="again" autocomplete="new-password" placeholder="\(Catalogue.Page.passwordAgain.text(language))">\
                <button name="do" value="passwd">\(Catalogue.Page.resetPassword.text(language))</button></form>
                """
            return ["\(user.name)", "\(user.role.label.text(language))", "\(state.text(language))",
                    "\((user.totpSecret == nil ? Catalogue.no : Catalogue.yes).text(language))", toggle, totp, reset]
        }
        let add: HTML = """
            <h2>\(Catalogue.Page.addUser.text(language))</h2>
            <form method="post" action="/users" class="filters">\(csrfField(viewer))
            <label>\(Catalogue.Page.userName.text(language))<input name="name" required maxlength="32" autocomplete="off"></label>
            <label>\(Catalogue.Page.role.text(language))<select name="role" required>\(roles)</select></label>
            <label>\(Catalogue.Page.initialPassword.text(language))<input type="password" name="password" required minlength="\(UserBook.minimumPasswordLength)" autocomplete="new-password"></label>
            <label>\(Catalogue.Page.passwordAgain.text(language))<input type="password" name="again" required autocomplete="new-password"></label>
            <button name="do" value="add">\(Catalogue.Page.addUser.text(language))</button></form>
            """
        return Layout.frame(title: Catalogue.Page.usersTitle, viewer: viewer, language: language, current: "/users", body: """
            \(notice)
            <p>\(Catalogue.Page.usersRules(UserBook.minimumPasswordLength).text(language))</p>
            \(Layout.table([Catalogue.Page.userName, Catalogue.Page.role, Catalogue.state, Catalogue.Page.secondFactor, Catalogue.Page.enableOrDisable,
                            Catalogue.Page.setSecondFactor, Catalogue.Page.resetPassword].map { $0.text(language) }, numeric: [], rows))
            \(add)
            """)
    }

    /// One change to one user, journaled as `pikou users` journals it; the page again, saying what was done.
    func changeUser(_ form: Form, _ viewer: Viewer) async throws -> Response {
        let title = Catalogue.Page.usersTitle
        let admin = UserAdmin(book: users, useCases: useCases)
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        func password() throws -> String {
            let password = form["password"] ?? ""
            guard password == form["again"] else { throw PageError(title: title, message: Catalogue.Page.passwordsDiffer) }
            return password
        }
        var done: Message
        var shownOnce: HTML = ""
        switch form["do"] {
        case "add":
            guard let role = ConsoleRole(rawValue: form["role"] ?? "") else { throw PageError(title: title, message: Catalogue.Page.chooseRole) }
            let user = try await admin.add(name: name, role: role, password: try password(), actor: viewer.name)
            done = Catalogue.Page.userAdded(user.name, role: role.label)
        case "disable":
            // An admin cannot lock themselves out.
            guard name != viewer.name else { throw PageError(title: title, message: Catalogue.Page.cannotDisableSelf) }
            _ = try await admin.setDisabled(name, true, actor: viewer.name)
            done = Catalogue.Page.userDisabledDone(name)
        case "enable":
            _ = try await admin.setDisabled(name, false, actor: viewer.name)
            done = Catalogue.Page.userEnabledDone(name)
        case "passwd":
            _ = try await admin.setPassword(name, try password(), actor: viewer.name)
            done = Catalogue.Page.passwordResetDone(name)
        case "totp-on", "totp-off":
            let on = form["do"] == "totp-on"
            let result = try await admin.setTOTP(name, enabled: on, actor: viewer.name)
            done = on ? Catalogue.Page.totpOnDone(name) : Catalogue.Page.totpOffDone(name)
            // Shown this once, to the admin who sets it up with the user.
            if let address = result.address { shownOnce = "<p class=\"warning\"><code>\(address)</code></p>" }
        default:
            throw PageError(title: title, message: Catalogue.Page.unknownUserAction)
        }
        _ = try? await useCases.anchorJournal()
        let notice: HTML = "<p class=\"done\" role=\"status\">\(done.text(language))</p>\(shownOnce)"
        return html(try await usersPage(viewer, notice: notice))
    }
}
