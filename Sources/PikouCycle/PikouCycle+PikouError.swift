public import PikouCore

// How this module's typed errors read as a ``PikouError`` (the rest of PikouCycle throws
// ``PikouError`` itself).

extension ExchangeError: PikouErrorConvertible {
    public var pikouError: PikouError {
        let code: PikouError.Code = switch kind {
        case .hostKeyChanged: "exchange.hostKeyChanged"
        case .hostKeyUnknown: "exchange.hostKeyUnknown"
        case .authentication: "exchange.authentication"
        case .unreachable: "exchange.unreachable"
        case .transfer: "exchange.transfer"
        case .setup: "exchange.setup"
        }
        return PikouError(code, message)
    }
}

extension WorkspaceLock.Busy: PikouErrorConvertible {
    public var pikouError: PikouError { PikouError("workspace.busy", Catalogue.workspaceBusy(holder?.text)) }
}
