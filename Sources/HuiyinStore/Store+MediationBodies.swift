import Foundation
import HuiyinCore
import Postgres
import Synchronization

public struct MediationImportReport: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
    }
}

/// Rows the database refuses (a unit code it does not know, a kind at the wrong level), by line.
public struct MediationImportFailure: Error, Sendable, CustomStringConvertible {
    public let problems: [UnitCSV.Problem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// A body as the public map shows it.
public struct MediationBodyView: Sendable, Equatable {
    public let id: Int64
    public let code: String
    public let name: String
    public let kind: MediationBodyKind
    public let level: UnitLevel
    public let unitID: Int64
    public let unitName: String
    public let address: String
    public let latitude: Double
    public let longitude: Double
    public let phone: String?
    public let hours: String?
    public let mediatorCount: Int?
    public let mediators: [String]
    /// Metres from the asked point; nil in a list by unit.
    public let distance: Double?
}

/// A county or township that has bodies, for the public chooser.
public struct MediationArea: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let level: UnitLevel
    public let parentID: Int64?
    public let bodies: Int
}

extension Store {
    /// Imports the registry (rows as `MediationBodyCSV.parse` returns them) in one transaction, upserting
    /// on `code`. Every row whose unit is unknown or of the wrong level for its kind is reported by its
    /// line and nothing is written.
    public func importMediationBodies(_ rows: [MediationBodyRow]) throws -> MediationImportReport {
        let report = try pool.withConnection { db in
            try db.transaction { tx in
                var units: [String: (id: Int64, level: UnitLevel)] = [:]
                for row in try tx.query("""
                    SELECT code, id, level FROM units WHERE code = ANY(\(PostgresTextArray(Array(Set(rows.map(\.unitCode))))))
                    """).rows {
                    units[try row.decode("code")] = (try row.decode("id"), UnitLevel(rawValue: try row.decode("level"))!)
                }
                var problems: [UnitCSV.Problem] = []
                for row in rows {
                    guard let unit = units[row.unitCode] else {
                        problems.append(.init(line: row.line, message: "unit_code: no unit `\(row.unitCode)` in the unit tree")); continue
                    }
                    if let levels = row.kind.levels, !levels.contains(unit.level) {
                        problems.append(.init(line: row.line, message: "kind: a \(row.kind.rawValue) belongs to a "
                            + "\(levels.map(\.rawValue).sorted().joined(separator: " or ")) unit; `\(row.unitCode)` is a \(unit.level.rawValue)"))
                    }
                }
                guard problems.isEmpty else { throw MediationImportFailure(problems: problems) }
                var report = MediationImportReport()
                // Whole batches through unnest: 100,000 rows are 50 statements, not 100,000.
                for start in stride(from: 0, to: rows.count, by: 2000) {
                    let batch = rows[start..<min(start + 2000, rows.count)]
                    func column(_ value: (MediationBodyRow) -> String?) -> PostgresTextArray { PostgresTextArray(batch.map(value)) }
                    let changed = try tx.query("""
                        INSERT INTO mediation_bodies AS b (code, kind, unit_id, name, address, latitude, longitude, phone, hours,
                                                           mediator_count, mediators)
                        SELECT code, kind, unit_id, name, address, latitude, longitude, phone, hours, mediator_count,
                               CASE WHEN mediators = '' THEN '{}'::text[] ELSE string_to_array(mediators, E'\\x1f') END
                        FROM unnest(\(column(\.code)), \(column(\.kind.rawValue)), \(column { String(units[$0.unitCode]!.id) })::bigint[],
                                    \(column(\.name)), \(column(\.address)), \(column { String($0.latitude) })::numeric[],
                                    \(column { String($0.longitude) })::numeric[], \(column(\.phone)), \(column(\.hours)),
                                    \(column { $0.mediatorCount.map(String.init) })::integer[],
                                    \(column { $0.mediators.joined(separator: "\u{1F}") }))
                             AS r (code, kind, unit_id, name, address, latitude, longitude, phone, hours, mediator_count, mediators)
                        ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, unit_id = excluded.unit_id, name = excluded.name,
                            address = excluded.address, latitude = excluded.latitude, longitude = excluded.longitude,
                            phone = excluded.phone, hours = excluded.hours, mediator_count = excluded.mediator_count,
                            mediators = excluded.mediators, updated_at = now()
                        WHERE (b.kind, b.unit_id, b.name, b.address, b.latitude, b.longitude, b.phone, b.hours, b.mediator_count, b.mediators)
                              IS DISTINCT FROM (excluded.kind, excluded.unit_id, excluded.name, excluded.address, excluded.latitude,
                                                excluded.longitude, excluded.phone, excluded.hours, excluded.mediator_count, excluded.mediators)
                        RETURNING (xmax = 0) AS created
                        """)
                    let created = try changed.rows.filter { try $0.decode("created", as: Bool.self) }.count
                    report.created += created
                    report.updated += changed.count - created
                    report.unchanged += batch.count - changed.count
                }
                return report
            }
        }
        // Committed: this store's next query rebuilds its index.
        mediationIndex.invalidate()
        return report
    }

