import Foundation

/// An in-memory spatial index for the nearest-body query: a dense grid of equal-degree cells over
/// the points' bounding box, searched ring by ring outwards from the asked point's cell. The answer
/// is exact — ordered by `Haversine.metres`, ties by id — because the search stops only when the
/// k-th distance found is below a lower bound on the distance to every point outside the rings
/// searched (or when every cell has been searched).
///
/// Immutable once built: readers share it without locks, and a changed registry builds a new one.
public struct NearestIndex: Sendable {
    public struct Point: Sendable, Equatable {
        public let id: Int64
        public let latitude: Double
        public let longitude: Double
        public init(id: Int64, latitude: Double, longitude: Double) {
            self.id = id
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    public struct Hit: Sendable, Equatable {
        /// The point's position in the array the index was built from.
        public let index: Int
        public let id: Int64
        public let distance: Double
    }

    /// The points ordered by cell (row-major); `cellStart[c]..<cellStart[c + 1]` are cell c's.
    private let points: [Point]
    private let original: [Int]
    private let cellStart: [Int32]
    private let lat0: Double, lon0: Double, cell: Double
    private let rows: Int, cols: Int

    public var count: Int { points.count }

    /// About two points per cell over the bounding box; at most ~4 million cells.
    public init(_ input: [Point]) {
        guard let first = input.first else {
            (points, original, cellStart, lat0, lon0, cell, rows, cols) = ([], [], [0, 0], 0, 0, 1, 1, 1)
            return
        }
        var minLat = first.latitude, maxLat = first.latitude, minLon = first.longitude, maxLon = first.longitude
        for p in input {
            minLat = min(minLat, p.latitude); maxLat = max(maxLat, p.latitude)
            minLon = min(minLon, p.longitude); maxLon = max(maxLon, p.longitude)
        }
        let area = max(maxLat - minLat, 1e-3) * max(maxLon - minLon, 1e-3)
        var size = max(sqrt(area / max(1, Double(input.count) / 2)), 0.005)
        while ((maxLat - minLat) / size + 1) * ((maxLon - minLon) / size + 1) > 4_000_000 { size *= 2 }
        let rows = Int((maxLat - minLat) / size) + 1, cols = Int((maxLon - minLon) / size) + 1
        (lat0, lon0, cell, self.rows, self.cols) = (minLat, minLon, size, rows, cols)

        func cellOf(_ p: Point) -> Int {
            let r = min(rows - 1, max(0, Int(((p.latitude - minLat) / size).rounded(.down))))
            let c = min(cols - 1, max(0, Int(((p.longitude - minLon) / size).rounded(.down))))
            return r * cols + c
        }
        // Counting sort by cell.
        var start = [Int32](repeating: 0, count: rows * cols + 1)
        let cells = input.map(cellOf)
        for c in cells { start[c + 1] += 1 }
        for i in 0..<(rows * cols) { start[i + 1] += start[i] }
        var next = start
        var order = [Int](repeating: 0, count: input.count)
        for (i, c) in cells.enumerated() {
            order[Int(next[c])] = i
            next[c] += 1
        }
        original = order
        points = order.map { input[$0] }
        cellStart = start
    }

    /// The `limit` points nearest to (latitude, longitude), nearest first, ties by id.
    public func nearest(latitude: Double, longitude: Double, limit: Int) -> [Hit] {
        guard limit > 0, !points.isEmpty else { return [] }
        let k = min(limit, points.count)
        var best: [Hit] = []
        best.reserveCapacity(k + 1)
        // The asked point's cell, possibly outside the grid (the ring then first reaches it from outside).
        let qr = Int(((latitude - lat0) / cell).rounded(.down)), qc = Int(((longitude - lon0) / cell).rounded(.down))

        func visit(_ r: Int, _ c: Int) {
            let cellIndex = r * cols + c
            for i in Int(cellStart[cellIndex])..<Int(cellStart[cellIndex + 1]) {
                let p = points[i]
                let d = Haversine.metres(latitude, longitude, p.latitude, p.longitude)
                if best.count == k, let last = best.last, (d, p.id) >= (last.distance, last.id) { continue }
                // Insertion into the short sorted list (k ≤ 50 on the API).
                var at = best.count
                while at > 0, (d, p.id) < (best[at - 1].distance, best[at - 1].id) { at -= 1 }
                best.insert(Hit(index: original[i], id: p.id, distance: d), at: at)
                if best.count > k { best.removeLast() }
            }
        }

        var ring = 0
        while true {
            let r0 = qr - ring, r1 = qr + ring, c0 = qc - ring, c1 = qc + ring
            let cLo = max(c0, 0), cHi = min(c1, cols - 1)
            if cLo <= cHi {
                for r in (ring == 0 ? [r0] : [r0, r1]) where r >= 0 && r < rows {
                    for c in cLo...cHi { visit(r, c) }
                }
            }
            let rLo = max(r0 + 1, 0), rHi = min(r1 - 1, rows - 1)
            if rLo <= rHi, ring > 0 {
                for c in [c0, c1] where c >= 0 && c < cols {
                    for r in rLo...rHi { visit(r, c) }
                }
            }
            // Every cell searched: the answer is complete.
            if r0 <= 0 && r1 >= rows - 1 && c0 <= 0 && c1 >= cols - 1 { break }
            if best.count == k, let last = best.last {
                let bound = Self.lowerBound(latitude, longitude, south: lat0 + Double(r0) * cell, north: lat0 + Double(r1 + 1) * cell,
                                            west: lon0 + Double(c0) * cell, east: lon0 + Double(c1 + 1) * cell)
                // Strictly below, with slack for the rounding of cell edges: a point outside at an equal
                // distance and a smaller id must still be found.
                if last.distance < bound * (1 - 1e-9) - 1e-6 { break }
            }
            ring += 1
        }
        return best
    }

    /// A lower bound, in metres, on the great-circle distance from (lat, lon) — inside the box — to any
    /// point outside it. Leaving the box means crossing its south or north parallel (at least the
    /// latitude difference) or its west or east meridian (at least the distance to that half-meridian);
    /// a path over a pole is longer than the distance to the pole, which bounds the latter.
    static func lowerBound(_ lat: Double, _ lon: Double, south: Double, north: Double, west: Double, east: Double) -> Double {
        let rad = Double.pi / 180
        var angle = Double.infinity
        if south > -90 { angle = min(angle, (lat - south) * rad) }
        if north < 90 { angle = min(angle, (north - lat) * rad) }
        // Points lie within ±180°, so the box's sides beyond them are the ±180° meridian: the points
        // outside in longitude are the arc east of min(east, 180) and west of max(west, -180).
        if west > -180 || east < 180 {
            for delta in [min(east, 180) - lon, lon - max(west, -180)] {
                angle = min(angle, delta >= 90 ? (90 - abs(lat)) * rad : asin(min(1, cos(lat * rad) * sin(delta * rad))))
            }
        }
        return max(0, angle) * Haversine.earthRadius
    }
}
