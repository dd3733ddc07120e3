import Foundation

/// Charts drawn on the server as SVG: no script, no external library, prints as it shows.
enum SVGCharts {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Horizontal bars, one per unit, 0–100 %; a unit with nothing stopped yet shows "暂无".
    static func bars(id: String, title: String, _ items: [(label: String, value: Double?)]) -> String {
        let rowHeight = 28, labelWidth = 170, barWidth = 300
        let height = max(1, items.count) * rowHeight + 24
        var svg = "<svg id=\"\(id)\" role=\"img\" aria-label=\"\(escape(title))\" viewBox=\"0 0 \(labelWidth + barWidth + 60) \(height)\" width=\"100%\">"
        svg += "<title>\(escape(title))</title>"
        for (index, item) in items.enumerated() {
            let y = index * rowHeight + 4
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 17)\" text-anchor=\"end\">\(escape(item.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(barWidth)\" height=\"18\" fill=\"#eef1f4\"/>"
            if let value = item.value {
                let width = Int((value * Double(barWidth)).rounded())
                let color = value >= 0.9 ? "#1a7f37" : value >= 0.7 ? "#b35900" : "#b00020"
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(width)\" height=\"18\" fill=\"\(color)\"/>"
                svg += "<text x=\"\(labelWidth + barWidth + 6)\" y=\"\(y + 17)\">\(Int((value * 100).rounded()))%</text>"
            } else {
                svg += "<text x=\"\(labelWidth + barWidth + 6)\" y=\"\(y + 17)\">暂无</text>"
            }
        }
        return svg + "</svg>"
    }

    /// A line over days (oldest left), with the first and last day and the peak marked.
    static func line(id: String, title: String, _ points: [(label: String, value: Int)]) -> String {
        let width = 520, height = 200, left = 40, bottom = 30, top = 12
        let peak = max(1, points.map(\.value).max() ?? 1)
        let step = points.count > 1 ? Double(width - left - 10) / Double(points.count - 1) : 0
        func x(_ i: Int) -> Double { Double(left) + Double(i) * step }
        func y(_ v: Int) -> Double { Double(top) + Double(height - top - bottom) * (1 - Double(v) / Double(peak)) }
        var svg = "<svg id=\"\(id)\" role=\"img\" aria-label=\"\(escape(title))\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\">"
        svg += "<title>\(escape(title))</title>"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 10)\" y2=\"\(height - bottom)\" stroke=\"#b7bfc8\"/>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + 4)\" text-anchor=\"end\">\(peak)</text>"
        svg += "<text x=\"\(left - 6)\" y=\"\(height - bottom)\" text-anchor=\"end\">0</text>"
        func coordinate(_ v: Double) -> String { String((v * 10).rounded() / 10) }
        let path = points.enumerated().map { "\(coordinate(x($0.offset))),\(coordinate(y($0.element.value)))" }.joined(separator: " ")
        svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"#8c1c2c\" stroke-width=\"2\"/>"
        for (i, point) in points.enumerated() {
            svg += "<circle cx=\"\(coordinate(x(i)))\" cy=\"\(coordinate(y(point.value)))\" r=\"2.5\" fill=\"#8c1c2c\">"
                + "<title>\(escape(point.label))：\(point.value)</title></circle>"
        }
        if let first = points.first, let last = points.last {
            svg += "<text x=\"\(left)\" y=\"\(height - 8)\">\(escape(first.label))</text>"
            svg += "<text x=\"\(width - 10)\" y=\"\(height - 8)\" text-anchor=\"end\">\(escape(last.label))</text>"
        }
        return svg + "</svg>"
    }
}
