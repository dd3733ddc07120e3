import HuiyinCore
import XCTest

/// The nearest-body index against brute force: the same ids in the same order (distance, then id)
/// and the same distances, for clustered and spread registries, points inside, at the edge of and far
/// from them, duplicates at one position (ties by id) and every limit up to more than the points.
final class MediationBodyIndexTests: XCTestCase {
    func bruteForce(_ points: [NearestIndex.Point], _ lat: Double, _ lon: Double, _ limit: Int) -> [(id: Int64, d: Double)] {
        Array(points.map { (id: $0.id, d: Haversine.metres(lat, lon, $0.latitude, $0.longitude)) }
            .sorted { ($0.d, $0.id) < ($1.d, $1.id) }.prefix(limit))
    }

    func check(_ points: [NearestIndex.Point], _ queries: [(Double, Double)], limits: [Int], file: StaticString = #filePath, line: UInt = #line) {
        let index = NearestIndex(points)
        XCTAssertEqual(index.count, points.count)
        for (n, (lat, lon)) in queries.enumerated() {
            let limit = limits[n % limits.count]
            let got = index.nearest(latitude: lat, longitude: lon, limit: limit)
            let want = bruteForce(points, lat, lon, limit)
            XCTAssertEqual(got.map(\.id), want.map(\.id), "at \(lat),\(lon) limit \(limit)", file: file, line: line)
            XCTAssertEqual(got.map(\.distance), want.map(\.d), file: file, line: line)
            for hit in got { XCTAssertEqual(points[hit.index].id, hit.id, file: file, line: line) }
        }
    }

    /// China's extent (18–54° N, 73–135° E): uniform, then a dense cluster with a sparse halo.
    func testRandomPointsOverChinaMatchBruteForce() {
        var g = SeededRandom(seed: 8946)
        let uniform = (0..<3000).map { i in
            NearestIndex.Point(id: Int64(i + 1), latitude: Double.random(in: 18...54, using: &g), longitude: Double.random(in: 73...135, using: &g))
        }
        let queries = (0..<300).map { _ in (Double.random(in: 15...57, using: &g), Double.random(in: 70...138, using: &g)) }
        check(uniform, queries, limits: [1, 10, 50])

        let clustered = (0..<2000).map { i in
            let spread = i < 1600 ? 0.2 : 6.0
            return NearestIndex.Point(id: Int64(10_000 - i), latitude: 31 + Double.random(in: -spread...spread, using: &g),
                                      longitude: 118 + Double.random(in: -spread...spread, using: &g))
        }
        let near = (0..<200).map { n -> (Double, Double) in
            let spread = [0.2, 3.0, 30.0][n % 3]
            return (31 + Double.random(in: -spread...spread, using: &g), 118 + Double.random(in: -spread...spread, using: &g))
        }
        check(clustered, near, limits: [1, 7, 50])
        // Far away, on the other side of the world, at the poles: the whole grid is searched if needed.
        check(clustered, [(-45, -70), (89.9, 0), (-89.9, 179.9), (0, -180), (31, 118)], limits: [10, 50])
    }

    func testEqualDistancesAreOrderedById() {
        // Four bodies at one position, ids out of order, and two placed symmetrically about the query.
        let points = [NearestIndex.Point(id: 9, latitude: 32, longitude: 119), NearestIndex.Point(id: 3, latitude: 32, longitude: 119),
                      NearestIndex.Point(id: 7, latitude: 32, longitude: 119), NearestIndex.Point(id: 5, latitude: 32, longitude: 119),
                      NearestIndex.Point(id: 20, latitude: 30.5, longitude: 118), NearestIndex.Point(id: 11, latitude: 29.5, longitude: 118)]
        let index = NearestIndex(points)
        XCTAssertEqual(index.nearest(latitude: 32, longitude: 119, limit: 3).map(\.id), [3, 5, 7])
        XCTAssertEqual(index.nearest(latitude: 32, longitude: 119, limit: 10).map(\.id), [3, 5, 7, 9, 20, 11])
        let pair = index.nearest(latitude: 30, longitude: 118, limit: 2)
        XCTAssertEqual(pair[0].distance, pair[1].distance)
        XCTAssertEqual(pair.map(\.id), [11, 20])
        // A grid of duplicates on cell edges.
        var g = SeededRandom(seed: 2)
        var dupes: [NearestIndex.Point] = []
        for i in 0..<900 {
            let lat = 30 + Double(Int.random(in: 0..<10, using: &g)) * 0.05, lon = 118 + Double(Int.random(in: 0..<10, using: &g)) * 0.05
            dupes.append(NearestIndex.Point(id: Int64((i * 7919) % 1000), latitude: lat, longitude: lon))
        }
        check(dupes, (0..<100).map { _ in (Double.random(in: 29.9...30.6, using: &g), Double.random(in: 117.9...118.6, using: &g)) },
              limits: [1, 10, 50])
    }

    func testEmptyOneAndFewerThanTheLimit() {
        XCTAssertEqual(NearestIndex([]).nearest(latitude: 30, longitude: 110, limit: 10), [])
        let one = NearestIndex([NearestIndex.Point(id: 1, latitude: 30, longitude: 110)])
        XCTAssertEqual(one.nearest(latitude: -30, longitude: -70, limit: 10).map(\.id), [1])
        XCTAssertEqual(one.nearest(latitude: 30, longitude: 110, limit: 0), [])
        var g = SeededRandom(seed: 5)
        let few = (0..<30).map { NearestIndex.Point(id: Int64($0), latitude: Double.random(in: 20...40, using: &g), longitude: Double.random(in: 100...120, using: &g)) }
        check(few, [(30, 110), (0, 0), (45, 125)], limits: [50])
    }

    /// Not China's case, but the bound must hold there too: bodies on both sides of ±180° and near a pole.
    func testAcrossTheAntimeridianAndNearThePoles() {
        var g = SeededRandom(seed: 180)
        let points = (0..<600).map { i in
            NearestIndex.Point(id: Int64(i), latitude: Double.random(in: -89.5...89.5, using: &g),
                               longitude: i % 2 == 0 ? Double.random(in: 175...180, using: &g) : Double.random(in: -180 ... -175, using: &g))
        }
        check(points, [(0, 179.99), (0, -179.99), (60, 178), (-60, -178), (89.9, 0), (-89.9, 90), (10, 0)], limits: [1, 10, 50])
    }
}
