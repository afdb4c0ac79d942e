/// What is wrong with one row, as a message that starts with the field (`打卡时间: …`).
struct RowProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
