import Foundation
import HavenCore

/// A horizontal bar chart drawn as SVG on the server (no script, no library): one labelled row per value, the
/// figure written at the end of each bar, so nothing is carried by colour alone. The template draws it from these
/// numbers (so every label is escaped like any other text), and the page puts the same figures in a table beside it
/// for screen readers; the SVG itself is one image with a title and a description.
struct BarChart: Sendable {
    struct Bar: Sendable {
        var label: String
        var valueText: String
        var y: Int
        var textY: Int
        var width: String
        var valueX: String
        var hatched: Bool
    }

    struct Reference: Sendable {
        var x: String
        var label: String
    }

    var id: String
    var title: String
    var summary: String
    var bars: [Bar]
    var reference: Reference?
    var height: Int
    var hasBars: Bool

    static let width = 640, labelWidth = 190, rowHeight = 26, barHeight = 18, top = 8, valueRoom = 70
    // Stored, not computed: the template reads the model by reflection, which sees only stored properties.
    var width = Self.width
    var labelWidth = Self.labelWidth
    var barLeft = Self.labelWidth + 6
    var barHeight = Self.barHeight
    var axisBottom = 0

    /// `values` in order; nil values (nothing to show, e.g. no bed days) get an empty bar and the words "no data", or
    /// "* (small number)" when their text is the suppression marker.
    /// `reference` draws a labelled vertical line (1 = in proportion for ratios).
    init(id: String, title: String, summary: String, values: [(label: String, value: Double?, text: String)],
         reference: (value: Double, label: String)? = nil) {
        self.id = id; self.title = title; self.summary = summary
        let largest = max(values.compactMap(\.value).max() ?? 0, reference?.value ?? 0)
        let room = Double(Self.width - Self.labelWidth - 6 - Self.valueRoom)
        func x(_ value: Double) -> Double { largest > 0 ? value / largest * room : 0 }
        bars = values.enumerated().map { index, item in
            let y = Self.top + index * Self.rowHeight
            let length = x(max(0, item.value ?? 0))
            // A figure withheld by small-number suppression says so, rather than "no data".
            let missing = item.text == SmallNumbers.marker ? "* (small number)" : "no data"
            return Bar(label: item.label, valueText: item.value == nil ? missing : item.text, y: y, textY: y + Self.barHeight - 4,
                       width: String(format: "%.1f", length), valueX: String(format: "%.1f", Double(Self.labelWidth + 10) + length),
                       hatched: item.value == nil)
        }
        self.reference = reference.map { Reference(x: String(format: "%.1f", Double(Self.labelWidth + 6) + x($0.value)), label: $0.label) }
        height = Self.top + values.count * Self.rowHeight + 24
        axisBottom = height - 20
        hasBars = !values.isEmpty
    }

    /// Truncates a long label for the drawing (the table keeps it whole).
    static func short(_ label: String, _ limit: Int = 28) -> String {
        label.count <= limit ? label : String(label.prefix(limit - 1)) + "…"
    }
}
