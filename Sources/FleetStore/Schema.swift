import SQLite

/// The database schema as numbered migrations. A landed migration is never edited: a change is a
/// new entry at the end. `PRAGMA user_version` records how many have run.
enum Schema {
    static let migrations: [String] = [
        // 1: registry, incidents, their events, and the daemon's live status row.
        """
        CREATE TABLE devices (
            id TEXT PRIMARY KEY,
            site TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT,
            inventory INTEGER NOT NULL,
            state TEXT NOT NULL,
            state_since REAL NOT NULL,
            last_seen REAL,
            clock_skewed INTEGER NOT NULL DEFAULT 0,
            firmware TEXT
        );
        CREATE TABLE incidents (
            id INTEGER PRIMARY KEY,
            priority TEXT NOT NULL,
            status TEXT NOT NULL,
            rule TEXT NOT NULL,
            scope TEXT NOT NULL,
            site TEXT,
            kind TEXT,
            device TEXT,
            parent INTEGER,
            flapping INTEGER NOT NULL DEFAULT 0,
            occurrences INTEGER NOT NULL,
            opened_at REAL NOT NULL,
            acknowledged_at REAL,
            resolved_at REAL,
            respond_by REAL,
            onsite_by REAL,
            summary TEXT NOT NULL,
            last_seen_at REAL NOT NULL
        );
        CREATE INDEX incidents_unresolved ON incidents(status) WHERE status != 'resolved';
        CREATE INDEX incidents_parent ON incidents(parent) WHERE parent IS NOT NULL;
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            incident INTEGER NOT NULL,
            ts REAL NOT NULL,
            event TEXT NOT NULL,
            priority TEXT NOT NULL,
            fields TEXT NOT NULL
        );
        CREATE INDEX events_incident ON events(incident, seq);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO meta(key, value) VALUES ('announced_through', 0);
        CREATE TABLE daemon_status (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            pid INTEGER NOT NULL,
            started_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            broker_connected INTEGER NOT NULL,
            accepted INTEGER NOT NULL,
            rejected TEXT NOT NULL
        );
        """,
        // 2: incidents remember the condition behind them (repeated-failure opens under another
        // rule name) and whether their OPEN line was written (grouping).
        """
        ALTER TABLE incidents ADD COLUMN condition TEXT;
        UPDATE incidents SET condition = rule;
        ALTER TABLE incidents ADD COLUMN announced INTEGER NOT NULL DEFAULT 1;
        """,
        // 3: operator actions and SLA breaches on incidents; maintenance windows.
        """
        ALTER TABLE incidents ADD COLUMN dispatched_at REAL;
        ALTER TABLE incidents ADD COLUMN arrived_at REAL;
        ALTER TABLE incidents ADD COLUMN respond_breached INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incidents ADD COLUMN onsite_breached INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE maintenance (
            id INTEGER PRIMARY KEY,
            site TEXT,
            device TEXT,
            starts_at REAL NOT NULL,
            ends_at REAL NOT NULL,
            reason TEXT,
            created_by TEXT,
            removed_at REAL
        );
        """,
        // 4: when an incident was grouped under its parent, for its timeline.
        """
        ALTER TABLE incidents ADD COLUMN grouped_at REAL;
        """,
        // 5: how many devices an outage affects, kept current while it is open.
        """
        ALTER TABLE incidents ADD COLUMN extent INTEGER;
        """,
        // 6 (repair clock): resolve_by, and plan_by once a major part is needed, with their breaches.
        """
        ALTER TABLE incidents ADD COLUMN resolve_by REAL;
        ALTER TABLE incidents ADD COLUMN parts_at REAL;
        ALTER TABLE incidents ADD COLUMN plan_by REAL;
        ALTER TABLE incidents ADD COLUMN planned_at REAL;
        ALTER TABLE incidents ADD COLUMN resolve_breached INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incidents ADD COLUMN plan_breached INTEGER NOT NULL DEFAULT 0;
        """,
        // Opening hours (issue 12): a recurring maintenance window keeps its recurrence
        // (`daily 21:00-09:00`); NULL for a one-off window.
        """
        ALTER TABLE maintenance ADD COLUMN every TEXT;
        """,
        // Notifications (issue 14): SLA-WARNING written per deadline, like the breach flags.
        """
        ALTER TABLE incidents ADD COLUMN respond_warned INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incidents ADD COLUMN onsite_warned INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incidents ADD COLUMN resolve_warned INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incidents ADD COLUMN plan_warned INTEGER NOT NULL DEFAULT 0;
        """,
        // Notifications (issue 14): each channel's durable position in the events table (the
        // last event it has done with: answered 2xx, or not for it), and what `status` shows of
        // it. `instance` makes notification ids unique across databases (a rebuilt database
        // starts its sequence at 1 again; a receiver deduplicating by Idempotency-Key must not
        // drop its events).
        """
        CREATE TABLE notify_channels (
            name TEXT PRIMARY KEY,
            through INTEGER NOT NULL,
            delivered INTEGER NOT NULL DEFAULT 0,
            failing INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            updated_at REAL
        );
        INSERT INTO meta(key, value) VALUES ('instance', abs(random()));
        """,
        // Inspection report (issue 16): every device state change with its time, written by
        // triggers in the same transaction as the device row, so no code path can forget one.
        // Keyed by (device, ts): two changes in one instant keep the last, which is the state
        // from then on; a step back of the wall clock is recorded at the previous change's time
        // so a device's history stays in order. Recording starts now: each device that exists
        // is recorded with the state it has at this moment, nothing earlier is made up, and
        // `state_history_since` says from when the report has data.
        """
        CREATE TABLE device_states (
            device TEXT NOT NULL,
            ts REAL NOT NULL,
            state TEXT NOT NULL,
            PRIMARY KEY (device, ts)
        ) WITHOUT ROWID;
        CREATE TRIGGER device_states_on_insert AFTER INSERT ON devices BEGIN
            INSERT INTO device_states(device, ts, state) VALUES (NEW.id, NEW.state_since, NEW.state)
            ON CONFLICT(device, ts) DO UPDATE SET state = excluded.state;
        END;
        CREATE TRIGGER device_states_on_update AFTER UPDATE OF state ON devices
        WHEN NEW.state IS NOT OLD.state BEGIN
            INSERT INTO device_states(device, ts, state)
            VALUES (NEW.id, MAX(NEW.state_since, OLD.state_since), NEW.state)
            ON CONFLICT(device, ts) DO UPDATE SET state = excluded.state;
        END;
        INSERT INTO meta(key, value) VALUES ('state_history_since', CAST(strftime('%s', 'now') AS INTEGER));
        INSERT INTO device_states(device, ts, state)
            SELECT id, (SELECT value FROM meta WHERE key = 'state_history_since'), state FROM devices;
        """,
        // (status page) the last 24 hours' events are counted on every page view: by time, not
        // by a scan of a year of events. IF NOT EXISTS: the report may want the same index.
        """
        CREATE INDEX IF NOT EXISTS events_ts ON events(ts);
        """,
        // Data quality (issue 13): an `error` incident's code and the error codes a fault carries;
        // the broker's $SYS values and the daemon's own lags in the status row; and each device's
        // last in-memory values (health, uptime, errors, metrics, link quality), which the daemon
        // leaves here when it stops, for `fleetwatch device` and `quality` while it is stopped.
        """
        ALTER TABLE incidents ADD COLUMN code TEXT;
        ALTER TABLE incidents ADD COLUMN errors TEXT NOT NULL DEFAULT '';
        ALTER TABLE daemon_status ADD COLUMN broker_stats TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE daemon_status ADD COLUMN ingest_lag_s REAL NOT NULL DEFAULT 0;
        ALTER TABLE daemon_status ADD COLUMN flush_s REAL NOT NULL DEFAULT 0;
        CREATE TABLE device_details (
            id TEXT PRIMARY KEY,
            health TEXT,
            uptime_s REAL,
            errors TEXT NOT NULL,
            metrics TEXT NOT NULL,
            received REAL NOT NULL,
            lost REAL NOT NULL,
            duplicates REAL NOT NULL,
            out_of_order REAL NOT NULL,
            reboots INTEGER NOT NULL,
            latency_p50 REAL,
            latency_p95 REAL,
            window_s REAL NOT NULL,
            as_of REAL NOT NULL
        );
        """,
        // 7 (history and forecasts, issue 15): metric history as time-first tables (a batch of
        // samples lands on the few pages of its minute instead of one page per device:
        // docs/benchmarks.md, history), device and metric names interned, a sample's metrics in
        // one blob (HistoryCodec); hourly rollups and which metrics each device has; each
        // device's forecasts for `fleetwatch device`; the eta of forecast incidents.
        """
        CREATE TABLE history_devices (id INTEGER PRIMARY KEY, device TEXT NOT NULL UNIQUE);
        CREATE TABLE history_metrics (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE history_samples (
            minute INTEGER NOT NULL,
            device INTEGER NOT NULL,
            ms INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (minute, device, ms)
        ) WITHOUT ROWID;
        CREATE TABLE history_hours (
            hour INTEGER NOT NULL,
            device INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (hour, device)
        ) WITHOUT ROWID;
        CREATE TABLE history_series (
            device INTEGER NOT NULL,
            metric INTEGER NOT NULL,
            PRIMARY KEY (device, metric)
        ) WITHOUT ROWID;
        INSERT INTO meta(key, value) VALUES ('history_hours_through', 0);
        CREATE TABLE forecasts (
            device TEXT NOT NULL,
            name TEXT NOT NULL,
            metric TEXT NOT NULL,
            value REAL NOT NULL,
            reaches REAL NOT NULL,
            eta REAL,
            updated_at REAL NOT NULL,
            PRIMARY KEY (device, name)
        ) WITHOUT ROWID;
        ALTER TABLE incidents ADD COLUMN eta REAL;
        """,
        // Forgetting devices (issue 11): how many auto-registered devices the daemon forgot.
        """
        ALTER TABLE daemon_status ADD COLUMN forgotten INTEGER NOT NULL DEFAULT 0;
        """,
    ]

    /// The schema version from which `notify_channels` exists (found, not numbered: the lead
    /// renumbers migrations when branches merge).
    static var notifyChannelsVersion: Int {
        (migrations.firstIndex { $0.contains("CREATE TABLE notify_channels") } ?? migrations.count) + 1
    }

    /// Brings a database up to the newest schema, one migration per transaction.
    static func migrate(_ db: Database) throws {
        let version = try userVersion(db)
        guard version <= migrations.count else {
            throw SQLiteError(
                code: 0, message: "database schema \(version) is newer than this build (\(migrations.count))",
                context: db.path)
        }
        for (offset, sql) in migrations.enumerated().dropFirst(version) {
            try db.transaction {
                try db.execute(sql)
                try db.execute("PRAGMA user_version = \(offset + 1)")
            }
        }
    }

    static func userVersion(_ db: Database) throws -> Int {
        let statement = try db.prepare("PRAGMA user_version")
        var version = 0
        try statement.query { version = Int($0.int(0)) }
        return version
    }
}
