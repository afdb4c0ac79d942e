import Foundation

/// The collector's schema, as numbered migrations applied in order, the same tables, columns and
/// keys on both databases (the auto-incremented key is spelled per dialect, and version 22 reaches
/// the same key by a different road on each).
///
/// Times are BIGINT milliseconds since 1970, business dates TEXT `yyyy-MM-dd` (fixed width, so text
/// order is date order under any collation), units TEXT paths `局/科室/…`, booleans 0/1.
enum Migrations {
    /// Every migration: its version and statements.
    static func all(_ d: SQLDialect) -> [(version: Int, statements: [String])] {
        [(1, version1(d)), (2, version2(d)), (3, version3(d)), (4, version4(d)), (21, version21(d)), (22, version22(d))]
    }

    /// The first schema.
    static func version1(_ d: SQLDialect) -> [String] {
        [
            """
            CREATE TABLE agents (
                id TEXT PRIMARY KEY,
                unit_prefixes TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT,
                last_contact BIGINT)
            """,
            """
            CREATE TABLE summaries (
                agent TEXT NOT NULL,
                date TEXT NOT NULL,
                revision BIGINT NOT NULL,
                digest TEXT NOT NULL,
                site TEXT NOT NULL,
                generated_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (agent, date))
            """,
            "CREATE INDEX summaries_date ON summaries (date)",
            """
            CREATE TABLE unit_days (
                agent TEXT NOT NULL,
                date TEXT NOT NULL,
                unit TEXT NOT NULL,
                scheduled BIGINT NOT NULL,
                present BIGINT NOT NULL,
                excused BIGINT NOT NULL,
                unverified BIGINT NOT NULL,
                PRIMARY KEY (agent, date, unit))
            """,
            // Roll-ups reach unit_days from the closure table by unit, then narrow by date.
            "CREATE INDEX unit_days_unit ON unit_days (unit, date)",
            "CREATE INDEX unit_days_date ON unit_days (date)",
            """
            CREATE TABLE anomalies (
                agent TEXT NOT NULL,
                date TEXT NOT NULL,
                id TEXT NOT NULL,
                revision BIGINT NOT NULL,
                unit TEXT NOT NULL,
                person TEXT NOT NULL,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                minutes BIGINT NOT NULL,
                severity TEXT NOT NULL,
                excused BIGINT NOT NULL,
                reason TEXT,
                shift TEXT NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (agent, date, id))
            """,
            "CREATE INDEX anomalies_id ON anomalies (id)",
            "CREATE INDEX anomalies_date ON anomalies (date, unit, person)",
            "CREATE INDEX anomalies_unit ON anomalies (unit, date)",
            "CREATE INDEX anomalies_person ON anomalies (person, date)",
            """
            CREATE TABLE unit_closure (
                unit TEXT NOT NULL,
                ancestor TEXT NOT NULL,
                depth BIGINT NOT NULL,
                PRIMARY KEY (unit, ancestor))
            """,
            "CREATE INDEX unit_closure_ancestor ON unit_closure (ancestor, unit)",
            """
            CREATE TABLE reviews (
                anomaly_id TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                note TEXT NOT NULL,
                reviewer TEXT NOT NULL,
                decided_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE audit_log (
                seq \(d.serialKey),
                anomaly_id TEXT NOT NULL,
                state TEXT NOT NULL,
                note TEXT NOT NULL,
                reviewer TEXT NOT NULL,
                decided_at BIGINT NOT NULL)
            """,
            "CREATE INDEX audit_log_anomaly ON audit_log (anomaly_id, seq)",
        ]
    }

    /// The unit tree by id: a unit's text is stored once (`units`), its place in the tree as rows of
    /// two integers (`unit_links`, one per ancestor), so the tree grows with the number of units.
    /// Version 1 kept every (unit, ancestor) pair as two texts, which grew with the cube of a
    /// path's depth: one 400-component path added 777 MB. The read queries keep their shape
    /// through the `unit_closure` view.
    static func version2(_ d: SQLDialect) -> [String] {
        [
            "CREATE TABLE units (id \(d.serialKey), path TEXT NOT NULL UNIQUE)",
            """
            CREATE TABLE unit_links (
                unit_id BIGINT NOT NULL,
                ancestor_id BIGINT NOT NULL,
                depth BIGINT NOT NULL,
                PRIMARY KEY (unit_id, ancestor_id))
            """,
            "CREATE INDEX unit_links_ancestor ON unit_links (ancestor_id, unit_id)",
            "INSERT INTO units (path) SELECT DISTINCT unit FROM unit_closure ORDER BY unit",
            """
            INSERT INTO unit_links (unit_id, ancestor_id, depth)
            SELECT u.id, a.id, c.depth FROM unit_closure c JOIN units u ON u.path = c.unit JOIN units a ON a.path = c.ancestor
            """,
            "DROP TABLE unit_closure",
            """
            CREATE VIEW unit_closure AS
            SELECT u.path AS unit, a.path AS ancestor, l.depth AS depth
            FROM unit_links l JOIN units u ON u.id = l.unit_id JOIN units a ON a.id = l.ancestor_id
            """,
        ]
    }

