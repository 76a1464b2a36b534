import PikouCore

/// The web console's commands (`pikou console`, `pikou users`): their help, in both languages.
extension Catalogue.Help {
    static let console = Message(
        zh: "启动批扣工作台（网页控制台），供经办人员、财务和审计在浏览器中使用。",
        en: "Serve the web console for operators, finance staff and auditors.")
    static let consoleDiscussion = Message(
        zh: """
            页面由服务器生成，不用脚本，不连外网。用户先用 `pikou users add` 建立；会话 15 分钟无操作即结束，
            连续输错 5 次密码锁定 15 分钟。经 TLS 反向代理对外服务时加 --secure-cookies。
            """,
        en: """
            Pages are rendered on the server, with no script and nothing fetched from outside. Create users
            first with `pikou users add`; a session ends after 15 idle minutes, and five wrong passwords in a
            row lock an account for 15 minutes. Behind a TLS reverse proxy, add --secure-cookies.
            """)
    static let users = Message(zh: "管理工作台用户：新增、停用、启用、改密码、列出。", en: "Manage the console's users: add, disable, enable, change passwords, list.")
    static let usersAdd = Message(zh: "新增用户，指定角色；密码从终端输入（不回显）或 --password-file 读取。",
                                         en: "Add a user with a role; the password is typed at the terminal (not echoed) or read from --password-file.")
    static let usersDisable = Message(zh: "停用用户：其会话在下一次点击时结束。", en: "Disable a user: their sessions end at the next click.")
    static let usersEnable = Message(zh: "重新启用已停用的用户。", en: "Enable a disabled user again.")
    static let usersTOTP = Message(zh: "为用户开启或关闭两步验证（手机验证器的 6 位验证码）。", en: "Turn a user's two-step login (a 6-digit authenticator code) on or off.")
    static let usersTOTPDiscussion = Message(
        zh: """
            开启后，该用户登录时除密码外还要填写验证器当前的 6 位验证码（TOTP，每 30 秒一换；同一验证码只能用一次）。
            命令只在终端显示一次 otpauth:// 地址，请当面添加到用户的验证器中。密钥保存在 console/users.json（权限 0600）。
            开启、关闭或重新生成都会结束该用户已打开的会话；手机丢失时重新运行本命令（生成新密钥）或加 --off。
            """,
        en: """
            With it on, the user logs in with their password and their authenticator's current 6-digit code (TOTP,
            a new one every 30 seconds; each code is good once). The otpauth:// address is shown once, on this
            terminal: add it to the user's app in person. The secret is kept in console/users.json (0600).
            Turning it on, off or on again ends the user's open sessions; a lost phone: run this again (a new
            secret) or with --off.
            """)
    static let usersPasswd = Message(zh: "为用户设新密码（同时解除锁定）。", en: "Set a user's new password (which also unlocks the account).")
    static let usersList = Message(zh: "列出用户、角色和状态（不显示密码）。", en: "List users, roles and states (never passwords).")
    static let usersSeal = Message(zh: "把用户文件中每个尚未封印或被 check 指出改动的用户按现状封印进日志（升级后一次；先用 users list 核对角色）。",
                                   en: "Seal into the journal each user the users file holds that has no seal or that check named as changed, as it stands (once after an upgrade; look at users list first).")
}

extension Catalogue.Help.Option {
    static let consoleListen = Message(zh: "监听地址 主机:端口；默认 127.0.0.1:8080（仅本机）。", en: "Address to listen on, HOST:PORT; default 127.0.0.1:8080 (this machine only).")
    static let totpOff = Message(zh: "关闭两步验证（不加则开启，并生成新密钥）。", en: "Turn two-step login off (without it: on, with a new secret).")
    static let consoleDate = Message(
        zh: "工作台当作“今天”的日期（YYYY-MM-DD，默认中国时间今天）：重扣文件的日期和可重扣的判断按它。用于演练和测试。",
        en: "The date the console takes as today (YYYY-MM-DD; default today in China): resubmission files carry it and retry rules count from it. For rehearsals and tests.")
    static let consoleSecureCookies = Message(zh: "会话 Cookie 加 Secure 标记（经 HTTPS 访问时必须）。", en: "Mark the session cookie Secure (needed when served over HTTPS).")
    static let userName = Message(zh: "用户名：1–32 个字母（可为汉字）、数字、. _ -。", en: "User name: 1-32 letters (Chinese included), digits, . _ -.")
    static let userRole = Message(zh: "角色：operator（经办人员）、finance（财务）、auditor（审计）、admin（管理员）。",
                                         en: "Role: operator, finance, auditor or admin.")
    static let passwordFile = Message(zh: "从文件读取密码（首行）；不给则在终端输入。", en: "Read the password from a file (its first line); otherwise it is typed at the terminal.")
}
