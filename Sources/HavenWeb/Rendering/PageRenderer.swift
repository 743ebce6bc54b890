import Foundation
import Hummingbird
import Mustache

/// Loads every template once at start (a broken template stops the server before it listens) and renders
/// pages inside the layout.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func load() throws -> PageRenderer {
        MustacheContentTypes.register(ScalarSafeHTML(), named: ScalarSafeHTML.name)
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw LoadError(description: "The Templates folder is missing from the HavenWeb bundle")
        }
        var library = MustacheLibrary()
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "mustache" } ?? []
        for file in files {
            let name = file.path.dropFirst(folder.path.count + 1).dropLast(".mustache".count)
            let source = try String(contentsOf: file, encoding: .utf8)
            do {
                try library.register("{{% CONTENT_TYPE: \(ScalarSafeHTML.name)}}" + source, named: String(name))
            } catch {
                throw LoadError(description: "Template \(name) does not parse: \(error)")
            }
        }
        guard library.getTemplate(named: "layout") != nil else { throw LoadError(description: "The layout template is missing") }
        return PageRenderer(library: library)
    }

    /// Renders a page template with its view model inside the layout.
    func render(_ template: String, _ page: some Sendable, layout: Layout, status: HTTPResponse.Status = .ok) -> Response {
        guard let content = library.render(page, withTemplate: template) else {
            preconditionFailure("Unknown template \(template)")
        }
        var layout = layout
        layout.content = content
        let html = library.render(layout, withTemplate: "layout") ?? content
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
