public import PikouCore

/// An `AsyncSequence` read a page at a time: each page is one short read (one transaction on a
/// server database), and the next page is asked for only when the consumer has taken the last
/// element of this one — memory is bounded by a page, and a slow consumer slows the reads down.
public struct PagedSequence<Element: Sendable>: AsyncSequence, Sendable {
    /// Returns the next page, or nil after the last one. An empty page is allowed (a gap in the keys).
    public typealias Pager = @Sendable () async throws -> [Element]?

    private let makePager: @Sendable () -> Pager

    /// A sequence whose each iteration starts a fresh pager from `makePager`.
    public init(_ makePager: @escaping @Sendable () -> Pager) { self.makePager = makePager }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pager: makePager()) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let pager: Pager
        var page: [Element] = []
        var index = 0
        var finished = false

        public mutating func next() async throws -> Element? {
            while index == page.count {
                guard !finished, let next = try await pager() else {
                    finished = true
                    page = []
                    index = 0
                    return nil
                }
                page = next
                index = 0
            }
            defer { index += 1 }
            return page[index]
        }
    }
}

/// Due candidates, a page of payers at a time (see ``ReconStore/dueCandidates(from:through:bank:)``).
public typealias DueCandidates = PagedSequence<DueCandidate>
