import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One TCP (or TLS) connection to an SMTP server: send a line, await the reply, each within a
/// timeout. The pipeline is `[NIOSSLClientHandler] → ByteToMessageHandler(SMTPReplyDecoder) →
/// SMTPReplyHandler`; every pipeline access runs on the channel's event loop.
struct SMTPConnection: Sendable {
    let channel: any Channel
    let timeout: TimeAmount
    let logger: Logger

    /// Connects within `timeout`, with TLS from the first byte when `tls` is given.
    static func connect(
        host: String, port: Int, timeout: TimeAmount, tls: (context: NIOSSLContext, serverHostname: String?)?, logger: Logger
    ) async throws -> SMTPConnection {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tls {
                        try operations.addHandler(NIOSSLClientHandler(context: tls.context, serverHostname: tls.serverHostname))
                    }
                    try operations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    try operations.addHandler(SMTPReplyHandler())
                }
            }
        let channel = try await bootstrap.connect(host: host, port: port).get()
        return SMTPConnection(channel: channel, timeout: timeout, logger: logger)
    }

    /// The next reply (the greeting, or one more reply to the last command).
    func reply() async throws -> SMTPReply {
        try await exchange(nil, logAs: nil)
    }

    /// Sends one command line (CRLF added) and awaits its reply. `logAs` replaces the line in
    /// the debug log (AUTH payloads).
    func command(_ line: String, logAs: String? = nil) async throws -> SMTPReply {
        try await exchange(Array((line + "\r\n").utf8), logAs: logAs ?? line)
    }

    /// Sends the DATA content (already dot-stuffed and terminated) and awaits the reply; the
    /// content is never logged.
    func data(_ bytes: [UInt8]) async throws -> SMTPReply {
        try await exchange(bytes, logAs: "<message content, \(bytes.count) bytes>")
    }

    /// Puts TLS under the conversation (after the server's 220 to STARTTLS), then sends
    /// `line` through it and awaits its reply; the reply comes only once the handshake and
    /// certificate checks passed.
    func startTLS(context: NIOSSLContext, serverHostname: String?, then line: String) async throws -> SMTPReply {
        logger.debug("SMTP client sent", metadata: ["smtp.command": "\(line)", "smtp.tls": "starting"])
        let channel = self.channel
        let timeout = self.timeout
        let bytes = Array((line + "\r\n").utf8)
        let reply = try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<SMTPReply> in
            do {
                let operations = channel.pipeline.syncOperations
                let handler = try operations.handler(type: SMTPReplyHandler.self)
                try operations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverHostname), position: .first)
                let future = handler.nextReply(on: channel.eventLoop, timeout: timeout)
                channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
                return future
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }.get()
        logger.debug("SMTP server replied", metadata: ["smtp.reply": "\(reply)"])
        return reply
    }

    private func exchange(_ bytes: [UInt8]?, logAs: String?) async throws -> SMTPReply {
        if let logAs { logger.debug("SMTP client sent", metadata: ["smtp.command": "\(logAs)"]) }
        let channel = self.channel
        let timeout = self.timeout
        let reply = try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<SMTPReply> in
            let handler: SMTPReplyHandler
            do {
                handler = try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self)
            } catch {
                return channel.eventLoop.makeFailedFuture(SMTPReplyHandler.Closed())
            }
            // Wait first, then write: a reply can never slip past.
            let future = handler.nextReply(on: channel.eventLoop, timeout: timeout)
            if let bytes { channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil) }
            return future
        }.get()
        logger.debug("SMTP server replied", metadata: ["smtp.reply": "\(reply)"])
        return reply
    }

    /// Closes the connection (no QUIT).
    func close() async {
        try? await channel.close()
    }
}
