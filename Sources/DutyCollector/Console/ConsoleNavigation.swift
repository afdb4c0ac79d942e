import Shared

/// The navigation bar: the sections a user's role may open.
enum ConsoleNavigation {
    /// One link of the bar.
    struct Item {
        var key: String
        var href: String
    }

    /// Every section, in order, with the roles that see it.
    static let sections: [(item: Item, roles: Set<UserRole>)] = [
        (Item(key: "home", href: "/"), [.admin, .hr, .manager]),
        (Item(key: "reviews", href: "/reviews"), [.admin, .hr, .manager]),
        (Item(key: "bulletin", href: "/bulletin"), [.admin, .hr, .manager]),
        (Item(key: "me", href: "/me"), [.staff]),
        (Item(key: "agents", href: "/agents"), [.admin]),
        (Item(key: "users", href: "/users"), [.admin]),
        (Item(key: "account", href: "/account"), Set(UserRole.allCases)),
    ]

    /// The bar for `user`, the current `section` marked.
    static func items(for user: ConsoleUser, language: Language, section: String?) -> [[String: Any]] {
        sections.filter { $0.roles.contains(user.role) }.map { entry in
            ["label": ConsoleText.text(entry.item.key, language), "href": entry.item.href,
             "current": entry.item.key == section]
        }
    }
}
