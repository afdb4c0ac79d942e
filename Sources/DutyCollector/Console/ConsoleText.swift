import Shared

/// The console's own words (buttons, headings, messages) in Chinese and English. Anomaly kinds,
/// severities, review states and statuses are not here: they come from `Shared.Vocabulary`.
enum ConsoleText {
    /// Every phrase of the language, by key, for the templates (`{{t.key}}`).
    static func strings(_ language: Language) -> [String: String] {
        language == .zh ? zh : en
    }

    /// One phrase.
    static func text(_ key: String, _ language: Language) -> String { strings(language)[key] ?? key }

    /// The label of a role.
    static func role(_ role: UserRole, _ language: Language) -> String { text("role.\(role.rawValue)", language) }

    private static let zh: [String: String] = [
        "product": "考勤值守监督平台",
        "productShort": "DutyWatch",
        "signIn": "登录",
        "signInTitle": "登录考勤值守监督平台",
        "signInHint": "请使用管理员分配的账号登录。连续输错密码将暂时锁定。",
        "name": "用户名",
        "password": "密码",
        "signOut": "退出登录",
        "account": "账号",
        "changePassword": "修改密码",
        "currentPassword": "当前密码",
        "newPassword": "新密码",
        "confirmPassword": "再次输入新密码",
        "save": "保存",
        "passwordRules": "至少 10 个字符，不能全是数字，不能包含用户名。",
        "passwordChanged": "密码已修改。其他设备上的登录已失效。",
        "badCredentials": "用户名或密码不正确。",
        "throttled": "登录失败次数过多，请 {seconds} 秒后再试。",
        "wrongCurrent": "当前密码不正确。",
        "mismatch": "两次输入的新密码不一致。",
        "formExpired": "表单已失效（缺少或错误的校验码）。请返回页面刷新后重新提交。",
        "formExpiredTitle": "表单已失效",
        "notFound": "未找到该页面，或不在您的查看范围内。",
        "notFoundTitle": "未找到",
        "back": "返回",
        "home": "首页",
        "role": "角色",
        "scope": "查看范围",
        "wholeOrganisation": "全部单位",
        "ownRecord": "本人记录",
        "person": "人员编号",
        "signedInAs": "当前用户",
        "role.admin": "系统管理员",
        "role.hr": "人事审核",
        "role.manager": "部门负责人",
        "role.staff": "工作人员",
        "language": "English",
        "languageCode": "en",
        "printed": "打印时间",
        "skip": "跳到正文",
    ]

    private static let en: [String: String] = [
        "product": "Attendance and Duty Oversight",
        "productShort": "DutyWatch",
        "signIn": "Sign in",
        "signInTitle": "Sign in to DutyWatch",
        "signInHint": "Use the account your administrator gave you. Repeated wrong passwords lock the account for a while.",
        "name": "User name",
        "password": "Password",
        "signOut": "Sign out",
        "account": "Account",
        "changePassword": "Change password",
        "currentPassword": "Current password",
        "newPassword": "New password",
        "confirmPassword": "New password again",
        "save": "Save",
        "passwordRules": "At least 10 characters, not only digits, not containing the user name.",
        "passwordChanged": "Password changed. Sessions on other devices have ended.",
        "badCredentials": "Wrong user name or password.",
        "throttled": "Too many failed sign-ins: try again in {seconds} s.",
        "wrongCurrent": "The current password is wrong.",
        "mismatch": "The two new passwords differ.",
        "formExpired": "This form has expired (its check token is missing or wrong). Go back, reload the page and send it again.",
        "formExpiredTitle": "Form expired",
        "notFound": "No such page, or it is outside what you may see.",
        "notFoundTitle": "Not found",
        "back": "Back",
        "home": "Home",
        "role": "Role",
        "scope": "Scope",
        "wholeOrganisation": "All units",
        "ownRecord": "Own record",
        "person": "Person id",
        "signedInAs": "Signed in as",
        "role.admin": "Administrator",
        "role.hr": "HR reviewer",
        "role.manager": "Unit manager",
        "role.staff": "Staff",
        "language": "中文",
        "languageCode": "zh",
        "printed": "Printed",
        "skip": "Skip to content",
    ]
}