    /// The `limit` bodies nearest to the point, nearest first (ties by id), exact, from the in-memory
    /// index (`NearestIndex`): no database round trip unless the registry's version is due a check.
    public func nearestMediationBodies(_ query: NearestQuery) throws -> [MediationBodyView] {
        let snapshot = try mediationSnapshot()
        return snapshot.index.nearest(latitude: query.latitude, longitude: query.longitude, limit: query.limit).map {
            snapshot.bodies[$0.index].at(distance: $0.distance)
        }
    }

    /// Renders each body once per registry snapshot, as its index is built, for
    /// `nearestRenderedMediationBodies`: the public query then only writes the distance on per request,
    /// and no request pays for a body's first rendering.
    public func renderMediationBodies(with render: @escaping @Sendable (MediationBodyView) throws -> String) {
        mediationIndex.setRenderer(render)
    }

    /// As `nearestMediationBodies`, each body as `renderMediationBodies`' renderer wrote it.
    public func nearestRenderedMediationBodies(_ query: NearestQuery) throws -> [(text: String, distance: Double)] {
        let snapshot = try mediationSnapshot()
        precondition(snapshot.rendered.count == snapshot.bodies.count, "renderMediationBodies(with:) is not set")
        return snapshot.index.nearest(latitude: query.latitude, longitude: query.longitude, limit: query.limit).map {
            (snapshot.rendered[$0.index], $0.distance)
        }
    }

    /// The same answer from PostgreSQL: `mediation_nearest` (sql/019) widens a box around the point until
    /// it holds enough bodies within its radius. Kept to check the index against.
    public func nearestMediationBodiesInDatabase(_ query: NearestQuery) throws -> [MediationBodyView] {
        try pool.withConnection { db in
            try db.query("""
                SELECT \(fragment: Self.bodyColumns), n.distance_m
                FROM mediation_nearest(\(query.latitude), \(query.longitude), \(query.limit)::integer) n
                JOIN mediation_bodies b ON b.id = n.body_id JOIN units u ON u.id = b.unit_id
                ORDER BY n.distance_m, b.id
                """).rows.map(Self.body)
        }
    }

    /// The registry's version as the database has it now (bumped by every write, sql/023).
    public func mediationRegistryVersion() throws -> Int64 {
        try pool.withConnection { db in try db.query("SELECT version FROM mediation_registry").first!.decode("version") }
    }

