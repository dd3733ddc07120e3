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
        router.add("GET", "/readyz", Route(access: .anyone) { app, _, _ in
            let server = try app.store.pool.withConnection { $0.server }
            let database = JSON.object([("host", .string(server.host)), ("port", .int(server.port))])
            let pending = try app.store.pendingMigrations(app.migrator)
            guard pending.isEmpty else {
                return json(503, .object([("status", .string("migrations_pending")),
                                          ("pending", .array(pending.map { .string($0) })), ("database", database)]))
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
