// haven-load: HTTP measurements for the incident benchmarks (bench/README.md, part (v)).
//
//   haven-load open-loop --url URL --rate R --seconds S [--method POST] [--body-file F] [--header 'K: V']...
//       Sends R requests a second on a fixed schedule whatever the server does, and measures each from the time it
//       was due, not from when it was sent, so a slow server cannot hide its queue (no coordinated omission).
//   haven-load latency --url URL --requests N [--concurrency C] [--header 'K: V']...
//       N GETs, C at a time (closed loop): p50, p95, p99 and max.
//   haven-load export --url URL [--pid PID] [--header 'K: V']...
//       Streams one export, counting rows, and samples VmRSS of the server PID from /proc every 10 ms.
//   haven-load lone-working --url BASE --token ADMIN --worker-token STAFF [--requests N] [--sessions N] [--concurrency C] [--seconds S]
//                           [--checkin-ids FILE]
//       Panic-to-webhook latency through a receiver in this process, then check-ins a second (LoneWorkingRun.swift);
//       with --checkin-ids, the check-in visits are only started and listed in FILE, for wrk (bench/checkin.lua).
//   haven-load lone-working-due --url BASE --due-list FILE --receiver-port P [--token ADMIN] [--since-file F] [--seconds S] [--quiet S]
//       Visits falling due: each one's first escalation at a receiver in this process, from its due time; repeats
//       counted; with --since-file, the last escalation after the server's start (LoneWorkingDueRun.swift).
//
// Every mode prints human lines and ends with one `RESULT key=value ...` line for bench/run to read.

import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first else { fail("usage: haven-load open-loop|latency|export|lone-working|lone-working-due --url URL ... (see the top of main.swift)") }
let options = LoadOptions.parse(Array(arguments.dropFirst()))
let client = LoadClient(connections: options.connections)
do {
    switch mode {
    case "open-loop": try await OpenLoop(options: options, client: client).run()
    case "latency": try await LatencyRun(options: options, client: client).run()
    case "export": try await ExportRun(options: options, client: client).run()
    case "lone-working": try await LoneWorkingRun(options: options, client: client).run()
    case "lone-working-due": try await LoneWorkingDueRun(options: options, client: client).run()
    default: fail("unknown mode '\(mode)': open-loop, latency, export, lone-working or lone-working-due")
    }
} catch {
    await client.shutdown()
    fail("\(error)")
}
await client.shutdown()
