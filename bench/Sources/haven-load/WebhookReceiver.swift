import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 server on 127.0.0.1 that answers 200 to every call and hands each Haven webhook's event name and
/// data to `onCall`, with the moment it arrived on the monotonic clock and the wall clock (to compare with due times
/// the server wrote, which are wall-clock times). Port 0 picks a free port.
enum WebhookReceiver {
    typealias OnCall = @Sendable (_ event: String, _ data: [String: String], _ arrived: ContinuousClock.Instant, _ wall: Date) -> Void

    static func start(port: Int = 0, _ onCall: @escaping OnCall) async throws -> Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(onCall: onCall))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let onCall: OnCall
        var body = ByteBuffer()

        init(onCall: @escaping OnCall) { self.onCall = onCall }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head: body.clear()
            case .body(var chunk): body.writeBuffer(&chunk)
            case .end:
                let arrived = ContinuousClock.now, wall = Date()
                if let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
                   let event = json["event"] as? String, let payload = json["data"] as? [String: String] {
                    onCall(event, payload, arrived, wall)
                }
                let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-length": "0"])
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
