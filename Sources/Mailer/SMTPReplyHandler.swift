import NIOCore

/// The end of the client pipeline: hands each decoded ``SMTPReply`` to the one waiting request,
/// or keeps it until a request comes, and fails the waiting request on a timeout, an error or a
/// closed connection. Used on its channel's event loop only (through ``SMTPConnection``).
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPReply

    /// No reply within the step's timeout; the connection is closed.
    struct TimedOut: Error {}
    /// The server closed the connection.
    struct Closed: Error {}

    private var buffered: [SMTPReply] = []
    private var waiting: (promise: EventLoopPromise<SMTPReply>, timer: Scheduled<Void>)?
    private var failure: (any Error)?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) {
        fail(Closed())
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        if let waiting {
            self.waiting = nil
            waiting.timer.cancel()
            waiting.promise.succeed(reply)
        } else {
            buffered.append(reply)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(Closed())
        context.fireChannelInactive()
    }

    /// The next reply: one already received, or the next to arrive within `timeout`.
    func nextReply(on eventLoop: any EventLoop, timeout: TimeAmount) -> EventLoopFuture<SMTPReply> {
        guard context != nil else { return eventLoop.makeFailedFuture(failure ?? Closed()) }
        if !buffered.isEmpty { return eventLoop.makeSucceededFuture(buffered.removeFirst()) }
        if let failure { return eventLoop.makeFailedFuture(failure) }
        if let waiting { return waiting.promise.futureResult }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let timer = eventLoop.scheduleTask(in: timeout) {
            bound.value.timedOut()
        }
        waiting = (promise, timer)
        return promise.futureResult
    }

    private func timedOut() {
        fail(TimedOut())
        context?.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        if failure == nil { failure = error }
        if let waiting {
            self.waiting = nil
            waiting.timer.cancel()
            waiting.promise.fail(failure ?? error)
        }
    }
}
