import Foundation
import MicroHTTP

extension HuiyinApp {
    static func addHealthRoutes(to router: inout Router<Route>) {
        // The process is up and answering.
        router.add("GET", "/healthz", Route(access: .anyone) { _, _, _ in
            json(200, .object([("status", .string("ok"))]))
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
            let database = JSON.object([("host", .string(server.host)), ("port", .int(server.port))])
            let schema = try app.store.schemaState(app.migrator)
            guard schema.pending.isEmpty else {
                return json(503, .object([("status", .string("migrations_pending")),
                                          ("pending", .array(schema.pending.map { .string($0) })), ("database", database)]))
            }
            guard schema.ahead.isEmpty else {
                return json(200, .object([("status", .string("schema_ahead")),
                                          ("ahead", .array(schema.ahead.map { .string($0) })), ("database", database)]))
            }
            return json(200, .object([("status", .string("ready")), ("database", database)]))
        })
        router.add("GET", "/metrics", Route(access: .anyone) { app, _, _ in
            Response(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                     body: app.metrics.exposition(pool: app.store.pool.statistics, batches: app.store.newCaseBatches,
                                                  database: try? app.store.databaseFigures()))
        })
    }
}
