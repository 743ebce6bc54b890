import Foundation
import HavenCore
import HavenData
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The outermost middleware: turns every error into a clear answer (JSON under /api, a friendly page
/// elsewhere), never a stack trace, and puts the security headers on every response.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = HavenRequestContext
    let renderer: PageRenderer
    let isHTTPS: Bool

    /// A NUL in the address, as it is or escaped as %00: a scan of the bytes, since it runs on every request.
    static func holdsNUL(_ address: String) -> Bool {
        var previous: (UInt8, UInt8) = (0xFF, 0xFF)
        for byte in address.utf8 {
            if byte == 0 || (previous == (UInt8(ascii: "%"), UInt8(ascii: "0")) && byte == UInt8(ascii: "0")) { return true }
            previous = (previous.1, byte)
        }
        return false
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let isAPI = request.uri.path.hasPrefix("/api/")
        var response: Response
        do {
            // PostgreSQL cannot store a NUL character in text, and no real address or answer holds one.
            if Self.holdsNUL(request.uri.description) {
                throw PageError.badRequest("The address contains a NUL character")
            }
            response = try await next(request, context)
        } catch {
            response = isAPI ? apiResponse(for: error, context: context) : pageResponse(for: error, request: request, context: context)
        }
        addSecurityHeaders(&response.headers, requestId: context.id)
        return response
    }

    func apiResponse(for error: any Error, context: Context) -> Response {
        switch error {
        case let error as APIError: return error.response()
        case let error as FieldErrors: return APIError.validation(error).response()
        case is NotFound, PageError.notFound: return APIError.notFound().response()
        case PageError.forbidden: return APIError.forbidden.response()
        case PageError.badRequest(let message): return APIError(.badRequest, code: "bad_request", message: message).response()
        case let error as CaseConflict: return APIError(.conflict, code: "conflict", message: error.message).response()
        case is FormInput.Unreadable: return APIError(.badRequest, code: "bad_request", message: "The form data cannot be read").response()
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, code: "body_too_large", message: "The request body is larger than 1 MB").response()
        case let error as HTTPError where error.status.code < 500:
            return APIError(error.status, code: Self.code(for: error.status), message: Self.message(for: error)).response()
        default:
            context.logger.error("Unexpected error: \(String(reflecting: error))")
            return APIError(.internalServerError, code: "internal_error",
                            message: "Something went wrong on our side; the request id is \(context.id)").response()
        }
    }

    func pageResponse(for error: any Error, request: Request, context: Context) -> Response {
        let (status, title, message): (HTTPResponse.Status, String, String)
        switch error {
        case PageError.forbidden:
            (status, title, message) = (.forbidden, "You cannot use this page", "Your role does not include this part of Haven. If you need it, ask your administrator.")
        case PageError.notFound, is NotFound:
            (status, title, message) = (.notFound, "Page not found", "If you typed the address, check it is correct. If you followed a link, the record may have been removed, or you may not have access to it.")
        case PageError.badRequest(let text):
            (status, title, message) = (.badRequest, "Something is wrong with the request", text)
        case let error as CaseConflict:
            (status, title, message) = (.conflict, "That change cannot be made now", error.message + " Go back, reload the page and try again.")
        case is FormInput.Unreadable:
            (status, title, message) = (.badRequest, "Something is wrong with the request", "The form data could not be read. Go back and try again.")
        case let error as HTTPError where error.status == .forbidden:
            (status, title, message) = (.forbidden, "The form has expired", "For your security the form could not be accepted. Go back, reload the page and try again.")
        case is NIOTooManyBytesError:
            (status, title, message) = (.contentTooLarge, "That was too much to send", "The form is larger than 1 MB. Shorten it and try again.")
        case let error as HTTPError where error.status == .contentTooLarge:
            (status, title, message) = (.contentTooLarge, "That was too much to send", "The form is larger than 1 MB. Shorten it and try again.")
        case let error as HTTPError where error.status.code < 500:
            (status, title, message) = (error.status, error.status.reasonPhrase, Self.message(for: error))
        case let error as APIError:
            (status, title, message) = (error.status, error.status.reasonPhrase, error.message)
        default:
            context.logger.error("Unexpected error: \(String(reflecting: error))")
            (status, title, message) = (.internalServerError, "Sorry, there is a problem with Haven",
                                        "Nothing you saved before this page has been lost. Try again later. If it keeps happening, tell your administrator the reference \(context.id).")
        }
        let page = ErrorPage(title: title, message: message, status: Int(status.code), signedIn: context.identity != nil)
        let layout = Layout(title: title, identity: context.identity, path: request.uri.path, csrfToken: context.csrfToken)
        return renderer.render("error", page, layout: layout, status: status)
    }

    func addSecurityHeaders(_ headers: inout HTTPFields, requestId: String) {
        headers[.contentSecurityPolicy] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=(self)"
        headers[HTTPField.Name("X-Request-Id")!] = requestId
        if isHTTPS { headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthenticated"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "body_too_large"
        case 415: "unsupported_media_type"
        case 429: "too_many_requests"
        default: "error"
        }
    }

    static func message(for error: HTTPError) -> String {
        if error.status == .contentTooLarge { return "The request body is larger than 1 MB" }
        return error.body ?? error.status.reasonPhrase
    }
}

struct ErrorPage: Sendable {
    var title: String
    var message: String
    var status: Int
    var signedIn: Bool
}
