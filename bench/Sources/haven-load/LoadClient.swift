import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// AsyncHTTPClient with a connection pool wide enough that the client never queues a due request behind a busy
/// connection: at 1,000/s and a few ms per reply only tens are open at once.
struct LoadClient {
    let http: HTTPClient

    init(connections: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.decompression = .disabled
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration,
                          backgroundActivityLogger: Logger(label: "haven-load"))
    }

    func request(_ options: LoadOptions) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: options.url)
        request.method = .init(rawValue: options.method)
        for (name, value) in options.headers { request.headers.add(name: name, value: value) }
        if let body = options.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        return request
    }

    /// Sends and reads the whole body; returns the status code and the body's size.
    func send(_ request: HTTPClientRequest) async throws -> (status: Int, bytes: Int) {
        let response = try await http.execute(request, timeout: .seconds(30))
        var bytes = 0
        for try await chunk in response.body { bytes += chunk.readableBytes }
        return (Int(response.status.code), bytes)
    }

    func shutdown() async { try? await http.shutdown() }
}
