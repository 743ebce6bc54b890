import Foundation
import HavenCore
import HavenData
import Hummingbird
import NIOCore

/// Rows of the incident export, written straight into the response's buffer as UTF-8 bytes: a million-row export
/// makes no String per field or line, and scans text byte by byte (never Character by Character, which is both slow
/// and wrong for CSV: "\r\n", or a comma followed by a combining mark, is one Character).
enum IncidentExport {
    static let csvHeader = "id,occurred_at,type,unit_id,area,perpetrator,us_workplace_violence_type,harm,status,reporter_role,reported_at,description\r\n"

    static func writeCSVLine(_ report: IncidentReport, to out: inout ByteBuffer) {
        out.writeCSVField(report.id); out.writeInteger(UInt8(ascii: ","))
        out.writeCSVField(report.occurredAt); out.writeInteger(UInt8(ascii: ","))
        out.writeCSVField(report.type.rawValue); out.writeInteger(UInt8(ascii: ","))
        out.writeCSVField(report.unitId); out.writeInteger(UInt8(ascii: ","))
        out.writeCSVField(report.area); out.writeInteger(UInt8(ascii: ","))
        out.writeCSVField(report.perpetrator.rawValue); out.writeInteger(UInt8(ascii: ","))
        out.writeCSVField(String(report.perpetrator.usWorkplaceViolenceType)); out.writeInteger(UInt8(ascii: ","))
        out.writeCSVField(report.harm.rawValue); out.writeInteger(UInt8(ascii: ","))
        out.writeCSVField(report.status.rawValue); out.writeInteger(UInt8(ascii: ","))
        out.writeCSVField(report.reporterRole.rawValue); out.writeInteger(UInt8(ascii: ","))
        out.writeCSVField(report.reportedAt); out.writeInteger(UInt8(ascii: ","))
        out.writeCSVField(report.description); out.writeStaticString("\r\n")
    }

    static func csvLine(_ report: IncidentReport) -> String {
        var out = ByteBuffer()
        writeCSVLine(report, to: &out)
        return String(buffer: out)
    }

    /// Quoted when needed (RFC 4180), and a leading = + - @ (or tab, or carriage return) is defused with a `'` so a
    /// spreadsheet never runs it as a formula. The rest of the export writes fields through `ByteBuffer.writeCSVField`,
    /// the same rule.
    static func csvField(_ value: String) -> String {
        var value = value
        let form = value.withUTF8(CSVField.init)
        if form.isPlain { return value }
        var out = ByteBuffer()
        out.writeCSVField(value)
        return String(buffer: out)
    }

    /// One line of the JSON Lines export: the report's JSON and a line feed.
    static func writeJSONLine(_ report: IncidentReport, to out: inout ByteBuffer) throws {
        try writeJSON(report, to: &out)
        out.writeInteger(UInt8(ascii: "\n"))
    }

    /// The same object as `JSONEncoder.api` makes of `IncidentJSON`, byte for byte (sorted keys, absent values left
    /// out, dates as `Date.iso8601`), written by hand: the encoder costs several microseconds a row, and was 8% of
    /// the work of a submission through the API, whose answer this is too.
    static func writeJSON(_ report: IncidentReport, to out: inout ByteBuffer) throws {
        out.writeStaticString(report.anonymous ? "{\"anonymous\":true" : "{\"anonymous\":false")
        out.writeJSONMember("area", report.area)
        if let closedAt = report.closedAt { out.writeJSONMember("closedAt", closedAt) }
        out.writeJSONMember("description", report.description)
        out.writeStaticString(",\"detail\":")
        if report.detail == IncidentDetail() {
            out.writeBytes(defaultDetailJSON)
        } else {
            out.writeBytes(try JSONEncoder.api.encode(report.detail))
        }
        if let handlerId = report.handlerId { out.writeJSONMember("handlerId", handlerId) }
        out.writeJSONMember("harm", report.harm.rawValue)
        out.writeJSONMember("id", report.id)
        out.writeJSONMember("lessons", report.lessons)
        out.writeJSONMember("occurredAt", report.occurredAt)
        out.writeJSONMember("outcome", report.outcome)
        out.writeJSONMember("perpetrator", report.perpetrator.rawValue)
        out.writeJSONMember("reportedAt", report.reportedAt)
        out.writeJSONMember("reporterRole", report.reporterRole.rawValue)
        if let reviewDueAt = report.reviewDueAt { out.writeJSONMember("reviewDueAt", reviewDueAt) }
        out.writeJSONMember("status", report.status.rawValue)
        out.writeJSONMember("type", report.type.rawValue)
        out.writeJSONMember("unitId", report.unitId)
        out.writeStaticString(",\"usWorkplaceViolenceType\":")
        out.writeString(String(report.perpetrator.usWorkplaceViolenceType))
        out.writeInteger(UInt8(ascii: "}"))
    }