    /// The index as of the registry's current version: rebuilt after a write through this store, and after
    /// a write elsewhere (another process's import) once the version check — at most every
    /// `mediationIndex.checkInterval` — sees the version move. While one request checks or rebuilds, the
    /// others answer from the index they have, unless there is none yet or this store changed the registry.
    func mediationSnapshot() throws -> MediationIndexCache.Snapshot {
        let cache = mediationIndex
        switch cache.next(at: ContinuousClock.now) {
        case .use(let snapshot): return snapshot
        case .check(let snapshot):
            let version: Int64
            do { version = try mediationRegistryVersion() } catch {
                // The database away: the index it last gave still answers.
                cache.checked(at: ContinuousClock.now)
                return snapshot
            }
            cache.checked(at: ContinuousClock.now)
            if version == snapshot.version { return snapshot }
            // Changed elsewhere: this request rebuilds; the others answer from the old index meanwhile.
            return try loadMediationSnapshot(force: true)
        case .load:
            return try loadMediationSnapshot(force: false)
        }
    }

    private func loadMediationSnapshot(force: Bool) throws -> MediationIndexCache.Snapshot {
        try mediationIndex.load(force: force) { generation in
            // The version and the bodies in one statement: one snapshot of the database.
            let rows = try pool.withConnection { db in
                try db.query("""
                    SELECT r.version, \(fragment: Self.bodyColumns), NULL::float8 AS distance_m
                    FROM mediation_registry r LEFT JOIN (mediation_bodies b JOIN units u ON u.id = b.unit_id) ON true
                    ORDER BY b.id
                    """).rows
            }
            let version: Int64 = try rows.first?.decode("version") ?? 0
            let bodies = try rows.filter { try $0.decode("id", as: Int64?.self) != nil }.map(Self.body)
            let index = NearestIndex(bodies.map { NearestIndex.Point(id: $0.id, latitude: $0.latitude, longitude: $0.longitude) })
            let rendered = try mediationIndex.renderer.map { render in try bodies.map(render) } ?? []
            return MediationIndexCache.Snapshot(version: version, generation: generation, index: index, bodies: bodies, rendered: rendered)
        }
    }

    /// The bodies of a unit and every unit below it: the unit's own level first, then by name.
    public func mediationBodies(under unitID: Int64, limit: Int) throws -> [MediationBodyView] {
        try pool.withConnection { db in
            try db.query("""
                SELECT \(fragment: Self.bodyColumns), NULL::float8 AS distance_m
                FROM mediation_bodies b JOIN units u ON u.id = b.unit_id
                WHERE u.path @> ARRAY[\(unitID)]::bigint[]
                ORDER BY array_length(u.path, 1), b.name, b.id LIMIT \(limit)
                """).rows.map(Self.body)
        }
    }

    /// The counties and townships that have bodies, for the public chooser, by name.
    public func mediationAreas() throws -> [MediationArea] {
        try pool.withConnection { db in
            try db.query("""
                SELECT a.id, a.name, a.level, a.parent_id, count(*) AS bodies
                FROM mediation_bodies b JOIN units u ON u.id = b.unit_id
                JOIN units a ON a.id = ANY(u.path) AND a.level IN ('county', 'township')
                GROUP BY a.id ORDER BY a.level, a.name, a.id
                """).rows.map {
                MediationArea(id: try $0.decode("id"), name: try $0.decode("name"), level: UnitLevel(rawValue: try $0.decode("level"))!,
                              parentID: try $0.decode("parent_id"), bodies: try $0.decode("bodies"))
            }
        }
    }

    /// Whether the unit exists (a 404 for an unknown unit in the public list).
    public func unitExists(_ unitID: Int64) throws -> Bool {
        try pool.withConnection { db in try !db.query("SELECT 1 FROM units WHERE id = \(unitID)").isEmpty }
    }

    static let bodyColumns: PostgresQuery = """
        b.id, b.code, b.name, b.kind, u.level, b.unit_id, u.name AS unit_name, b.address, b.latitude::float8 AS latitude,
        b.longitude::float8 AS longitude, b.phone, b.hours, b.mediator_count, array_to_string(b.mediators, E'\\x1f') AS mediators
        """

