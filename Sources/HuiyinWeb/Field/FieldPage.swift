import Foundation
import HuiyinCore
import MicroHTTP

/// The field page's files. The script, style and service worker are files beside this one, embedded in
/// the binary (`Package.swift`); the shell is built once from them and the domain's own words, so the
/// page and the server never disagree on a kind, a topic or what a mandatory report means.
enum FieldPage {
    struct Asset: Sendable {
        let path: String
        let type: String
        let body: [UInt8]
        let headers: [(name: String, value: String)]
    }

    /// Changes whenever any file of the page changes: the service worker's cache is named after it, so
    /// a new release replaces the cached shell instead of serving the old one beside the new API.
    static let version: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: a cache name, not a secret
        for byte in PackageResources.field_html + PackageResources.field_js + PackageResources.field_css + PackageResources.field_sw_js + Array(wordsJSON.utf8) {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }()

    /// Only our own files run or load (as in the console); the service worker and manifest are ours too.
    static let pageHeaders: [(name: String, value: String)] = [
        ("Cache-Control", "no-cache"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin"),
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    ]

    static let assets: [Asset] = [
        Asset(path: "/field/field.js", type: "text/javascript; charset=utf-8", body: PackageResources.field_js,
              headers: [("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]),
        Asset(path: "/field/field.css", type: "text/css; charset=utf-8", body: PackageResources.field_css,
              headers: [("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]),
        // Served from /field/ but in charge of /field itself too: its scope is widened by this header.
        Asset(path: "/field/sw.js", type: "text/javascript; charset=utf-8",
              body: Array(String(decoding: PackageResources.field_sw_js, as: UTF8.self)
                .replacingOccurrences(of: "__VERSION__", with: version).utf8),
              headers: [("Cache-Control", "no-cache"), ("Service-Worker-Allowed", "/field"), ("X-Content-Type-Options", "nosniff")]),
        Asset(path: "/field/manifest.webmanifest", type: "application/manifest+json", body: PackageResources.manifest_webmanifest,
              headers: [("Cache-Control", "no-cache")]),
        Asset(path: "/field/icon.svg", type: "image/svg+xml", body: PackageResources.icon_svg,
              headers: [("Cache-Control", "public, max-age=86400")]),
    ]

    static func response(_ body: [UInt8], type: String, headers: [(name: String, value: String)]) -> Response {
        Response(status: 200, headers: [("Content-Type", type)] + headers, body: body)
    }

    /// The domain's words the page needs offline, as one JSON object in the shell.
    struct Words: Encodable {
        struct Choice: Encodable { let value: String; let label: String }
        struct Kind: Encodable {
            let value: String
            let label: String
            let sealed: Bool
            /// The reports the law requires for this kind: for an adult victim, for a minor victim.
            let mandatoryAdult: [String]
            let mandatoryMinor: [String]
        }
        let kinds: [Kind]
        let topics: [Choice]
        let urgencies: [Choice]
        let modes: [Choice]
        let categories: [Choice]
        let colours: [Choice]
        let statuses: [Choice]
        /// Lead kind raised by a topic found on a visit.
        let topicKinds: [String: String]
        /// The fields a refused report names, in Chinese.
        let fieldLabels: [String: String]
    }

    static let wordsJSON: String = {
        func reasons(_ kind: LeadKind, minor: Bool) -> [String] {
            Lead.mandatoryReports(kind: kind, victimIsMinor: minor).map { "\($0.label)（\($0.legalBasis)）" }
        }
        func choices<Word: RawRepresentable & CaseIterable>(_ words: Word.Type, _ label: (Word) -> String) -> [Words.Choice]
            where Word.RawValue == String { words.allCases.map { Words.Choice(value: $0.rawValue, label: label($0)) } }
        let words = Words(
            kinds: LeadKind.allCases.map {
                Words.Kind(value: $0.rawValue, label: $0.label, sealed: $0.isSealed,
                           mandatoryAdult: reasons($0, minor: false), mandatoryMinor: reasons($0, minor: true))
            },
            topics: choices(VisitTopic.self) { $0.label }, urgencies: choices(LeadUrgency.self) { $0.label },
            modes: choices(VisitMode.self) { $0.label }, categories: choices(HouseholdCategory.self) { $0.label },
            colours: choices(HouseholdColour.self) { $0.label + "色" }, statuses: choices(LeadStatus.self) { $0.label },
            topicKinds: [VisitTopic.womensChildrensRights.rawValue: LeadKind.other.rawValue,
                         VisitTopic.marriageFamilyDisputes.rawValue: LeadKind.familyDispute.rawValue,
                         VisitTopic.domesticViolence.rawValue: LeadKind.domesticViolence.rawValue,
                         VisitTopic.minorSexualAssault.rawValue: LeadKind.minorSexualAssault.rawValue],
            fieldLabels: ConsoleLabels.fieldLabels.merging([
                "visited_on": "走访日期", "mode": "走访方式", "topics": "必谈事项", "lead_id": "线索", "grid_id": "网格",
                "kind": "线索类别", "urgency": "紧急程度", "people": "当事人", "household_id": "重点户", "source": "线索来源",
                "summary": "发生了什么",
            ]) { _, field in field })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // In a <script> element: "</" would end it.
        return String(decoding: try! encoder.encode(words), as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }()

    static let shell: [UInt8] = Array(String(decoding: PackageResources.field_html, as: UTF8.self).replacingOccurrences(of: "__WORDS__", with: wordsJSON)
        .replacingOccurrences(of: "__VERSION__", with: version).utf8)
}
