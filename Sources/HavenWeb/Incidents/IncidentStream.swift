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
        response(format: format, filename: filename, csvHeader: csvHeader, next: { (cursor: IncidentStore.Cursor?) in
            let page = try await store.page(filter, after: cursor, size: pageSize)
            return (page, page.count < pageSize ? nil : page.last.map { .init(occurredAt: $0.occurredAt, id: $0.id) })
        }, line: line)
    }

    /// The same streaming for any record kept in keyset pages (use of force too): `next` returns a page and the cursor
    /// after it (nil at the end). `format` "csv" writes `csvHeader` first; anything else is JSON Lines.
    static func response<Item: Sendable, Cursor: Sendable>(
        format: String, filename: String, csvHeader: String, contentType: String? = nil,
        next: @escaping @Sendable (Cursor?) async throws -> (items: [Item], cursor: Cursor?),
        line: @escaping @Sendable (Item) throws -> String
    ) -> Response {
        let csv = format.hasSuffix("csv")
        let body = ResponseBody { writer in
            if csv { try await writer.write(ByteBuffer(string: csvHeader)) }
            var cursor: Cursor?
            while true {
                let (page, after) = try await next(cursor)
                var buffer = ByteBuffer()
                for item in page { buffer.writeString(try line(item)) }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
                guard let after else { break }
                cursor = after
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: contentType ?? (csv ? "text/csv; charset=utf-8" : "application/x-ndjson"),
            .contentDisposition: "attachment; filename=\"\(filename).\(csv ? "csv" : "jsonl")\"", .cacheControl: "no-store",
        ], body: body)
    }
}
