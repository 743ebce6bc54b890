import Foundation
import HavenCore
import HavenData
import Hummingbird

/// A download of incident reports as CSV or JSON Lines, written a keyset page at a time so memory stays flat
/// however many reports there are. The incident export and the violent incident log both use it.
enum IncidentStream {
    /// Rows per keyset page for the downloads that page their own way (use of force).
    static let pageSize = 1000
    /// The incident export's pages after a first one of `pageSize`: larger, so that a million reports take five
    /// hundred queries rather than a thousand, but not so large that the two pages held at a time weigh much.
    static let exportPageSize = 2000

    /// Writes each report with `write`, reading only `columns` (see `IncidentStore.ExportColumns`).
    static func response(store: IncidentStore, filter: IncidentStore.Filter, columns: IncidentStore.ExportColumns, format: String,
                         filename: String, csvHeader: String,
                         write: @escaping @Sendable (IncidentReport, inout ByteBuffer) throws -> Void) -> Response {
        response(format: format, filename: filename, csvHeader: csvHeader, next: { (cursor: IncidentStore.Cursor?) in
            let size = cursor == nil ? pageSize : exportPageSize
            let page = try await store.page(filter, after: cursor, size: size, columns: columns)
            return (page, page.count < size ? nil : page.last.map(IncidentStore.Cursor.init(after:)))
        }, write: write)
    }

    /// The same with a line of text for each report, reading every column.
    static func response(store: IncidentStore, filter: IncidentStore.Filter, format: String, filename: String, csvHeader: String,
                         line: @escaping @Sendable (IncidentReport) throws -> String) -> Response {
        response(store: store, filter: filter, columns: .all, format: format, filename: filename, csvHeader: csvHeader,
                 write: { report, out in out.writeString(try line(report)) })
    }

    /// The same streaming for any record kept in keyset pages (use of force too): `next` returns a page and the cursor
    /// after it (nil at the end). `format` "csv" writes `csvHeader` first; anything else is JSON Lines.
    static func response<Item: Sendable, Cursor: Sendable>(
        format: String, filename: String, csvHeader: String, contentType: String? = nil,
        next: @escaping @Sendable (Cursor?) async throws -> (items: [Item], cursor: Cursor?),
        line: @escaping @Sendable (Item) throws -> String
    ) -> Response {
        response(format: format, filename: filename, csvHeader: csvHeader, contentType: contentType, next: next,
                 write: { item, out in out.writeString(try line(item)) })
    }

    /// The next page is asked for before the current one is written, so the database reads on its own thread while
    /// this one formats and sends: at most two pages are held at a time.
    static func response<Item: Sendable, Cursor: Sendable>(
        format: String, filename: String, csvHeader: String, contentType: String? = nil,
        next: @escaping @Sendable (Cursor?) async throws -> (items: [Item], cursor: Cursor?),
        write: @escaping @Sendable (Item, inout ByteBuffer) throws -> Void
    ) -> Response {
        let csv = format.hasSuffix("csv")
        let body = ResponseBody { writer in
            if csv { try await writer.write(ByteBuffer(string: csvHeader)) }
            var pending: Task<(items: [Item], cursor: Cursor?), any Error>? = Task { try await next(nil) }
            defer { pending?.cancel() }
            while let current = pending {
                let (page, after) = try await current.value
                pending = after.map { cursor in Task { try await next(cursor) } }
                var buffer = ByteBuffer()
                buffer.reserveCapacity(page.count * 512)
                for item in page { try write(item, &buffer) }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: contentType ?? (csv ? "text/csv; charset=utf-8" : "application/x-ndjson"),
            .contentDisposition: "attachment; filename=\"\(filename).\(csv ? "csv" : "jsonl")\"", .cacheControl: "no-store",
        ], body: body)
    }
}
