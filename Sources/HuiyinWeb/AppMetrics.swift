import Foundation
import Postgres
import HuiyinStore
import Prometheus

/// The server's Prometheus metrics. Owns its registry (no global bootstrap), so several apps can live in
/// one test process. Every family carries HELP and TYPE (`promtool check metrics` is clean); figures kept
/// elsewhere are read at scrape time (`ScrapeExposition`).
public final class AppMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]
    // Computed: the descriptor type is not Sendable, so it cannot be a stored static.
    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "http_requests", unitName: "total",
                             helpText: "HTTP requests answered, by route pattern, method and status.")
    }
    private static var durations: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "http_request_duration", unitName: "seconds",
                             helpText: "Time to answer an HTTP request, by route pattern and method.")
    }
    private static var contacts: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "huiyin_contacts_recorded", unitName: "total", helpText: "Contacts recorded (not replays), by channel.")
    }

    public init() {}

    func request(route: String, method: String, status: Int, nanoseconds: Int64) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(descriptor: Self.durations, labels: [("route", route), ("method", method)], buckets: Self.buckets)
            .recordNanoseconds(nanoseconds)
    }

    func contactRecorded(channel: String) {
        registry.makeCounter(descriptor: Self.contacts, labels: [("channel", channel)]).increment()
    }

    /// The text exposition: the registry's families, then those read now.
    func exposition(pool: PostgresPool.Statistics, batches: GroupCommitStatistics, database: DatabaseFigures?) -> [UInt8] {
        var out = ScrapeExposition()
        out.counter("huiyin_intake_batches_total", "Statements that wrote new cases (group commit).", Double(batches.batches))
        out.counter("huiyin_intake_batched_items_total", "New cases written by those statements; items / batches is the average batch.",
                    Double(batches.items))
        out.gauge("huiyin_intake_largest_batch", "Most new cases written by one statement since start.", Double(batches.largestBatch))
        out.gauge("huiyin_db_pool_size", "Database connections the pool may open.", Double(pool.size))
        out.gauge("huiyin_db_pool_open", "Database connections open.", Double(pool.open))
        out.gauge("huiyin_db_pool_in_use", "Database connections lent to requests right now (at size: the pool is exhausted).",
                  Double(pool.inUse))
        out.counter("huiyin_db_pool_acquire_timeouts_total", "Requests that waited for a connection until the timeout (answered 503).",
                    Double(pool.acquireTimeouts))
        out.counter("huiyin_db_pool_breakages_total",
                    "Broken connections that made the pool reconnect (a database restart or failover).", Double(pool.breakages))

        out.gauge("huiyin_db_up", "1 if the database answered this scrape.", database == nil ? 0 : 1)
        if let database {
            out.gauge("huiyin_db_server_info", "The database server this instance is on (changes on failover).", 1, labels: [
                ("host", database.server.host), ("port", String(database.server.port)),
                ("role", database.inRecovery ? "standby" : "primary"),
            ])
            out.gauge("huiyin_db_standbys", "Standbys streaming from the database server.", Double(database.standbys))
            out.gauge("huiyin_db_synchronous_standbys", "Standbys a commit waits for (0: commits are on one machine only).",
                      Double(database.synchronousStandbys))
            if let lag = database.replicationLagBytes {
                out.gauge("huiyin_db_replication_lag_bytes", "WAL bytes the furthest standby has yet to replay.", lag)
            }
            if let lag = database.replayLagSeconds {
                out.gauge("huiyin_db_replication_replay_lag_seconds", "How far behind the furthest standby replays, in seconds.", lag)
            }
            out.counter("huiyin_db_wal_archived_total", "WAL segments archived by the database server.", Double(database.archivedSegments))
            out.counter("huiyin_db_wal_archive_failures_total", "Failed attempts to archive a WAL segment.",
                        Double(database.failedArchiveAttempts))
            if let at = database.lastArchivedAt {
                out.gauge("huiyin_db_wal_last_archived_timestamp_seconds", "When the last WAL segment was archived (Unix time).", at)
            }
            if let at = database.lastArchiveFailureAt {
                out.gauge("huiyin_db_wal_last_archive_failure_timestamp_seconds", "When archiving last failed (Unix time).", at)
            }
        }

        let process = ProcessFigures.read()
        out.counter("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", process.cpuSeconds)
        out.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", process.residentBytes)
        out.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", process.virtualBytes)
        out.gauge("process_open_fds", "Open file descriptors.", process.openDescriptors)
        out.gauge("process_max_fds", "Most file descriptors the process may open.", process.maxDescriptors)
        out.gauge("process_threads", "Threads of the process.", process.threads)
        out.gauge("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", process.startTime)
        return registry.emitToBuffer() + Array(out.text.utf8)
    }
}
