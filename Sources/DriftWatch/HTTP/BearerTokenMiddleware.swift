import Baselines
import Foundation
import Hummingbird

/// Guards the `/api/v1` routes: without a configured token they answer 404 (the API is off);
/// with one, a request must carry `Authorization: Bearer <token>`, or it gets 401 with
/// `WWW-Authenticate: Bearer`.
///
/// The presented token is hashed and the SHA-256 digests are compared in constant time, so the
/// time of a refusal tells nothing about how much of a guess was right. Neither token is logged.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The lowercase hex SHA-256 of the configured token; nil when the API is off.
    let tokenDigest: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard let tokenDigest else {
            return APIResponse.failure(
                .notFound, code: "api_off",
                "the read-only API is off because no token is configured; set http.token_file (a file with mode 600 holding the token) or http.token_env (an environment variable holding it) in driftwatch.yaml and restart the watcher. /healthz, /readyz and /metrics stay on"
            )
        }
        guard let header = request.headers[.authorization] else {
            return Self.unauthorized("the request has no Authorization header; send 'Authorization: Bearer <token>'")
        }
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else {
            return Self.unauthorized("the Authorization header is not a bearer token; send 'Authorization: Bearer <token>'")
        }
        let presented = header.dropFirst(scheme.count).trimmingCharacters(in: .whitespaces)
        guard Self.constantTimeEqual(SHA256Hex.of(presented), tokenDigest) else {
            return Self.unauthorized("the bearer token is not the one configured in http.token_file or http.token_env")
        }
        return try await next(request, context)
    }

    private static func unauthorized(_ message: String) -> Response {
        APIResponse.failure(
            .unauthorized, code: "unauthorized", message,
            headers: [.wwwAuthenticate: "Bearer realm=\"driftwatch\""])
    }

    /// Compares two digests of equal length without stopping at the first difference.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
