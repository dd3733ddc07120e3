import Foundation
import Glibc

/// Families whose values are read at scrape time (totals kept by the group commit and the pool, the
/// process, the database's replication and archiving), written in the Prometheus text format with
/// HELP and TYPE lines: totals that only grow are counters, levels are gauges.
struct ScrapeExposition {
    private(set) var text = ""

    mutating func counter(_ name: String, _ help: String, _ value: Double, labels: [(String, String)] = []) {
        family(name, "counter", help, [(labels, value)])
    }

    mutating func gauge(_ name: String, _ help: String, _ value: Double, labels: [(String, String)] = []) {
        family(name, "gauge", help, [(labels, value)])
    }

    mutating func family(_ name: String, _ type: String, _ help: String, _ samples: [([(String, String)], Double)]) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        for (labels, value) in samples {
            text += name
            if !labels.isEmpty {
                text += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
            }
            text += " " + Self.number(value) + "\n"
        }
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// What the kernel says about this process (Linux /proc), in the standard `process_*` names.
struct ProcessFigures {
    var cpuSeconds = 0.0
    var residentBytes = 0.0
    var virtualBytes = 0.0
    var threads = 0.0
    var startTime = 0.0
    var openDescriptors = 0.0
    var maxDescriptors = 0.0

    static func read() -> ProcessFigures {
        var figures = ProcessFigures()
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        // Fields after the command name, which is in parentheses and may contain spaces.
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            func field(_ number: Int) -> Double { fields.count > number - 3 ? Double(fields[number - 3]) ?? 0 : 0 }
            figures.cpuSeconds = (field(14) + field(15)) / ticks
            figures.threads = field(20)
            figures.virtualBytes = field(23)
            figures.residentBytes = field(24) * pageSize
            if let boot = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8))?
                .split(separator: "\n").first(where: { $0.hasPrefix("btime ") })?.split(separator: " ").last.flatMap({ Double($0) }) {
                figures.startTime = boot + field(22) / ticks
            }
        }
        figures.openDescriptors = Double((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 0)
        var limit = rlimit()
        if getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0 { figures.maxDescriptors = Double(limit.rlim_cur) }
        return figures
    }
}

private let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
