public import PikouCore

extension StoreError: PikouErrorConvertible {
    public var pikouError: PikouError {
        switch self {
        case .conflict: PikouError("store.conflict", description)
        case .unavailable: PikouError("store.unavailable", description)
        case .notFound: PikouError("store.notFound", description)
        case .batchNumbersExhausted: PikouError("store.batchNumbers", description)
        case .busy: PikouError("store.busy", description)
        }
    }
}
