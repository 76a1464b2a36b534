public import PikouCore

extension StoreError: PikouErrorConvertible {
    public var pikouError: PikouError {
        switch self {
        case .conflict: PikouError("store.conflict", message)
        case .unavailable: PikouError("store.unavailable", message)
        case .notFound: PikouError("store.notFound", message)
        case .batchNumbersExhausted: PikouError("store.batchNumbers", message)
        case .busy: PikouError("store.busy", message)
        }
    }
}
