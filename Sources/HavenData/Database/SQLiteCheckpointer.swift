import Foundation
import Logging
import NIOPosix
import VaporCSQLite

/// Copies the WAL back into the database file from a connection and thread of its own, so that the writer's COMMIT
/// seldom has to.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL past 1,000 pages: the writer, and every
/// request waiting on it, stalls while the pages are copied and the database file is synced. At 1,000 incident
/// submissions a second that put the p99 at 114 ms against a p50 of 2 ms (docs/PERFORMANCE.md). Here the writer's WAL
/// hook (called after each commit with the WAL's size) starts a PASSIVE checkpoint on this thread every 1,000 pages
/// when none is running; PASSIVE waits for no reader or writer, and the writer goes on appending while it runs. A checkpoint only
/// copies committed pages and syncs the file (synchronous=FULL) before SQLite reuses the WAL, so nothing acknowledged
/// depends on it; if the process dies first, the next open replays the WAL.
final class SQLiteCheckpointer: @unchecked Sendable {
    /// WAL pages between checkpoints: SQLite's own default for its automatic one.
    static let pagesBeforeCheckpoint = 1000
    /// A WAL this long (about 40 MB) is checkpointed by the writer itself, so that it can start again (`walHolds`).
    static let pagesBeforeWriterCheckpoint = 10_000

    private var handle: OpaquePointer?
    private let thread: NIOThreadPool
    private let logger: Logger
    private let lock = NSLock()
    private var running = false
    private var closed = false
    private var completed = 0
    /// The WAL's size when the last checkpoint started.
    private var startedAt = 0

    private init(handle: OpaquePointer, thread: NIOThreadPool, logger: Logger) {
        self.handle = handle
        self.thread = thread
        self.logger = logger
    }

    static func open(path: String, logger: Logger) async throws -> SQLiteCheckpointer {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        do {
            return try await thread.runIfActive { () throws -> SQLiteCheckpointer in
                let handle = try SQLiteWriterConnection.openHandle(path, creating: false)
                // The same durability as the writer: the file is synced before the WAL is reused.
                for pragma in ["PRAGMA synchronous=FULL", "PRAGMA busy_timeout=5000"] {
                    sqlite_nio_sqlite3_exec(handle, pragma, nil, nil, nil)
                }
                return SQLiteCheckpointer(handle: handle, thread: thread, logger: logger)
            }
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
    }

    /// After a commit, with the pages now in the WAL: starts a checkpoint here when 1,000 pages came since the last
    /// one started and none is running. Called on the writer's thread inside SQLite, so it only hands the work over.
    ///
    /// Returns true when the writer must checkpoint itself: under sustained load the writer appends while a PASSIVE
    /// checkpoint copies, so the WAL is never wholly copied and SQLite never starts it again from the beginning; past
    /// `pagesBeforeWriterCheckpoint` the writer runs one (short: this thread has copied nearly all of it), which lets
    /// the WAL restart.
    func walHolds(pages: Int) -> Bool {
        let start = lock.withLock { () -> Bool in
            if pages < startedAt { startedAt = 0 }  // the WAL was restarted
            guard !closed, !running, pages - startedAt >= Self.pagesBeforeCheckpoint else { return false }
            running = true
            startedAt = pages
            return true
        }
        if start {
            thread.submit { [self] state in
                defer { lock.withLock { running = false } }
                guard case .active = state, let handle else { return }
                let status = sqlite_nio_sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                // BUSY only means another checkpoint was running (a `haven` command beside the server): a later commit tries again.
                if status != SQLITE_OK && status != SQLITE_BUSY {
                    logger.warning("SQLite checkpoint failed", metadata: ["code": "\(status)", "message": "\(String(cString: sqlite_nio_sqlite3_errmsg(handle)))"])
                }
                lock.withLock { completed += 1 }
            }
        }
        return pages >= Self.pagesBeforeWriterCheckpoint
    }

    /// Checkpoints run so far (tests look for them).
    var checkpoints: Int { lock.withLock { completed } }

    func close() async {
        lock.withLock { closed = true }
        try? await thread.runIfActive {
            sqlite_nio_sqlite3_close(self.handle)
            self.handle = nil
        }
        try? await thread.shutdownGracefully()
    }
}
