import Foundation
import Hummingbird

/// Builds the endpoint's answers: plain text for health, JSON documents for the API.
enum APIResponse {
    /// A `text/plain` answer.
    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8")
        -> Response
    {
        Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A JSON document (see ``APIDocument``).
    static func json(_ document: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try APIDocument.encode(document)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON error answer (`{"schema", "error": {"code", "message", "file", "line"}}`).
    static func failure(
        _ status: HTTPResponse.Status, code: String, _ message: String, file: String? = nil, line: Int? = nil,
        headers: HTTPFields = [:]
    ) -> Response {
        let document = APIDocument.Failure(code: code, message: message, file: file, line: line)
        let data =
            (try? APIDocument.encode(document))
            ?? Data("{\"error\":{\"code\":\"\(code)\"},\"schema\":\"\(APIDocument.schema)\"}\n".utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The 404 answer for a device that is not in the inventory.
    static func unknownDevice(_ name: String) -> Response {
        failure(
            .notFound, code: "unknown_device",
            "device \(name.debugDescription) is not in the watcher's inventory; GET /api/v1/devices lists the devices it knows"
        )
    }
}
