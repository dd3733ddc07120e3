import Foundation
import HuiyinCore
import HuiyinMigrations
import HuiyinStore
import HuiyinWeb
import Postgres
import TestSupport
import XCTest

final class PlatformTests: XCTestCase {
    override func setUpWithError() throws { try TestApp.prepareDatabase() }

    /// The contract names exactly the routed API operations, and is the file in the source tree.
    func testOpenAPIDocumentMatchesTheRouter() throws {
        let t = try TestApp()
        let r = try HTTPClient.get(port: t.port, "/api/openapi.json")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.body, Array(try Data(contentsOf: OpenAPIContract.fileURL)), "the binary serves the contract file")
        let document = try r.jsonValue()
        XCTAssertEqual(document["openapi"]?.stringValue, "3.1.0")
        let paths = try XCTUnwrap(document["paths"]?.objectValue)
        let documented = Set(paths.flatMap { path, operations in (operations.objectValue ?? [:]).keys.map { "\($0.uppercased()) \(path)" } })
        let routed = Set(t.app.routeList.filter { $0.audience == .api }.map { "\($0.method) \($0.pattern)" })
        XCTAssertEqual(documented.subtracting(routed), [], "documented but not routed")
        XCTAssertEqual(routed.subtracting(documented), [], "routed but not documented")
    }

    /// The pages, which the contract does not describe: a console page needs the staff session, a
    /// public page anyone may open. A new page is added here, with its audience.
    static let pages: [HuiyinApp.Audience: Set<String>] = [
        .console: [
            "POST /logout", "GET /", "POST /notifications/read", "POST /notifications/{id}/read",
            "GET /cases/{case}/documents/{id}", "GET /call", "GET /reception", "POST /reception/tickets", "GET /roster",
            "POST /roster", "POST /roster/{id}/remove", "GET /cases", "GET /cases/{id}", "POST /cases/{id}/break-glass",
            "POST /cases/{id}/actions", "POST /cases/{id}/tasks/{task}", "POST /cases/{id}/referrals/{referral}/outcome",
            "POST /cases/{id}/progress", "GET /attachments/{id}", "GET /inbox", "GET /dashboard", "GET /leader",
            "GET /dispatches", "GET /dispatches/{id}", "POST /dispatches/{id}/sign", "POST /dispatches/{id}/object",
            "POST /dispatches/{id}/notes", "POST /dispatches/{id}/outcome", "GET /follow-ups", "POST /leads/{id}/follow-ups",
            "GET /council", "POST /council/sittings", "GET /leads/{id}",
            "GET /households", "POST /households", "GET /households/{id}", "POST /households/{id}/classification",
            "GET /analysis", "GET /warnings/{id}", "GET /reports/monthly",
            "GET /visits", "GET /campaigns", "POST /campaigns", "GET /campaigns/{id}", "POST /campaigns/{id}/report",
            "POST /campaigns/{id}/major-risks", "GET /mediation-bodies",
            "POST /cases/{id}/protection-orders", "POST /households/{id}/protection-orders",
            "POST /protection-orders/{id}/extensions", "POST /protection-orders/{id}/violations",
            "GET /incidents", "GET /incidents/{id}", "POST /incidents/{id}/follow-ups",
        ],
        .publicPage: [
            "GET /static/console.css", "GET /static/console.js", "GET /login", "POST /login", "GET /logout",
            "GET /petition", "POST /petition", "GET /track", "POST /track",
            // The field page's shell and files carry no one's data (it comes from /api/v1/me and the API).
            "GET /field", "GET /field/field.js", "GET /field/field.css", "GET /field/sw.js", "GET /field/manifest.webmanifest",
            "GET /field/icon.svg",
            // The public mediation map (家事调解地图) and Leaflet, served from Debian's libjs-leaflet.
            "GET /mediation-map", "GET /mediation-map/map.js", "GET /mediation-map/map.css",
            "GET /static/leaflet/leaflet.js", "GET /static/leaflet/leaflet.css", "GET /static/leaflet/images/{file}",
        ],
    ]

    func testEveryPageIsListedWithItsAudience() throws {
        let t = try TestApp()
        for audience in [HuiyinApp.Audience.console, .publicPage] {
            let routed = Set(t.app.routeList.filter { $0.audience == audience }.map { "\($0.method) \($0.pattern)" })
            XCTAssertEqual(routed.subtracting(Self.pages[audience]!), [], "\(audience) pages routed but not listed")
            XCTAssertEqual(Self.pages[audience]!.subtracting(routed), [], "\(audience) pages listed but not routed")
        }
        // What the audience means: without a session a console page sends to the login page, a public one answers.
        for page in ["/call", "/cases", "/dashboard"] {
            let r = try HTTPClient.get(port: t.port, page)
            XCTAssertEqual(r.status, 303, page)
            XCTAssertEqual(r.header("Location"), "/login", page)
        }
        for page in ["/login", "/petition", "/track", "/static/console.css"] {
            XCTAssertEqual(try HTTPClient.get(port: t.port, page).status, 200, page)
        }
    }

    func testHealthReadinessAndMetrics() throws {
        let t = try TestApp()
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/healthz").status, 200)
        let ready = try HTTPClient.get(port: t.port, "/readyz")
        XCTAssertEqual(ready.status, 200, ready.text)
        XCTAssertEqual(try ready.decode(Readiness.self).database.port, try TestDatabase.configuration().port,
                       "/readyz names the server it reached")
        let token = try t.newOperator().1
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call()).status, 201)
        let metrics = try HTTPClient.get(port: t.port, "/metrics")
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.text.contains(#"http_requests_total{route="/api/v1/contacts",method="POST",status="201"} 1"#), metrics.text)
        XCTAssertTrue(metrics.text.contains(#"huiyin_contacts_recorded_total{channel="call"} 1"#))
        XCTAssertTrue(metrics.text.contains("http_request_duration_seconds_bucket"))
        XCTAssertTrue(metrics.text.contains("huiyin_db_pool_in_use"))
    }

    /// Every family has HELP and TYPE; totals are counters; what on-call needs is there.
    func testMetricsAreLintCleanAndCoverTheOperatorsQuestions() throws {
        let t = try TestApp()
        let token = try t.newOperator().1
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: Sample.randomPhone())).status, 201)
        let text = try HTTPClient.get(port: t.port, "/metrics").text
        let lines = text.split(separator: "\n").map(String.init)
        var helped = Set<String>(), typed: [String: String] = [:]
        for line in lines where line.hasPrefix("# ") {
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            if parts[1] == "HELP" { helped.insert(parts[2]) } else if parts[1] == "TYPE" { typed[parts[2]] = parts[3] }
        }
        XCTAssertEqual(Set(typed.keys), helped, "a HELP line for every family")
        for line in lines where !line.hasPrefix("#") && !line.isEmpty {
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            let family = typed.keys.first { name == $0 || name.hasPrefix($0 + "_") }
            XCTAssertNotNil(family, "\(name) has no TYPE")
        }
        for (name, type) in typed where name.hasSuffix("_total") { XCTAssertEqual(type, "counter", name) }
        for (name, type) in typed where type == "counter" { XCTAssertTrue(name.hasSuffix("_total"), name) }
        for family in ["huiyin_intake_batches_total", "huiyin_db_pool_acquire_timeouts_total", "huiyin_db_pool_breakages_total",
                       "huiyin_db_server_info", "huiyin_db_synchronous_standbys", "huiyin_db_wal_archive_failures_total",
                       "process_resident_memory_bytes", "process_open_fds", "process_threads", "process_cpu_seconds_total"] {
            XCTAssertNotNil(typed[family], family)
        }
        let port = try TestDatabase.configuration().port
        XCTAssertTrue(text.contains(#"huiyin_db_server_info{host="127.0.0.1",port="\#(port)",role="primary"} 1"#), text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("process_resident_memory_bytes ") && !$0.hasSuffix(" 0") })
    }

    func testReadinessReportsPendingMigrations() throws {
        let t = try TestApp()
        let extra = Migration(version: 9999, name: "9999_not_yet", sql: "SELECT 1")
        let migrator = Migrator(migrations: try TestApp.migrator().migrations + [extra])
        XCTAssertEqual(try t.store.schemaState(migrator).pending, ["9999_not_yet"])
    }

    func testReadinessTellsASchemaBehindFromOneAhead() throws {
        // Behind: the binary carries a migration the database lacks — not ready.
        let all = try TestApp.migrator().migrations
        let newer = try TestApp(migrator: Migrator(migrations: all + [Migration(version: 9999, name: "9999_not_yet", sql: "SELECT 1")]))
        let behind = try HTTPClient.get(port: newer.port, "/readyz")
        XCTAssertEqual(behind.status, 503, behind.text)
        let behindState = try behind.decode(Readiness.self)
        XCTAssertEqual(behindState.status, "migrations_pending")
        XCTAssertEqual(behindState.pending, ["9999_not_yet"])
        XCTAssertNil(try behind.jsonValue()["ahead"], "absent")
        // Ahead: the database has a migration this (older) binary does not know — a rolling deploy's new
        // release migrated it. Still serving, and saying so.
        let older = try TestApp(migrator: Migrator(migrations: Array(all.dropLast())))
        let ahead = try HTTPClient.get(port: older.port, "/readyz")
        XCTAssertEqual(ahead.status, 200, ahead.text)
        let aheadState = try ahead.decode(Readiness.self)
        XCTAssertEqual(aheadState.status, "schema_ahead")
        XCTAssertEqual(aheadState.ahead, [all.last!.name])
        XCTAssertNil(try ahead.jsonValue()["pending"], "absent")
        XCTAssertEqual(try older.store.schemaState(older.app.migrator), SchemaState(pending: [], ahead: [all.last!.name]))
        // Current: neither.
        let same = try TestApp()
        let current = try HTTPClient.get(port: same.port, "/readyz")
        XCTAssertEqual(try current.decode(Readiness.self).status, "ready", current.text)
    }

    func testTheBinaryEmbedsEveryMigrationOfTheSQLFolder() throws {
        // `huiyin` migrates from the copies built into it; they must be the files of `sql/`, each one.
        let folder = try TestApp.migrator().migrations
        let embedded = try Migration.named(EmbeddedMigrations.files)
        XCTAssertEqual(embedded.map(\.name), folder.map(\.name), "the binary carries every file of sql/")
        XCTAssertEqual(embedded.map(\.checksum), folder.map(\.checksum))
    }

    func testMigratingTwiceOrConcurrentlyIsSafe() throws {
        let name = "huiyin_migrate_\(UInt32.random(in: 0 ... .max))"
        let admin = try TestDatabase.connect()
        try admin.executeScript("CREATE DATABASE \(name)")
        defer { try? admin.executeScript("DROP DATABASE \(name) WITH (FORCE)") }
        let config = try { () throws -> PostgresConfiguration in
            var config = try TestDatabase.configuration()
            config.database = name
            return config
        }()
        let migrator = try TestApp.migrator()
        let applied = LockedValue<[[String]]>([])
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            let names = (try? migrator.migrate(PostgresConnection(configuration: config))) ?? ["failed"]
            applied.withLock { $0.append(names) }
        }
        XCTAssertEqual(applied.value.flatMap { $0 }.sorted(), migrator.migrations.map(\.name).sorted(),
                       "each migration applied exactly once across three concurrent runs")
        XCTAssertEqual(try migrator.migrate(PostgresConnection(configuration: config)), [], "a second run is a no-op")
        let db = try PostgresConnection(configuration: config)
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM schema_migrations").first!.decode("n", as: Int.self),
                       migrator.migrations.count)
    }

    func testChangedMigrationIsRefused() throws {
        let db = try TestDatabase.connect()
        let original = try TestApp.migrator().migrations[0]
        let edited = Migration(version: original.version, name: original.name, sql: original.sql + "\n-- edited")
        XCTAssertThrowsError(try Migrator(migrations: [edited]).migrate(db))
    }

    func testPetitionRecordIsAppendOnly() throws {
        let t = try TestApp()
        let (handler, token) = try t.newOperator(role: .handler)
        let id = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call()).decode(Receipt.self).caseId
        // A row in every protected table (a trigger on rows has nothing to refuse in an empty one).
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(id)/accept", token: token, [:]).status, 200)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/cases/\(id)", token: token).status, 200)
        let db = try TestDatabase.connect()
        try db.execute("""
            INSERT INTO risk_assessments (case_id, answers, score, grade, assessed_at, assessed_by)
            VALUES (\(Int64(id)), '{}', 0, 'low', now(), \(handler.id))
            """)
        for statement in ["DELETE FROM case_events", "UPDATE case_events SET kind = 'x'", "DELETE FROM contacts",
                          "UPDATE contacts SET summary = 'x'", "DELETE FROM cases", "DELETE FROM petitioners",
                          "TRUNCATE case_events CASCADE", "DELETE FROM case_reads", "UPDATE case_reads SET view = 'x'",
                          "UPDATE documents SET body = 'x'", "DELETE FROM documents", "UPDATE risk_assessments SET score = 0"] {
            XCTAssertThrowsError(try db.executeScript(statement), statement) { error in
                XCTAssertEqual((error as? PostgresError)?.sqlState, "23001", statement)
            }
        }
    }
}
