import Foundation
import HTTPTypes
import Hummingbird

/// Serves the few static files (CSS, small scripts) from the bundle, read once at start.
struct StaticFilesMiddleware: RouterMiddleware {
    typealias Context = HavenRequestContext
    private let files: [String: (data: ByteBuffer, type: String)]
    static let loneWorkingWorker = "/static/lone-offline.js"
    static let serviceWorkerAllowed = HTTPField.Name("Service-Worker-Allowed")!

    init() {
        var files: [String: (ByteBuffer, String)] = [:]
        if let folder = Bundle.module.url(forResource: "Static", withExtension: nil),
           let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for name in names {
                guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
                let type = switch (name as NSString).pathExtension {
                case "css": "text/css; charset=utf-8"
                case "js": "text/javascript; charset=utf-8"
                case "svg": "image/svg+xml"
                case "ico": "image/x-icon"
                default: "application/octet-stream"
                }
                files["/static/" + name] = (ByteBuffer(bytes: data), type)
            }
        }
        self.files = files
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head, request.uri.path.hasPrefix("/static/") else {
            return try await next(request, context)
        }
        guard let file = files[request.uri.path] else { throw PageError.notFound }
        var headers: HTTPFields = [.contentType: file.type, .cacheControl: "public, max-age=3600"]
        // The lone-working service worker lives with the other files but looks after the pages under /lone-working/.
        if request.uri.path == Self.loneWorkingWorker { headers[Self.serviceWorkerAllowed] = "/lone-working/" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.data))
    }
}
