import Foundation

enum AccountRoute {
    case login(next: String?)
    case secondFactor
    case logout
    case account
    case password
    case twoFactor
    case tokens
    case revokeToken(id: String)
    case resetPassword(token: String)

    var path: String {
        switch self {
        case .login(let next):
            guard let next, next != "/", SignInController.isSafeNext(next) else { return "/login" }
            return "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        case .secondFactor: return "/login/second-factor"
        case .logout: return "/logout"
        case .account: return "/account"
        case .password: return "/account/password"
        case .twoFactor: return "/account/two-factor"
        case .tokens: return "/account/tokens"
        case .revokeToken(let id): return "/account/tokens/\(id)/revoke"
        case .resetPassword(let token): return "/reset-password/\(token)"
        }
    }
}
