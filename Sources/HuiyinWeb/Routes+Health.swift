import Foundation
import MicroHTTP

extension HuiyinApp {
    static func addHealthRoutes(to router: inout Router<Route>) {
        // The process is up and answering.
        router.add("GET", "/healthz", Route(access: .anyone) { _, _, _ in
            try json(200, HealthView(status: "ok"))
        })
        // Ready for traffic: the database (the primary, when several hosts are configured) answers and
        // every migration is applied. Names the server it reached, so an operator sees where failover put it.
        router.add("GET", "/readyz", Route(access: .anyone) { app, _, _ in
            let server = try app.store.pool.withConnection { $0.server }
            let database = ReadinessView.Database(host: server.host, port: server.port)
            let pending = try app.store.pendingMigrations(app.migrator)
            guard pending.isEmpty else {
                return try json(503, ReadinessView(status: "migrations_pending", pending: pending, database: database))
            }
            return try json(200, ReadinessView(status: "ready", pending: nil, database: database))
        })
        router.add("GET", "/metrics", Route(access: .anyone) { app, _, _ in
            Response(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                     body: app.metrics.exposition(pool: app.store.pool.statistics, batches: app.store.newCaseBatches,
                                                  database: try? app.store.databaseFigures()))
        })
    }
}

struct HealthView: ResponseBody {
    let status: String
}

/// `/readyz`: `pending` lists the migrations not applied, and is there only when some are.
struct ReadinessView: ResponseBody {
    struct Database: Encodable {
        let host: String
        let port: Int
    }

    let status: String
    let pending: [String]?
    let database: Database

    enum CodingKeys: String, CodingKey { case status, pending, database }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        if let pending { try c.encode(pending, forKey: .pending) }
        try c.encode(database, forKey: .database)
    }
}
