import PikouCore

/// Figures the pages read from the store, kept while the ledger stays as it was.
///
/// Every change to the ledger appends to the journal, so the journal's last ledger entry is the
/// ledger's version (``UseCases/ledgerVersion()``): a page asks for its figures with the version it
/// just read (one indexed row), and gets them from here while nothing was written since; the first request after a change computes them once, and
/// requests arriving meanwhile wait for that one computation instead of starting their own.
actor ViewCache {
    private var stamp: Int64 = -1
    private var values: [String: any Sendable] = [:]
    private var running: [String: Task<any Sendable, any Error>] = [:]
    /// Enough for every page's figures of a few periods and filters; beyond it the oldest go.
    private let capacity: Int
    private var order: [String] = []

    init(capacity: Int = 256) { self.capacity = capacity }

    /// The value under `key` for the ledger at `stamp`, computed by `compute` when missing.
    func value<T: Sendable>(_ key: String, stamp: Int64, _ compute: @escaping @Sendable () async throws -> T) async throws -> T {
        if stamp != self.stamp {
            // The ledger changed: everything kept is stale. Computations under way finish for their
            // own callers but are not kept.
            self.stamp = stamp
            values.removeAll()
            running.removeAll()
            order.removeAll()
        }
        // Unwrapped first: a missing key cast to an optional T would read as a kept nil.
        if let stored = values[key], let value = stored as? T { return value }
        let task: Task<any Sendable, any Error>
        if let current = running[key] {
            task = current
        } else {
            task = Task { try await compute() }
            running[key] = task
        }
        let value: any Sendable
        do { value = try await task.value } catch {
            // A failure is not kept: the next request tries again.
            if running[key] == task { running[key] = nil }
            throw error
        }
        guard let typed = value as? T else { throw CacheTypeMismatch(key: key) }
        if self.stamp == stamp, running[key] == task {
            running[key] = nil
            values[key] = typed
            order.append(key)
            if order.count > capacity { values[order.removeFirst()] = nil }
        }
        return typed
    }

    struct CacheTypeMismatch: Error, CustomStringConvertible {
        var key: String
        var description: String { "the console's cache holds another kind of value under '\(key)'" }
    }
}
