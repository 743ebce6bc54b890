import Foundation
import HavenCore
@testable import HavenWeb
import Testing

/// The export's rows are written by hand into bytes for speed: these hold them to RFC 4180 (read back by a parser that
/// works on bytes, as spreadsheets do) and to the output of the simple code they replaced, byte for byte.
@Suite("Incident export rows")
struct IncidentExportFormatTests {
    /// Fields that have broken CSV writers: quotes, separators, line ends, formulas, and combining marks, which
    /// Swift joins with the character before them (a comma or quote followed by U+0301 is one Character).
    static let awkward = [
        "", "plain words", "\u{301}", "\u{301}starts with a combining mark", "\u{301},\u{301}", "\u{301}\"quoted\u{301}\"",
        "\u{301}=1+2", "=\u{301}1", "a,\u{301}b", "say \"\u{301}hi\"", "line one\r\nline two", "\r\n", "\n", "\r", "\t tab first",
        "=HYPERLINK(\"http://evil\")", "+1", "-1, or so", "@SUM(A1)", "\"", "\"\"", ",", "é\u{301}😀 naïve", "back\\slash/and slash",
        "\u{0}\u{1}\u{1F}\u{7F}\u{2028}\u{2029}\u{FEFF}", String(repeating: "long, \"text\"\r\n", count: 200),
    ]

    @Test("A field is quoted by its bytes: CRLF, and a comma or quote before a combining mark, are one Character in Swift")
    func csvField() {
        #expect(IncidentExport.csvField("plain words") == "plain words")
        #expect(IncidentExport.csvField("line one\r\nline two") == "\"line one\r\nline two\"")
        #expect(IncidentExport.csvField("a,\u{301}b") == "\"a,\u{301}b\"")
        #expect(IncidentExport.csvField("say \"\u{301}hi\"") == "\"say \"\"\u{301}hi\"\"\"")
        #expect(IncidentExport.csvField("=1+2") == "'=1+2")
        #expect(IncidentExport.csvField("-1, or so") == "\"'-1, or so\"")
        // A field that starts with a combining mark: its first Character is the mark alone, its first byte is 0xCC.
        #expect(IncidentExport.csvField("\u{301}plain") == "\u{301}plain")
        #expect(IncidentExport.csvField("\u{301},\u{301}") == "\"\u{301},\u{301}\"")
        #expect(IncidentExport.csvField("\u{301}\"") == "\"\u{301}\"\"\"")
        #expect(IncidentExport.csvField("\u{301}\r\n") == "\"\u{301}\r\n\"")
        // A formula sign with a combining mark on it is one Character ("=\u{301}" != "="), but still a leading "=".
        #expect(IncidentExport.csvField("=\u{301}1") == "'=\u{301}1")
        #expect(IncidentExport.csvField("\u{301}=1") == "\u{301}=1", "not a formula: it starts with the mark")
    }

    @Test("Rows read back field for field with a byte-level RFC 4180 parser, a combining mark after every separator")
    func roundTrip() throws {
        for (index, text) in Self.awkward.enumerated() {
            let report = Self.report(index, description: text, area: Self.awkward[(index + 7) % Self.awkward.count])
            let line = Array(IncidentExport.csvLine(report).utf8)
            let fields = try #require(Self.parse(line), "\(index)")
            #expect(fields.count == 12, "\(index)")
            #expect(fields.last == Self.defused(text) && fields[4] == Self.defused(report.area), "\(index)")
            #expect(fields[0] == report.id && fields[1] == report.occurredAt.iso8601 && fields[6] == "2")
        }
    }

