import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The tile service of the public map: deployment configuration (e.g. 天地图 with the deployment's key).
public struct MapTiles: Sendable, Equatable {
    /// Leaflet's URL template, `https://t{s}.example.cn/{z}/{x}/{y}.png?tk=…`.
    public let template: String
    public let attribution: String
    /// The letters or digits that replace {s} (天地图: 01234567; Leaflet's default: abc).
    public let subdomains: String
    /// The origin the page's CSP lets images come from (`https://*.example.cn` when the host has `{s}`).
    public let origin: String

    /// nil unless the template is an http(s) URL with a host and Leaflet's {z}, {x}, {y}.
    public init?(template: String, attribution: String, subdomains: String = "abc") {
        let text = template.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = text.range(of: "://"), ["http", "https"].contains(text[..<schemeEnd.lowerBound].lowercased()),
              ["{z}", "{x}", "{y}"].allSatisfy(text.contains) else { return nil }
        let rest = text[schemeEnd.upperBound...]
        let host = String(rest.prefix { $0 != "/" && $0 != "?" })
        let wildcard = host.split(separator: ".", omittingEmptySubsequences: false)
            .map { $0.contains("{s}") ? "*" : String($0) }.joined(separator: ".")
        // Only what a CSP source may hold: no quotes, spaces or semicolons smuggled in.
        guard !host.isEmpty, wildcard.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.*:".contains($0)) }),
              !wildcard.contains("{") else { return nil }
        self.template = text
        self.attribution = attribution
        self.subdomains = subdomains.isEmpty ? "abc" : subdomains
        origin = text[..<schemeEnd.lowerBound].lowercased() + "://" + wildcard
    }
}

extension HuiyinApp {
    /// The mediation network's public side: the nearest bodies, the bodies of a county or township, the
    /// chooser's areas, and the phone page 家事调解地图 with Leaflet served from the system's package.
    /// No login, nothing about any case; the asked position is used for the query and never kept or logged.
    static func addMediationMapRoutes(to router: inout Router<Route>) {
        router.add("GET", "/api/v1/mediation-bodies/nearest", Route(access: .anyone) { app, request, _ in
            switch NearestQuery.parse(lat: request.query["lat"], lon: request.query["lon"], limit: request.query["limit"]) {
            case .failure(let failure): throw APIError.validation(failure.fields)
            case .success(let query):
                let items = try app.store.nearestRenderedMediationBodies(query).map(MediationBodyJSON.item)
                return json(200, JSON.object([("items", .array(items))]))
            }
        })
        router.add("GET", "/api/v1/mediation-bodies", Route(access: .anyone) { app, request, _ in
            let (unitID, limit) = try Self.unitListQuery(request)
            guard try app.store.unitExists(unitID) else { throw APIError.notFound }
            return try json(200, MediationBodyList(items: try app.store.mediationBodies(under: unitID, limit: limit).map(MediationBodyJSON.init)))
        })
        router.add("GET", "/api/v1/mediation-bodies/areas", Route(access: .anyone) { app, _, _ in
            try json(200, MediationAreaList(items: try app.store.mediationAreas().map(MediationAreaJSON.init)))
        })

        router.add("GET", "/mediation-map", Route(access: .anyone) { app, request, _ in
            var errors: [String] = []
            var chosen: Int64?
            var bodies: [MediationBodyView]?
            if let text = request.query["unit_id"], !text.isEmpty {
                if let id = Int64(text), try app.store.unitExists(id) {
                    chosen = id
                    bodies = try app.store.mediationBodies(under: id, limit: 200)
                } else {
                    errors.append("所选地区不存在，请重新选择。")
                }
            }
            let page = MediationMapPage.render(areas: try app.store.mediationAreas(), chosen: chosen, bodies: bodies, errors: errors,
                                               tiles: app.configuration.mapTiles, leaflet: app.leafletAvailable)
            return Response(status: errors.isEmpty ? 200 : 404, headers: [("Content-Type", "text/html; charset=utf-8")]
                                + MediationMapPage.headers(tiles: app.leafletAvailable ? app.configuration.mapTiles : nil),
                            body: Array(page.utf8))
        })
        for (path, type, body) in [("/mediation-map/map.js", "text/javascript; charset=utf-8", PackageResources.mediation_map_js),
                                   ("/mediation-map/map.css", "text/css; charset=utf-8", PackageResources.mediation_map_css)] {
            router.add("GET", path, Route(access: .anyone) { _, _, _ in
                Response(status: 200, headers: [("Content-Type", type), ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")],
                         body: body)
            })
        }
        // Leaflet from Debian's libjs-leaflet, read from the package's files (never copied into the source tree).
        router.add("GET", "/static/leaflet/leaflet.js", Route(access: .anyone) { app, _, _ in
            try app.leafletFile("leaflet.js", type: "text/javascript; charset=utf-8")
        })
        router.add("GET", "/static/leaflet/leaflet.css", Route(access: .anyone) { app, _, _ in
            try app.leafletFile("leaflet.css", type: "text/css; charset=utf-8")
        })
        router.add("GET", "/static/leaflet/images/{file}", Route(access: .anyone) { app, request, _ in
            let file = request.pathParameters["file"] ?? ""
            // The package's five images only: no path from the request reaches the file system.
            guard ["layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"].contains(file) else {
                return Response(status: 404, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("not found".utf8))
            }
            return try app.leafletFile("images/" + file, type: "image/png")
        })
    }

    /// `unit_id` (required) and `limit` (1–1000, default 200) of the list by unit, every bad one named.
    static func unitListQuery(_ request: Request) throws -> (Int64, Int) {
        var errors: [FieldError] = []
        let unitID = request.query["unit_id"].flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil }
        if unitID == nil {
            errors.append(FieldError("unit_id", request.query["unit_id"] == nil ? "is required" : "must be a unit id"))
        }
        var limit = 200
        if let text = request.query["limit"] {
            if let n = Int(text), (1...1000).contains(n) { limit = n } else { errors.append(FieldError("limit", "must be a whole number from 1 to 1000")) }
        }
        guard errors.isEmpty, let unitID else { throw APIError.validation(errors) }
        return (unitID, limit)
    }

    /// Whether Leaflet's script is installed where the configuration says.
    var leafletAvailable: Bool {
        FileManager.default.isReadableFile(atPath: configuration.leafletDirectory + "/leaflet.js")
    }

    func leafletFile(_ name: String, type: String) throws -> Response {
        guard let data = FileManager.default.contents(atPath: configuration.leafletDirectory + "/" + name) else {
            return Response(status: 404, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("not found".utf8))
        }
        return Response(status: 200, headers: [("Content-Type", type), ("Cache-Control", "public, max-age=86400"),
                                               ("X-Content-Type-Options", "nosniff")], body: Array(data))
    }
}

/// A body on the public API: where it is and how to reach it; never the mediators' names.
struct MediationBodyJSON: ResponseBody {
    let id: Int64
    let code: String
    let name: String
    let kind: String
    let level: String
    let unitID: Int64
    let unitName: String
    let address: String
    let latitude: Double
    let longitude: Double
    let phone: String?
    let hours: String?
    let mediatorCount: Int?
    let distanceM: Double?

    init(_ body: MediationBodyView) {
        (id, code, name, kind, level) = (body.id, body.code, body.name, body.kind.rawValue, body.level.rawValue)
        (unitID, unitName, address) = (body.unitID, body.unitName, body.address)
        (latitude, longitude, phone, hours, mediatorCount) = (body.latitude, body.longitude, body.phone, body.hours, body.mediatorCount)
        distanceM = body.distance.map { ($0 * 10).rounded() / 10 }
    }

    enum CodingKeys: String, CodingKey {
        case id, code, name, kind, level, address, latitude, longitude, phone, hours
        case unitID = "unit_id", unitName = "unit_name", mediatorCount = "mediator_count", distanceM = "distance_m"
    }
}

struct MediationBodyList: ResponseBody { let items: [MediationBodyJSON] }

struct MediationAreaJSON: ResponseBody {
    let id: Int64
    let name: String
    let level: String
    let parentID: Int64?
    let bodies: Int

    init(_ area: MediationArea) {
        (id, name, level, parentID, bodies) = (area.id, area.name, area.level.rawValue, area.parentID, area.bodies)
    }

    enum CodingKeys: String, CodingKey { case id, name, level, bodies, parentID = "parent_id" }
}

struct MediationAreaList: ResponseBody { let items: [MediationAreaJSON] }

/// The phone page 家事调解地图: rendered by the server so that choosing an area works without script;
/// the script (a served file, CSP script-src 'self') adds "use my location" and the optional map.
enum MediationMapPage {
    static func headers(tiles: MapTiles?) -> [(name: String, value: String)] {
        [("Cache-Control", "no-store"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin"),
         ("X-Content-Type-Options", "nosniff"),
         // Tiles only from the configured service, and only when one is configured.
         ("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
            + (tiles.map { " " + $0.origin } ?? "") + "; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'"),
         // Her position is asked of this page only, never of anything it embeds.
         ("Permissions-Policy", "geolocation=(self)")]
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A unit's place, as she would name it: 西陵区 rather than 西陵区妇女联合会.
    static func placeName(_ unitName: String) -> String {
        for suffix in ["妇女联合会", "妇联"] where unitName.hasSuffix(suffix) && unitName.count > suffix.count {
            return String(unitName.dropLast(suffix.count))
        }
        return unitName
    }

    /// The digits a `tel:` link dials.
    static func dial(_ phone: String) -> String { phone.filter { $0.isNumber || $0 == "+" } }

    static func distanceText(_ metres: Double) -> String {
        metres < 1000 ? "约 \(Int(metres.rounded())) 米" : "约 \(String(format: "%.1f", metres / 1000)) 公里"
    }

    static func item(_ body: MediationBodyView) -> String {
        var html = "<li class=\"body\"><h3>\(escape(body.name))</h3><p class=\"kind\">\(escape(body.kind.label))</p>"
        if let distance = body.distance { html += "<p class=\"distance\">\(distanceText(distance))</p>" }
        html += "<p class=\"address\">地址：\(escape(body.address))</p>"
        html += "<p class=\"hours\">时间：\(escape(body.hours ?? "请来电询问"))</p>"
        if let phone = body.phone {
            html += "<p><a class=\"call\" href=\"tel:\(escape(dial(phone)))\">拨打 \(escape(phone))</a></p>"
        }
        return html + "</li>"
    }

    static func render(areas: [MediationArea], chosen: Int64?, bodies: [MediationBodyView]?, errors: [String],
                       tiles: MapTiles?, leaflet: Bool) -> String {
        // Each county followed by its townships, so one list works without script.
        var options = "<option value=\"\">请选择县市区或乡镇街道</option>"
        let townships = Dictionary(grouping: areas.filter { $0.level == .township }, by: { $0.parentID ?? 0 })
        for county in areas where county.level == .county {
            options += "<option value=\"\(county.id)\"\(county.id == chosen ? " selected" : "")>\(escape(placeName(county.name)))（\(county.bodies) 处）</option>"
            for township in townships[county.id] ?? [] {
                options += "<option value=\"\(township.id)\"\(township.id == chosen ? " selected" : "")>　\(escape(placeName(township.name)))（\(township.bodies) 处）</option>"
            }
        }
        let kinds = "{" + MediationBodyKind.allCases.map { "\"\($0.rawValue)\":\"\($0.label)\"" }.joined(separator: ",") + "}"
        let map = tiles.flatMap { tiles in leaflet ? tiles : nil }
        var config = "{\"kinds\":\(kinds)"
        if let map {
            config += ",\"tiles\":\(jsonString(map.template)),\"attribution\":\(jsonString(map.attribution)),\"subdomains\":\(jsonString(map.subdomains))"
        }
        config += "}"
        var list = ""
        if let bodies {
            list = bodies.isEmpty ? "<p class=\"empty\">该地区暂无登记的调解组织。</p>"
                : "<p class=\"count\">共 \(bodies.count) 处</p><ol id=\"results-list\" class=\"results\">" + bodies.map(item).joined() + "</ol>"
        }
        let head = map == nil ? "" : "<link rel=\"stylesheet\" href=\"/static/leaflet/leaflet.css\">\n<script src=\"/static/leaflet/leaflet.js\" defer></script>\n"
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>家事调解地图</title>
            <link rel="stylesheet" href="/mediation-map/map.css">
            \(head)<script type="application/json" id="map-config">\(config.replacingOccurrences(of: "</", with: "<\\/"))</script>
            <script src="/mediation-map/map.js" defer></script>
            </head>
            <body>
            <main>
            <h1>家事调解地图</h1>
            <p class="lead">婚姻家庭有矛盾，可以就近找调解组织免费调解。遇到家庭暴力等紧急情况请拨打 <a href="tel:110">110</a>；妇女维权公益服务热线 <a href="tel:12338">12338</a>。</p>
            <section class="locate" id="locate" hidden>
            <button type="button" id="use-location" class="primary">用我的位置查找最近的调解组织</button>
            <p class="note">点按后浏览器会询问是否允许获取位置。您的位置只用于这一次查找，不会被保存。</p>
            </section>
            <form method="get" action="/mediation-map" class="choose">
            <label for="unit">或选择所在地区</label>
            <select id="unit" name="unit_id">\(options)</select>
            <button type="submit">查看</button>
            </form>
            <p id="status" class="status" role="status" aria-live="polite">\(errors.map(escape).joined(separator: " "))</p>
            <div id="map-toggle" hidden><button type="button" id="show-map">显示地图</button></div>
            <div id="map" hidden></div>
            <section id="results">\(list)</section>
            </main>
            </body>
            </html>
            """
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension MediationBodyJSON {
    /// The body's JSON object up to its distance (`…,"unit_id":…,"mediator_count":3`, no closing brace):
    /// the store renders each body so once per registry snapshot, and the nearest answer writes only
    /// the distance on per request. Member for member what the type encodes, `distance_m` last.
    static func head(_ body: MediationBodyView) throws -> String {
        guard case .object(let pairs) = try JSONValueEncoder.value(MediationBodyJSON(body)) else {
            preconditionFailure("MediationBodyJSON encodes as an object")
        }
        let text = String(decoding: JSON.object(pairs.filter { $0.0 != "distance_m" }).serialized(), as: UTF8.self)
        return String(text.dropLast())
    }

    /// A nearest answer's item: the rendered head and the distance in metres to 0.1 m, as `init` rounds it.
    static func item(head: String, distance: Double) -> JSON {
        .raw(head + ",\"distance_m\":" + String((distance * 10).rounded() / 10) + "}")
    }
}
