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

    /// Pages the incident export reads at once, on as many database connections, when it can find where each ends
    /// from the list index (`IncidentStore.canFindPageEnds`).
    static let pagesInFlight = 3

    /// Writes each report with `write`, reading only `columns` (see `IncidentStore.ExportColumns`).
    static func response(store: IncidentStore, filter: IncidentStore.Filter, columns: IncidentStore.ExportColumns, format: String,
                         filename: String, csvHeader: String,
                         write: @escaping @Sendable (IncidentReport, inout ByteBuffer) throws -> Void) -> Response {
        if IncidentStore.canFindPageEnds(filter) {
            return response(format: format, filename: filename, csvHeader: csvHeader, contentType: nil, write: write) { writer in
                var pages = ExportPages(store: store, filter: filter, columns: columns, size: exportPageSize)
                defer { pages.cancel() }  // the download stopped: the pages still being read are not needed
                while let page = try await pages.next() { try await writer(page) }
            }
        }
        return response(format: format, filename: filename, csvHeader: csvHeader, next: { (cursor: IncidentStore.Cursor?) in
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
        response(format: format, filename: filename, csvHeader: csvHeader, contentType: contentType, write: write) { send in
            var pending: Task<(items: [Item], cursor: Cursor?), any Error>? = Task { try await next(nil) }
            defer { pending?.cancel() }
            while let current = pending {
                let (page, after) = try await current.value
                pending = after.map { cursor in Task { try await next(cursor) } }
                try await send(page)
            }
        }
    }

    /// The download itself: `pages` hands each page in order to the function it is given, which formats and sends it.
    private static func response<Item: Sendable>(
        format: String, filename: String, csvHeader: String, contentType: String?,
        write: @escaping @Sendable (Item, inout ByteBuffer) throws -> Void,
        pages: @escaping @Sendable (_ send: ([Item]) async throws -> Void) async throws -> Void
    ) -> Response {
        let csv = format.hasSuffix("csv")
        let body = ResponseBody { writer in
            if csv { try await writer.write(ByteBuffer(string: csvHeader)) }
            try await pages { page in
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

/// The incident export's pages, several read at once: where each page ends is found from the list index first (cheap,
/// and in order), then the pages between those ends are read concurrently, on different connections, and handed out
/// in order. At most `IncidentStream.pagesInFlight` pages are held.
struct ExportPages {
    let store: IncidentStore
    let filter: IncidentStore.Filter
    let columns: IncidentStore.ExportColumns
    let size: Int
    private var reads: [Task<[IncidentReport], any Error>] = []
    /// Where the next page to ask for starts; nil before the first.
    private var start: IncidentStore.Cursor?
    /// Whether the last page (the one with no end found) has been asked for.
    private var askedForLast = false

    init(store: IncidentStore, filter: IncidentStore.Filter, columns: IncidentStore.ExportColumns, size: Int) {
        (self.store, self.filter, self.columns, self.size) = (store, filter, columns, size)
    }

    mutating func next() async throws -> [IncidentReport]? {
        do {
            try await askForMore()
            guard !reads.isEmpty else { return nil }
            let page = try await reads.removeFirst().value
            // The last page is read with a limit, having no end to stop at. Full, it may not be the last any more
            // (reports were added meanwhile): reading goes on after it.
            if reads.isEmpty, askedForLast, page.count >= size, let last = page.last {
                start = IncidentStore.Cursor(after: last)
                askedForLast = false
            }
            return page
        } catch {
            cancel()
            throw error
        }
    }

    func cancel() { reads.forEach { $0.cancel() } }

    private mutating func askForMore() async throws {
        while !askedForLast && reads.count < IncidentStream.pagesInFlight {
            let (from, store, filter, columns, size) = (start, store, filter, columns, size)
            let end = try await store.pageEnd(filter, after: from, size: size)
            reads.append(Task { try await store.page(filter, after: from, through: end, size: size, columns: columns) })
            if let end { start = end } else { askedForLast = true }
        }
    }
}
