import Foundation
import Hummingbird

/// A multipart/form-data body (RFC 7578), as a browser sends a form with a file: text fields and files by name.
struct MultipartForm: Sendable {
    struct File: Sendable {
        var filename: String
        var bytes: [UInt8]
    }

    private(set) var fields: [String: String] = [:]
    private(set) var files: [String: File] = [:]

    /// The body limit for forms with files: an attachment's maximum and room for the other fields.
    static let maximumBody = 10 * 1024 * 1024 + 64 * 1024

    static func boundary(of contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0].lowercased() == "boundary" {
                let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.count > 200 ? nil : value
            }
        }
        return nil
    }

    /// Reads the parts; throws FormInput.Unreadable (400) for a body that is not well formed.
    init(body: ByteBuffer, boundary: String) throws {
        let bytes = Array(body.readableBytesView)
        let delimiter = Array("--\(boundary)".utf8)
        var position = try Self.find(delimiter, in: bytes, from: 0) + delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if bytes.count >= position + 2, bytes[position] == 0x2D, bytes[position + 1] == 0x2D { return }
            guard bytes.count >= position + 2, bytes[position] == 0x0D, bytes[position + 1] == 0x0A else { throw FormInput.Unreadable() }
            position += 2
            let headerEnd = try Self.find(Array("\r\n\r\n".utf8), in: bytes, from: position)
            let headers = String(decoding: bytes[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            let next = try Self.find(Array("\r\n".utf8) + delimiter, in: bytes, from: contentStart)
            let content = Array(bytes[contentStart..<next])
            let (name, filename) = Self.disposition(headers)
            guard let name else { throw FormInput.Unreadable() }
            if let filename {
                if !content.isEmpty || !filename.isEmpty { files[name] = File(filename: filename, bytes: content) }
            } else {
                guard let text = String(validating: content, as: UTF8.self), !text.unicodeScalars.contains("\0") else { throw FormInput.Unreadable() }
                fields[name] = text
            }
            position = next + 2 + delimiter.count
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) throws -> Int {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { throw FormInput.Unreadable() }
        let first = needle[0]
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == first && haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        throw FormInput.Unreadable()
    }

    /// The name and file name from a part's Content-Disposition header.
    static func disposition(_ headers: String) -> (name: String?, filename: String?) {
        guard let line = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }) else { return (nil, nil) }
        var name: String?, filename: String?
        for item in line.split(separator: ";").dropFirst() {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            let value = parts[1].hasPrefix("\"") && parts[1].hasSuffix("\"") && parts[1].count >= 2 ? String(parts[1].dropFirst().dropLast()) : parts[1]
            switch parts[0].lowercased() {
            case "name": name = value
            case "filename": filename = value
            default: break
            }
        }
        return (name, filename)
    }
}
