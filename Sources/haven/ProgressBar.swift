import Foundation

/// Progress on standard error: at a terminal one line redrawn in place with \r; otherwise (a log, a pipe) a plain
/// line every tenth of the way, so logs stay readable.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let started = Date()
    private let lock = NSLock()
    private var lastTenth = 0
    private var lastDraw = Date.distantPast

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
    }

    func update(_ done: Int) {
        lock.withLock {
            if isTerminal {
                let now = Date()
                // Redrawing more than ten times a second costs time and shows nothing more.
                guard done >= total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
                lastDraw = now
                write("\r" + line(done, bar: true))
            } else {
                let tenth = done * 10 / total
                guard tenth > lastTenth else { return }
                lastTenth = tenth
                write(line(done, bar: false) + "\n")
            }
        }
    }

    func finish() {
        if isTerminal { lock.withLock { write("\n") } }
    }

    private func line(_ done: Int, bar: Bool) -> String {
        let fraction = Double(done) / Double(total)
        let seconds = Date().timeIntervalSince(started)
        let rate = seconds > 0 ? Int(Double(done) / seconds) : 0
        let text = "\(done)/\(total) \(label) (\(Int(fraction * 100))%, \(rate)/s, \(String(format: "%.0f", seconds)) s)"
        guard bar else { return text }
        let width = 30
        let filled = Int(fraction * Double(width))
        return "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] " + text
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
