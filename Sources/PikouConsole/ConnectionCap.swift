import NIOConcurrencyHelpers
import NIOCore

/// No more than `limit` connections at once (issue 37): one more is closed as soon as it is set up,
/// before a byte of it is read, so that a flood of connections cannot take every file descriptor
/// of the process or the memory of their requests. Counted by each connection's own handler:
/// added to its pipeline, it takes a place; removed (the connection closed), it gives it back.
final class ConnectionCap: Sendable {
    let limit: Int
    private let open = NIOLockedValueBox(0)

    init(limit: Int) { self.limit = limit }

    /// A place for one more connection; false when every place is taken.
    func take() -> Bool {
        open.withLockedValue { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func giveBack() { open.withLockedValue { $0 -= 1 } }

    /// The handler each connection's pipeline gets.
    func handler() -> Handler { Handler(cap: self) }

    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        // Passes every request part on as it is (the default channelRead).
        typealias InboundIn = NIOAny
        typealias InboundOut = NIOAny
        private let cap: ConnectionCap
        private var counted = false

        init(cap: ConnectionCap) { self.cap = cap }

        func handlerAdded(context: ChannelHandlerContext) {
            counted = cap.take()
            if !counted { context.close(promise: nil) }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            if counted { cap.giveBack() }
            counted = false
        }
    }
}
