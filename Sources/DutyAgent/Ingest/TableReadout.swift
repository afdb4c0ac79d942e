import Shared

/// What a table file (people, roster, leaves) held: the rows read, and a `bad_line` item for
/// each row skipped, naming the file, the line and the field.
struct TableReadout<Row: Sendable>: Sendable {
    var rows: [Row]
    var quality: [QualityItem]

    init(rows: [Row] = [], quality: [QualityItem] = []) {
        self.rows = rows
        self.quality = quality
    }
}