    static func jsonLine(_ report: IncidentReport) throws -> String {
        var out = ByteBuffer()
        try writeJSONLine(report, to: &out)
        return String(buffer: out)
    }

    /// Most reports never get detail: its JSON is encoded once.
    static let defaultDetailJSON: [UInt8] = Array((try? JSONEncoder.api.encode(IncidentDetail())) ?? Data("{}".utf8))

    /// The incident export, streamed a keyset page at a time (the page's download and the API's). Each format reads
    /// only the columns it writes.
    static func response(_ filter: IncidentStore.Filter, format: String, store: IncidentStore) -> Response {
        if format == "csv" {
            return IncidentStream.response(store: store, filter: filter, columns: .csv, format: format, filename: "incidents",
                                           csvHeader: csvHeader, write: { report, out in writeCSVLine(report, to: &out) })
        }
        return IncidentStream.response(store: store, filter: filter, columns: .api, format: format, filename: "incidents",
                                       csvHeader: csvHeader, write: { report, out in try writeJSONLine(report, to: &out) })
    }
}

/// What a CSV field needs, from its UTF-8 bytes.
struct CSVField {
    /// It holds a quote, comma, line feed or carriage return, so it is written in quotes with its quotes doubled.
    var quoted = false
    /// It starts with a character a spreadsheet would take for a formula, so a `'` goes before it.
    var defused = false

    var isPlain: Bool { !quoted && !defused }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let first = bytes.first else { return }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: defused = true
        default: break
        }
        for byte in bytes where byte == UInt8(ascii: "\"") || byte == UInt8(ascii: ",") || byte == 0x0A || byte == 0x0D {
            quoted = true
            break
        }
    }
}

extension ByteBuffer {
    /// A CSV field (see `IncidentExport.csvField`).
    mutating func writeCSVField(_ value: String) {
        var value = value
        value.withUTF8 { writeCSVField(bytes: $0) }
    }

    /// A date as `Date.iso8601` writes it, as a CSV field.
    mutating func writeCSVField(_ date: Date) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Date.iso8601Capacity) { scratch in
            let count = date.writeISO8601(into: scratch)
            writeCSVField(bytes: UnsafeBufferPointer(rebasing: scratch[..<count]))
        }
    }

    mutating func writeCSVField(bytes: UnsafeBufferPointer<UInt8>) {
        let form = CSVField(bytes)
        if form.isPlain {
            writeBytes(bytes)
            return
        }
        if form.quoted { writeInteger(UInt8(ascii: "\"")) }
        if form.defused { writeInteger(UInt8(ascii: "'")) }
        guard form.quoted else {
            writeBytes(bytes)
            return
        }
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\"") {
            writeBytes(UnsafeBufferPointer(rebasing: bytes[start...index]))
            writeInteger(UInt8(ascii: "\""))
            start = index + 1
        }
        writeBytes(UnsafeBufferPointer(rebasing: bytes[start...]))
        writeInteger(UInt8(ascii: "\""))
    }

    /// `,"key":"value"`, the value as JSONEncoder writes a string (`writeJSONString`).
    mutating func writeJSONMember(_ key: StaticString, _ value: String) {
        writeStaticString(",\"")
        writeStaticString(key)
        writeStaticString("\":")
        writeJSONString(value)
    }

    mutating func writeJSONMember(_ key: StaticString, _ date: Date) {
        writeStaticString(",\"")
        writeStaticString(key)
        writeStaticString("\":")
        writeJSONDate(date)
    }
}
