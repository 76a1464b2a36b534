public import PikouCore

/// A bank's result codes (and, where a bank has them, result texts) mapped to outcomes.
public struct OutcomeTable: Sendable, Hashable {
    /// Code → outcome; the code as it stands in the field, padding trimmed.
    public var codes: [String: Outcome]
    /// Text → outcome, consulted when the code is not in ``codes``.
    public var texts: [String: Outcome]
    /// The code a bank puts beside the texts of ``texts`` (e.g. `F` for every failure), if it has one.
    public var textResultCode: String?

    public init(codes: [String: Outcome], texts: [String: Outcome] = [:], textResultCode: String? = nil) {
        self.codes = codes
        self.texts = texts
        self.textResultCode = textResultCode
    }

    /// A code and text that map to `outcome`, as a bank would write them (the bank simulator's choice):
    /// the smallest code mapping to it, else a text mapping to it beside ``textResultCode``.
    public func representation(of outcome: Outcome) -> (code: String, text: String)? {
        if let code = codes.filter({ $0.value == outcome }).keys.min() { return (code, outcome.label) }
        if let text = texts.filter({ $0.value == outcome }).keys.min() { return (textResultCode ?? "", text) }
        return nil
    }

    /// The outcome of a code and text, or `nil` if neither is mapped.
    public func outcome(code: String, text: String?) -> Outcome? {
        if let outcome = codes[code] { return outcome }
        if let text, let outcome = texts[text] { return outcome }
        return nil
    }
}
