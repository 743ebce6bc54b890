import Foundation
import HavenCore
import HavenData
import Hummingbird

/// A download of incident reports as CSV or JSON Lines, written a keyset page at a time so memory stays flat
/// however many reports there are. The incident export and the violent incident log both use it.
enum IncidentStream {
    static let pageSize = 1000

    static func response(store: IncidentStore, filter: IncidentStore.Filter, format: String, filename: String, csvHeader: String,
                         line: @escaping @Sendable (IncidentReport) throws -> String) -> Response {
        let body = ResponseBody { writer in
            if format == "csv" { try await writer.write(ByteBuffer(string: csvHeader)) }
            var cursor: IncidentStore.Cursor?
            while true {
                let page = try await store.page(filter, after: cursor, size: pageSize)
                guard let last = page.last else { break }
                var buffer = ByteBuffer()
                for report in page { buffer.writeString(try line(report)) }
                try await writer.write(buffer)
                cursor = .init(occurredAt: last.occurredAt, id: last.id)
                if page.count < pageSize { break }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
            .contentDisposition: "attachment; filename=\"\(filename).\(format)\"", .cacheControl: "no-store",
        ], body: body)
    }
}
