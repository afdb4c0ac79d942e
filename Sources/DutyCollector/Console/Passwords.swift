import Foundation
import HummingbirdBcrypt
import NIOPosix
import Shared

/// Console passwords: bcrypt (hummingbird-auth's), hashed and checked off the cooperative pool,
/// the rules a new password must meet, and generated initial passwords.
struct Passwords: Sendable {
    /// bcrypt's work factor: 12 in use (about a quarter of a second a check); tests pass a lower one.
    var cost: UInt8 = 12

    /// The shortest password accepted.
    static let minimumLength = 10

    /// The bcrypt hash of `password`, computed on NIO's thread pool.
    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`, checked on NIO's thread pool.
    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Why `password` may not be used, or nil when it may: at least `minimumLength` characters,
    /// not only digits, not the account name, no control characters, at most 72 bytes (bcrypt's limit).
    static func problem(with password: String, name: String, language: Language = .en) -> String? {
        let zh = language == .zh
        if password.count < minimumLength {
            return zh ? "密码至少 \(minimumLength) 个字符" : "a password has at least \(minimumLength) characters"
        }
        if password.utf8.count > 72 { return zh ? "密码不超过 72 字节" : "a password has at most 72 bytes" }
        if password.allSatisfy(\.isNumber) { return zh ? "密码不能全是数字" : "a password is not only digits" }
        if password.lowercased().contains(name.lowercased()) && !name.isEmpty {
            return zh ? "密码不能包含用户名" : "a password does not contain the user name"
        }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return zh ? "密码不能含控制字符" : "a password has no control characters"
        }
        return nil
    }

    /// A random 16-character password without look-alike characters (no 0/O, 1/l/I).
    static func generate() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