    /// The HR console: users, sessions, explanations (情况说明) and the console's audit events.
    static func version3(_ d: SQLDialect) -> [String] {
        [
            """
            CREATE TABLE users (
                id \(d.serialKey),
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                units TEXT NOT NULL,
                person TEXT,
                password_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                disabled_at BIGINT,
                password_changed_at BIGINT NOT NULL)
            """,
            // Keys are SHA-256 hashes of the session ids: the table holds no usable cookie.
            """
            CREATE TABLE sessions (
                session_key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                expires_at BIGINT)
            """,
            "CREATE INDEX sessions_expires ON sessions (expires_at)",
            """
            CREATE TABLE explanations (
                seq \(d.serialKey),
                anomaly_id TEXT NOT NULL,
                author TEXT NOT NULL,
                text TEXT NOT NULL,
                written_at BIGINT NOT NULL)
            """,
            "CREATE INDEX explanations_anomaly ON explanations (anomaly_id, seq)",
            """
            CREATE TABLE console_events (
                seq \(d.serialKey),
                kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                actor TEXT,
                address TEXT,
                detail TEXT NOT NULL,
                at BIGINT NOT NULL)
            """,
            "CREATE INDEX console_events_subject ON console_events (kind, subject, at)",
            "CREATE INDEX console_events_address ON console_events (kind, address, at)",
        ]
    }

    /// Suspected anomalies (wire format 2): an `off_post` whose return the badges do not show. They
    /// count nowhere until HR confirms one. Rows stored before are not suspected.
    static func version4(_ d: SQLDialect) -> [String] {
        ["ALTER TABLE anomalies ADD COLUMN suspected BIGINT NOT NULL DEFAULT 0"]
    }

    /// How many review decisions were made on the anomalies of each month (`yyyy-MM` of the
    /// anomaly's business date), counted in the decision's own transaction: the part of a month's
    /// figures' stamp (`CollectorStore.dataStamp`) that people's decisions move, so that a decision
    /// rebuilds the figures of its month (and of the month after, which compares with it) and no
    /// other. Counted from the audit log for decisions made before this version. (Numbered 21:
    /// other branches hold the numbers before it.)
    static func version21(_ d: SQLDialect) -> [String] {
        [
            "CREATE TABLE review_months (month TEXT PRIMARY KEY, decisions BIGINT NOT NULL)",
            """
            INSERT INTO review_months (month, decisions)
            SELECT SUBSTR(a.date, 1, 7), COUNT(*) FROM audit_log l
            JOIN (SELECT DISTINCT id, date FROM anomalies) a ON a.id = l.anomaly_id
            GROUP BY SUBSTR(a.date, 1, 7)
            """,
        ]
    }

    /// The unit figures keyed by date first, with no other index: `(date, agent, unit)`.
    ///
    /// Every read of `unit_days` names a date range (the figures, the unjudged days) or an
    /// (agent, date) (a summary's replacement), which a key led by the date serves. The index by
    /// unit it replaces cost the ingest most of its time: each stored summary adds a row for each of
    /// its units, the units' places in a unit-first index are far apart, and every such page is
    /// written again at each commit (a 4 KB WAL frame on SQLite, a page image after a checkpoint on
    /// PostgreSQL): about a third of the pages of a commit on the ingest benchmark, whose rate rose
    /// from about 1,800 to 2,300 summaries/s on SQLite without it (BENCHMARKS.md, run 8). Rows are
    /// inserted near each other now (the day's date), so a commit writes a few pages of them.
    ///
    /// On SQLite the table becomes `WITHOUT ROWID` (its key is the table, one B-tree instead of
    /// three with the rowid and date indexes), rebuilt by copying in the key's order (so the copy
    /// appends, and its pages come out full); PostgreSQL swaps the key's order and drops the two
    /// indexes.
    static func version22(_ d: SQLDialect) -> [String] {
        switch d {
        case .sqlite:
            [
                """
                CREATE TABLE unit_days_by_date (
                    agent TEXT NOT NULL,
                    date TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    scheduled BIGINT NOT NULL,
                    present BIGINT NOT NULL,
                    excused BIGINT NOT NULL,
                    unverified BIGINT NOT NULL,
                    PRIMARY KEY (date, agent, unit)) WITHOUT ROWID
                """,
                """
                INSERT INTO unit_days_by_date (agent, date, unit, scheduled, present, excused, unverified)
                SELECT agent, date, unit, scheduled, present, excused, unverified FROM unit_days ORDER BY date, agent, unit
                """,
                "DROP TABLE unit_days",
                "ALTER TABLE unit_days_by_date RENAME TO unit_days",
            ]
        case .postgres:
            [
                "ALTER TABLE unit_days DROP CONSTRAINT unit_days_pkey, ADD CONSTRAINT unit_days_pkey PRIMARY KEY (date, agent, unit)",
                "DROP INDEX IF EXISTS unit_days_unit",
                "DROP INDEX IF EXISTS unit_days_date",
            ]
        }
    }

    /// Applies the missing migrations inside the caller's transaction (which holds the database's
    /// write lock on SQLite, or `pg_advisory_xact_lock` on PostgreSQL). Returns the versions applied.
    @discardableResult
    static func apply(_ session: any SQLSession, now: Date) async throws -> [Int] {
        try await session.query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        // Every version not recorded yet, in order: a store is never assumed to have a version
        // because it has a later one.
        let done = Set(try await session.query("SELECT version FROM schema_migrations").map { $0.int(0) })
        var applied: [Int] = []
        for migration in all(session.dialect) where !done.contains(migration.version) {
            for statement in migration.statements { try await session.query(statement) }
            try await session.query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                                    [.int(migration.version), .time(now)])
            applied.append(migration.version)
        }
        return applied
    }
}