    static func body(_ row: PostgresRow) throws -> MediationBodyView {
        let mediators: String = try row.decode("mediators")
        return MediationBodyView(
            id: try row.decode("id"), code: try row.decode("code"), name: try row.decode("name"),
            kind: MediationBodyKind(rawValue: try row.decode("kind")) ?? .other, level: UnitLevel(rawValue: try row.decode("level"))!,
            unitID: try row.decode("unit_id"), unitName: try row.decode("unit_name"), address: try row.decode("address"),
            latitude: try row.decode("latitude"), longitude: try row.decode("longitude"), phone: try row.decode("phone"),
            hours: try row.decode("hours"), mediatorCount: try row.decode("mediator_count"),
            mediators: mediators.isEmpty ? [] : mediators.components(separatedBy: "\u{1F}"), distance: try row.decode("distance_m"))
    }
}

extension MediationBodyView {
    func at(distance: Double) -> MediationBodyView {
        MediationBodyView(id: id, code: code, name: name, kind: kind, level: level, unitID: unitID, unitName: unitName, address: address,
                          latitude: latitude, longitude: longitude, phone: phone, hours: hours, mediatorCount: mediatorCount,
                          mediators: mediators, distance: distance)
    }
}

/// The nearest-body index of one store and when its version was last checked.
final class MediationIndexCache: Sendable {
    struct Snapshot: Sendable {
        /// `mediation_registry.version` the bodies were read at.
        let version: Int64
        /// This store's count of its own registry writes when the load began.
        let generation: Int
        let index: NearestIndex
        let bodies: [MediationBodyView]
        /// `bodies` as the renderer wrote them; empty without a renderer.
        let rendered: [String]
    }

    enum Next {
        case use(Snapshot)
        /// Due a version check; the caller checks, the others use the snapshot meanwhile.
        case check(Snapshot)
        case load
    }

    private struct State {
        var snapshot: Snapshot?
        var generation = 0
        var checkedAt: ContinuousClock.Instant?
        var checking = false
    }

    private let state = Mutex(State())
    private let render = Mutex<(@Sendable (MediationBodyView) throws -> String)?>(nil)
    /// One load at a time: 16 requests arriving after an import build the index once.
    private let loading = Mutex(())
    let checkInterval: Duration

    init(checkInterval: Duration) { self.checkInterval = checkInterval }

    func next(at now: ContinuousClock.Instant) -> Next {
        state.withLock { s in
            guard let snapshot = s.snapshot, snapshot.generation == s.generation else { return .load }
            if s.checking { return .use(snapshot) }
            if let at = s.checkedAt, now - at < checkInterval, now >= at { return .use(snapshot) }
            s.checking = true
            return .check(snapshot)
        }
    }

    func checked(at now: ContinuousClock.Instant) {
        state.withLock { s in
            s.checking = false
            s.checkedAt = now
        }
    }

    /// After a registry write through this store.
    func invalidate() { state.withLock { $0.generation += 1 } }

    var renderer: (@Sendable (MediationBodyView) throws -> String)? { render.withLock { $0 } }

    /// A new renderer: the next query builds the snapshot again, rendered by it.
    func setRenderer(_ renderer: @escaping @Sendable (MediationBodyView) throws -> String) {
        render.withLock { $0 = renderer }
        invalidate()
    }

    /// `build`'s snapshot; unless `force`, the current one if another caller built it while this one waited.
    /// The generation is read before `build` reads the database, so a write through this store during
    /// the build leaves the new snapshot stale, and the next request builds again.
    func load(force: Bool, _ build: (Int) throws -> Snapshot) throws -> Snapshot {
        try loading.withLock { _ in
            let (current, generation) = state.withLock { s in (s.snapshot, s.generation) }
            if !force, let current, current.generation == generation { return current }
            let fresh = try build(generation)
            state.withLock { s in
                s.snapshot = fresh
                s.checkedAt = ContinuousClock.now
            }
            return fresh
        }
    }
}
