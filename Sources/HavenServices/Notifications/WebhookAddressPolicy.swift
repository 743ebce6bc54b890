import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Refuses webhook URLs that point into the server's own network (server-side request forgery), unless the
/// installation allows it (a single-host installation, the tests). Checked when an endpoint is created and
/// again before every call, since a name can be made to resolve elsewhere later.
public struct WebhookAddressPolicy: Sendable {
    public let allowPrivate: Bool

    public init(allowPrivate: Bool) { self.allowPrivate = allowPrivate }

    /// A reason to refuse the URL, or nil when it may be called.
    public func problem(with text: String) async -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            return "Enter a full http:// or https:// URL"
        }
        if allowPrivate { return nil }
        let addresses = await Self.resolve(host)
        if addresses.isEmpty { return "The host \(host) cannot be found" }
        if let blocked = addresses.first(where: Self.isPrivate) {
            return "The URL points to a private or loopback address (\(blocked)); webhooks may only call public addresses"
        }
        return nil
    }

    static func resolve(_ host: String) async -> [String] {
        let name = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var result: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else {
                    continuation.resume(returning: [])
                    return
                }
                defer { freeaddrinfo(first) }
                var addresses: [String] = []
                var cursor: UnsafeMutablePointer<addrinfo>? = first
                while let info = cursor {
                    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                        addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                    }
                    cursor = info.pointee.ai_next
                }
                continuation.resume(returning: addresses)
            }
        }
    }

    /// Loopback, private, link-local, carrier-grade NAT, unique-local and unspecified addresses.
    static func isPrivate(_ address: String) -> Bool {
        let lower = address.lowercased()
        if lower.contains(":") {
            return lower == "::1" || lower == "::" || lower.hasPrefix("fe80") || lower.hasPrefix("fc") || lower.hasPrefix("fd")
                || (lower.hasPrefix("::ffff:") && isPrivate(String(lower.dropFirst(7))))
        }
        let octets = lower.split(separator: ".").compactMap { Int($0) }
        guard octets.count == 4 else { return true }
        switch (octets[0], octets[1]) {
        case (0, _), (10, _), (127, _): return true
        case (169, 254), (192, 168): return true
        case (172, 16...31): return true
        case (100, 64...127): return true
        default: return false
        }
    }
}