    @Test("CSV and JSON Lines rows are byte for byte what the field-joining writer and JSONEncoder made")
    func sameBytes() throws {
        for (index, text) in Self.awkward.enumerated() {
            var report = Self.report(index, description: text, area: Self.awkward[(index + 3) % Self.awkward.count])
            #expect(IncidentExport.csvLine(report) == Self.referenceCSVLine(report), "\(index)")
            #expect(try IncidentExport.jsonLine(report) == Self.referenceJSONLine(report), "\(index)")
            report.anonymous = true
            report.handlerId = text
            report.outcome = text
            report.lessons = Self.awkward[(index + 5) % Self.awkward.count]
            report.closedAt = report.reportedAt + 3_600
            report.reviewDueAt = Date(epochMilliseconds: -62_200_000_000_000)  // a year outside 0...9999 takes the formatter
            report.detail.weapon = text
            report.detail.police = .init(attended: true, crimeReference: "CR/1", outcome: "")
            #expect(try IncidentExport.jsonLine(report) == Self.referenceJSONLine(report), "\(index)")
            report.occurredAt = Date(epochMilliseconds: 400_000_000_000_000)
            #expect(IncidentExport.csvLine(report) == Self.referenceCSVLine(report), "\(index): the year 14645 starts with +")
        }
    }

    static func report(_ index: Int, description: String, area: String) -> IncidentReport {
        IncidentReport(id: "id-\(index)", organisationId: "org", type: IncidentType.allCases[index % 9],
                       occurredAt: Date(epochMilliseconds: 1_793_628_000_123 + Int64(index) * 61_001), unitId: "unit-\(index % 3)", area: area,
                       perpetrator: .patientOrServiceUser, harm: Harm.allCases[index % 5], description: description,
                       reporterRole: ReporterRole.allCases[index % 3], reporterId: nil, status: IncidentStatus.allCases[index % 5],
                       reportedAt: Date(epochMilliseconds: 1_793_628_900_000 + Int64(index)))
    }

    /// What a spreadsheet shows for a field: the text, with a `'` before a formula.
    static func defused(_ text: String) -> String {
        guard let first = text.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains(first) else {
            return text
        }
        return "'" + text
    }

    /// RFC 4180 on bytes: one record ending in CRLF, or nil when it is malformed.
    static func parse(_ bytes: [UInt8]) -> [String]? {
        var fields: [String] = [], field: [UInt8] = [], index = 0
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        while index < bytes.count {
            if bytes[index] == quote {
                index += 1
                while true {
                    guard index < bytes.count else { return nil }
                    if bytes[index] == quote {
                        if index + 1 < bytes.count && bytes[index + 1] == quote { field.append(quote); index += 2; continue }
                        index += 1
                        break
                    }
                    field.append(bytes[index]); index += 1
                }
            } else {
                while index < bytes.count && bytes[index] != comma && bytes[index] != 0x0D {
                    if bytes[index] == quote || bytes[index] == 0x0A { return nil }
                    field.append(bytes[index]); index += 1
                }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field = []
            guard index < bytes.count else { return nil }
            if bytes[index] == comma { index += 1; continue }
            return bytes[index...] == [0x0D, 0x0A] ? fields : nil
        }
        return nil
    }

    /// The export's row as it was written before the byte writer: each field escaped, then joined.
    static func referenceCSVLine(_ report: IncidentReport) -> String {
        [report.id, report.occurredAt.iso8601, report.type.rawValue, report.unitId, report.area, report.perpetrator.rawValue,
         String(report.perpetrator.usWorkplaceViolenceType), report.harm.rawValue, report.status.rawValue, report.reporterRole.rawValue,
         report.reportedAt.iso8601, report.description].map(referenceField).joined(separator: ",") + "\r\n"
    }

    static func referenceField(_ value: String) -> String {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lineFeed: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D
        let defuse = value.utf8.first.map { [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, carriageReturn].contains($0) } ?? false
        let needsQuotes = value.utf8.contains { $0 == quote || $0 == comma || $0 == lineFeed || $0 == carriageReturn }
        if !defuse && !needsQuotes { return value }
        var out: [UInt8] = []
        if needsQuotes { out.append(quote) }
        if defuse { out.append(UInt8(ascii: "'")) }
        for byte in value.utf8 {
            out.append(byte)
            if byte == quote { out.append(quote) }
        }
        if needsQuotes { out.append(quote) }
        return String(decoding: out, as: UTF8.self)
    }

    static func referenceJSONLine(_ report: IncidentReport) throws -> String {
        String(decoding: try JSONEncoder.api.encode(IncidentJSON(report)), as: UTF8.self) + "\n"
    }
}
