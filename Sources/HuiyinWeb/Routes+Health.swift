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
        // A schema behind the binary is 503 `migrations_pending`: this binary's queries need what is missing.
        // A schema ahead of it is 200 `schema_ahead`, naming the newer migrations: a rolling deploy's new
        // release has migrated, and migrations only add (landed ones are never edited), so this older
        // instance keeps serving until it is replaced — a 503 would pull every old instance out of the
        // balancer at once, the moment the first new one migrates.
        router.add("GET", "/readyz", Route(access: .anyone) { app, _, _ in
            let server = try app.store.pool.withConnection { $0.server }
            let database = ReadinessView.Database(host: server.host, port: server.port)
            let schema = try app.store.schemaState(app.migrator)
            guard schema.pending.isEmpty else {
                return try json(503, ReadinessView(status: "migrations_pending", pending: schema.pending, database: database))
            }
            guard schema.ahead.isEmpty else {
                return try json(200, ReadinessView(status: "schema_ahead", ahead: schema.ahead, database: database))
            }
            return try json(200, ReadinessView(status: "ready", database: database))
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
    /// Migrations the binary has and the database lacks (503).
    var pending: [String]? = nil
    /// Migrations the database has and the binary does not know: a newer release migrated it (200).
    var ahead: [String]? = nil
    let database: Database

    enum CodingKeys: String, CodingKey { case status, pending, ahead, database }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        if let pending { try c.encode(pending, forKey: .pending) }
        if let ahead { try c.encode(ahead, forKey: .ahead) }
        try c.encode(database, forKey: .database)
    }
}
