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

    /// A unit × week table: each cell's number on a grey as dark as its share of the largest count
    /// (white text on the darker greys, so it reads printed in black and white); a week the test
    /// flags has a heavy black frame and a ▲. An image, not a control: the units' links are beside it.
    static func heat(id: String, title: String, weeks: [String], rows: [(label: String, counts: [Int], flagged: [Bool])]) -> String {
        let labelWidth = 150, cell = 44, rowHeight = 26, head = 30
        let width = labelWidth + cell * max(1, weeks.count) + 4
        let height = head + rowHeight * max(1, rows.count) + 4
        let peak = max(1, rows.flatMap(\.counts).max() ?? 1)
        var svg = "<svg id=\"\(id)\" role=\"img\" aria-label=\"\(escape(title))\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\">"
        svg += "<title>\(escape(title))</title>"
        for (column, week) in weeks.enumerated() {
            svg += "<text x=\"\(labelWidth + column * cell + cell / 2)\" y=\"\(head - 10)\" text-anchor=\"middle\" font-size=\"11\">\(escape(week))</text>"
        }
        for (index, row) in rows.enumerated() {
            let y = head + index * rowHeight
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 17)\" text-anchor=\"end\">\(escape(row.label))</text>"
            for (column, count) in row.counts.enumerated() {
                let x = labelWidth + column * cell
                // Black text on the lighter greys (≥ 120: contrast ≥ 4.7:1), white on the darker ones,
                // kept at ≤ 110 (≥ 5:1), so every number meets AA on screen and on paper.
                var grey = Int((245 - 200 * Double(count) / Double(peak)).rounded())
                let dark = grey < 120
                if dark { grey = min(grey, 110) }
                let fill = count == 0 ? "#ffffff" : "rgb(\(grey),\(grey),\(grey))"
                let flagged = column < row.flagged.count && row.flagged[column]
                svg += "<rect x=\"\(x + 1)\" y=\"\(y + 1)\" width=\"\(cell - 2)\" height=\"\(rowHeight - 2)\" fill=\"\(fill)\" "
                    + (flagged ? "stroke=\"#000\" stroke-width=\"3\"" : "stroke=\"#c8c8c8\" stroke-width=\"1\"") + ">"
                    + "<title>\(escape(row.label)) \(escape(weeks[column]))：\(count)\(flagged ? "（异常升高）" : "")</title></rect>"
                svg += "<text x=\"\(x + cell / 2)\" y=\"\(y + 17)\" text-anchor=\"middle\" fill=\"\(dark ? "#fff" : "#000")\">"
                    + "\(count)\(flagged ? "▲" : "")</text>"
            }
        }
        return svg + "</svg>"
    }

    /// Weekly counts (solid line, dots) over the expected count (dashed) and the band up to the count
    /// that would warn (light grey): black, dashes and grey, so the print keeps the meaning.
    static func band(id: String, title: String, labels: [String], counts: [Int], expected: [Double], thresholds: [Int]) -> String {
        let width = 560, height = 220, left = 40, bottom = 34, top = 14
        let peak = max(1, (counts + thresholds).max() ?? 1)
        let step = counts.count > 1 ? Double(width - left - 14) / Double(counts.count - 1) : 0
        func x(_ i: Int) -> String { coordinate(Double(left) + Double(i) * step) }
        func y(_ v: Double) -> String { coordinate(Double(top) + Double(height - top - bottom) * (1 - v / Double(peak))) }
        var svg = "<svg id=\"\(id)\" role=\"img\" aria-label=\"\(escape(title))\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\">"
        svg += "<title>\(escape(title))</title>"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 10)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + 4)\" text-anchor=\"end\">\(peak)</text>"
        svg += "<text x=\"\(left - 6)\" y=\"\(height - bottom)\" text-anchor=\"end\">0</text>"
        if !counts.isEmpty {
            let upper = thresholds.enumerated().map { "\(x($0.offset)),\(y(Double($0.element)))" }
            let lower = expected.enumerated().reversed().map { "\(x($0.offset)),\(y($0.element))" }
            svg += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"#e4e4e4\" stroke=\"none\"/>"
            svg += "<polyline points=\"\(expected.enumerated().map { "\(x($0.offset)),\(y($0.element))" }.joined(separator: " "))\" "
                + "fill=\"none\" stroke=\"#000\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>"
            svg += "<polyline points=\"\(counts.enumerated().map { "\(x($0.offset)),\(y(Double($0.element)))" }.joined(separator: " "))\" "
                + "fill=\"none\" stroke=\"#000\" stroke-width=\"2.5\"/>"
            for (i, count) in counts.enumerated() {
                let over = i < thresholds.count && count >= thresholds[i]
                svg += "<circle cx=\"\(x(i))\" cy=\"\(y(Double(count)))\" r=\"\(over ? 5 : 3)\" fill=\"\(over ? "#fff" : "#000")\" stroke=\"#000\" stroke-width=\"2\">"
                    + "<title>\(escape(labels[i]))：\(count)（预期约\(String(format: "%.1f", expected[i]))，预警线\(thresholds[i])）</title></circle>"
            }
            svg += "<text x=\"\(left)\" y=\"\(height - 14)\">\(escape(labels.first ?? ""))</text>"
            svg += "<text x=\"\(width - 10)\" y=\"\(height - 14)\" text-anchor=\"end\">\(escape(labels.last ?? ""))</text>"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 1)\" font-size=\"11\">实线：每周件数；虚线：预期件数；灰色带：预期至预警线；空心圆点：达到预警线</text>"
        return svg + "</svg>"
    }

    private static func coordinate(_ v: Double) -> String { String((v * 10).rounded() / 10) }
}
