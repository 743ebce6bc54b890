import Foundation

/// A photo or document added to an incident report (REFERENCE §15 A 3). The type is decided by the file's first
/// bytes, never by its name or the type the browser claims, so a renamed program is refused.
public struct Attachment: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        case jpeg = "image/jpeg"
        case png = "image/png"
        case heic = "image/heic"
        case pdf = "application/pdf"

        /// The kind the bytes are, or nil when they are none of the accepted kinds.
        public static func of(_ bytes: some Collection<UInt8>) -> Kind? {
            let head = Array(bytes.prefix(12))
            if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
            if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
            if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
            // ISO base media: "ftyp" at offset 4, then a HEIF brand.
            if head.count == 12, Array(head[4..<8]) == Array("ftyp".utf8),
               ["heic", "heix", "mif1", "msf1"].contains(String(decoding: head[8..<12], as: UTF8.self)) { return .heic }
            return nil
        }
    }

    public var id: String
    public var incidentId: String
    public var name: String
    public var kind: Kind
    public var size: Int
    public var sha256: String
    public var uploadedBy: String?
    public var createdAt: Date

    public init(id: String, incidentId: String, name: String, kind: Kind, size: Int, sha256: String, uploadedBy: String?, createdAt: Date) {
        self.id = id
        self.incidentId = incidentId
        self.name = name
        self.kind = kind
        self.size = size
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
        self.createdAt = createdAt
    }

    /// A phone photo fits; a video does not.
    public static let maximumSize = 10 * 1024 * 1024
    public static let maximumPerIncident = 20

    /// The checks on an upload, with the problem in words for the form or the API.
    public static func problem(size: Int, kind: Kind?) -> String? {
        if size == 0 { return "The file is empty" }
        if size > maximumSize { return "The file is larger than 10 MB" }
        if kind == nil { return "Only photos (JPEG, PNG, HEIC) and PDF documents can be attached" }
        return nil
    }

    /// A file name safe to show and to send back: no path, no control characters, at most 100 characters.
    public static func cleanName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { !$0.properties.generalCategory.isControl && $0 != "\"" }.map(Character.init))
        let trimmed = cleaned.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "attachment" : String(trimmed.prefix(100))
    }
}

extension Unicode.GeneralCategory {
    var isControl: Bool { self == .control || self == .format || self == .lineSeparator || self == .paragraphSeparator }
}
