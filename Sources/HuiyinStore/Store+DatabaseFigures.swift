import Foundation
import Postgres

/// What an on-call person needs to see about the database this instance is on: which server, whether
/// its standby keeps up, and whether WAL archiving works. Read at scrape time.
public struct DatabaseFigures: Sendable {
    public var server: PostgresServer
    public var inRecovery: Bool
    /// Standbys streaming from this server, and how many of them count as synchronous.
    public var standbys: Int
    public var synchronousStandbys: Int
    /// The furthest standby's distance behind, in WAL bytes and in replay time (nil: none, or not visible).
    public var replicationLagBytes: Double?
    public var replayLagSeconds: Double?
    public var archivedSegments: Int
    public var failedArchiveAttempts: Int
    public var lastArchivedAt: Double?
    public var lastArchiveFailureAt: Double?
}

extension Store {
    /// One query on one pooled connection. Lag figures need `pg_monitor` (granted to the application role
    /// by sql/010 where the migrating role may).
    public func databaseFigures() throws -> DatabaseFigures {
        try pool.withConnection { db in
            let row = try db.query("""
                SELECT pg_is_in_recovery() AS in_recovery,
                       (SELECT count(*) FROM pg_stat_replication) AS standbys,
                       (SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')) AS sync_standbys,
                       CASE WHEN NOT pg_is_in_recovery() THEN
                           (SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::float8 FROM pg_stat_replication)
                       END AS lag_bytes,
                       (SELECT max(extract(epoch FROM replay_lag))::float8 FROM pg_stat_replication) AS replay_lag,
                       a.archived_count, a.failed_count,
                       extract(epoch FROM a.last_archived_time)::float8 AS last_archived,
                       extract(epoch FROM a.last_failed_time)::float8 AS last_failed
                FROM pg_stat_archiver a
                """).first!
            return DatabaseFigures(
                server: db.server, inRecovery: try row.decode("in_recovery"),
                standbys: try row.decode("standbys"), synchronousStandbys: try row.decode("sync_standbys"),
                replicationLagBytes: try row.decode("lag_bytes"), replayLagSeconds: try row.decode("replay_lag"),
                archivedSegments: try row.decode("archived_count"), failedArchiveAttempts: try row.decode("failed_count"),
                lastArchivedAt: try row.decode("last_archived"), lastArchiveFailureAt: try row.decode("last_failed"))
        }
    }
}
