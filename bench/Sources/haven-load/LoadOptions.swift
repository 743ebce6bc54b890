import Foundation

struct LoadOptions {
    var url = ""
    var method = "GET"
    var body: String?
    var headers: [(String, String)] = []
    var rate = 1000.0
    var seconds = 10.0
    var warmup = 2.0
    var requests = 200
    var concurrency = 1
    var connections = 256
    var pid: Int32?
    /// lone-working: an administrator's and the worker's bearer tokens, and how many visits take check-ins.
    var token: String?
    var workerToken: String?
    var sessions = 500
    /// lone-working-due: the visits falling due, the receiver's fixed port, the server's start time and the wait for repeats.
    var dueList: String?
    /// lone-working: write the check-in visits' ids here and leave the check-ins to wrk (bench/checkin.lua).
    var checkinIds: String?
    var receiverPort: Int?
    var sinceFile: String?
    var quiet = 5.0

    static func parse(_ arguments: [String]) -> LoadOptions {
        var options = LoadOptions()
        var index = 0
        func value() -> String {
            index += 1
            guard index < arguments.count else { fail("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        func number(_ name: String, _ range: ClosedRange<Double>) -> Double {
            guard let n = Double(value()), range.contains(n) else { fail("\(name) takes a number from \(range.lowerBound) to \(range.upperBound)") }
            return n
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--url": options.url = value()
            case "--method": options.method = value().uppercased()
            case "--body-file":
                let path = value()
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(path)") }
                options.body = text
            case "--header":
                let header = value()
                guard let colon = header.firstIndex(of: ":") else { fail("--header takes 'Name: value'") }
                options.headers.append((String(header[..<colon]), header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            case "--rate": options.rate = number("--rate", 1...100_000)
            case "--seconds": options.seconds = number("--seconds", 0.1...600)
            case "--warmup": options.warmup = number("--warmup", 0...60)
            case "--requests": options.requests = Int(number("--requests", 1...1_000_000))
            case "--concurrency": options.concurrency = Int(number("--concurrency", 1...1024))
            case "--connections": options.connections = Int(number("--connections", 1...4096))
            case "--pid": options.pid = Int32(number("--pid", 1...4_194_304))
            case "--token": options.token = value()
            case "--worker-token": options.workerToken = value()
            case "--sessions": options.sessions = Int(number("--sessions", 1...100_000))
            case "--due-list": options.dueList = value()
            case "--checkin-ids": options.checkinIds = value()
            case "--receiver-port": options.receiverPort = Int(number("--receiver-port", 1...65_535))
            case "--since-file": options.sinceFile = value()
            case "--quiet": options.quiet = number("--quiet", 0...600)
            default: fail("unknown argument '\(arguments[index])'")
            }
            index += 1
        }
        guard options.url.hasPrefix("http://") else { fail("--url http://… is required") }
        return options
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("haven-load: \(message)\n".utf8))
    exit(2)
}

/// Percentiles of latencies in seconds, printed in milliseconds.
struct Percentiles {
    let sorted: [Double]
    init(_ values: [Double]) { sorted = values.sorted() }

    func ms(_ p: Double) -> String {
        guard !sorted.isEmpty else { return "nan" }
        let rank = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return String(format: "%.2f", sorted[rank] * 1000)
    }
}

extension ContinuousClock.Instant {
    func seconds(since earlier: ContinuousClock.Instant) -> Double {
        let d = self - earlier
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
