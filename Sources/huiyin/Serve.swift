import ArgumentParser
import Foundation
import HuiyinStore
import HuiyinWeb
import Logging
import HuiyinCore
import MicroHTTP

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the API.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on (HUIYIN_HOST).")
    var host: String = Environment.string("HUIYIN_HOST") ?? "127.0.0.1"
    @Option(help: "Port to listen on (HUIYIN_PORT).")
    var port: Int = Environment.int("HUIYIN_PORT") ?? 8080
    @Option(help: "Worker threads; each serves one request at a time, waiting on the database if need be (HUIYIN_WORKERS).")
    var workers: Int = Environment.int("HUIYIN_WORKERS") ?? 256
    @Option(help: "Database connections in the pool (HUIYIN_DB_POOL).")
    var dbPool: Int = Environment.int("HUIYIN_DB_POOL") ?? 16
    @Option(help: "Largest request body in bytes (HUIYIN_BODY_LIMIT).")
    var bodyLimit: Int = Environment.int("HUIYIN_BODY_LIMIT") ?? 4 << 20
    @Option(help: "Seconds before an idle connection is closed (HUIYIN_CONNECTION_TIMEOUT).")
    var connectionTimeout: Int = Environment.int("HUIYIN_CONNECTION_TIMEOUT") ?? 30
    @Option(help: "Seconds between deadline sweeps; 0 turns the sweeper off (HUIYIN_SWEEP_INTERVAL).")
    var sweepInterval: Int = Environment.int("HUIYIN_SWEEP_INTERVAL") ?? 60
    @Option(help: "Unit that receives online petitions; default the root unit (HUIYIN_PUBLIC_UNIT_ID).")
    var publicUnitID: Int? = Environment.int("HUIYIN_PUBLIC_UNIT_ID")
    @Flag(help: "Mark the console's session cookie Secure (served over TLS; also automatic for X-Forwarded-Proto: https) (HUIYIN_SECURE_COOKIES=1).")
    var secureCookies = Environment.string("HUIYIN_SECURE_COOKIES") == "1"
    @Option(help: "Tile URL template of the public mediation map, e.g. https://t{s}.tianditu.gov.cn/…/{z}/{x}/{y}…&tk=KEY; empty for a list without map (HUIYIN_MAP_TILES).")
    var mapTiles: String = Environment.string("HUIYIN_MAP_TILES") ?? ""
    @Option(help: "Attribution shown on the map's tiles (HUIYIN_MAP_ATTRIBUTION).")
    var mapAttribution: String = Environment.string("HUIYIN_MAP_ATTRIBUTION") ?? ""
    @Option(help: "What replaces {s} in the tile template, e.g. 01234567 for 天地图 (HUIYIN_MAP_SUBDOMAINS).")
    var mapSubdomains: String = Environment.string("HUIYIN_MAP_SUBDOMAINS") ?? "abc"
    @Option(help: "Folder of Leaflet's files (Debian's libjs-leaflet) (HUIYIN_LEAFLET_DIR).")
    var leafletDir: String = Environment.string("HUIYIN_LEAFLET_DIR") ?? "/usr/share/javascript/leaflet"

    func validate() throws {
        guard (1...65535).contains(port) || port == 0 else { throw ValidationError("port must be 0–65535") }
        guard (1...2048).contains(workers) else { throw ValidationError("workers must be 1–2048") }
        guard (1...256).contains(dbPool) else { throw ValidationError("db pool must be 1–256") }
        guard bodyLimit >= 1024 else { throw ValidationError("body limit must be at least 1024 bytes") }
        guard mapTiles.isEmpty || MapTiles(template: mapTiles, attribution: mapAttribution) != nil else {
            throw ValidationError("map tiles must be an http(s) URL template with {z}, {x} and {y}")
        }
    }

    func run() throws {
        let logger = database.bootstrapLogging()
        TerminationSignals.block()  // before any thread starts, so only sigwait sees them
        var settings = AppConfiguration()
        settings.bodyLimit = bodyLimit
        settings.publicUnitID = publicUnitID.map(Int64.init)
        settings.secureCookies = secureCookies
        settings.mapTiles = mapTiles.isEmpty ? nil : MapTiles(template: mapTiles, attribution: mapAttribution, subdomains: mapSubdomains)
        settings.leafletDirectory = leafletDir
        let app = HuiyinApp(store: try database.makeStore(poolSize: dbPool, asApplication: true), migrator: try database.migrator(),
                            configuration: settings, logger: logger)
        let server = app.makeServer(ServerConfiguration(host: host, port: UInt16(port), workers: workers,
                                                        connectionTimeout: connectionTimeout))
        // Said loudly at start; a database that is away now must not keep the server from starting.
        if let calendar = try? app.store.workingCalendar(region: database.region),
           let warning = CalendarCoverage.warning(today: app.store.today, calendar: calendar) {
            logger.warning("working calendar incomplete", metadata: ["detail": "\(warning)"])
        }
        // The leads trigger flags a household by the rule set's quarrel rule; a database away now is retried at next start.
        do { try app.store.publishQuarrelRule() } catch { logger.warning("quarrel rule not written", metadata: ["error": "\(error)"]) }
        if let clock = Environment.string("HUIYIN_CLOCK_FILE"), !clock.isEmpty {
            logger.warning("injected clock in use: deadlines follow the time in HUIYIN_CLOCK_FILE (for tests only)")
        }
        try server.start()
        let sweeper = Sweeper(store: app.store, interval: TimeInterval(sweepInterval), logger: logger)
        if sweepInterval > 0 { sweeper.start() }
        logger.notice("serving", metadata: ["host": "\(host)", "port": "\(server.port)", "workers": "\(workers)", "db.pool": "\(dbPool)"])
        let signal = TerminationSignals.wait()
        logger.notice("stopping", metadata: ["signal": "\(signal)"])
        sweeper.stop()
        server.stop()
        app.store.pool.close()
        logger.notice("stopped")
    }
}
