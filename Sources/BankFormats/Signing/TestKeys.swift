public import PikouCrypto

/// The TEST keys Pikou ships (`Fixtures/keys/test-*`, installed under `share/pikou/test-keys/`) for
/// demos, tests and an installed copy's rehearsal. They are public: a workspace in production mode
/// refuses to sign with any of them (``SigningConfig/signingKey(bank:kind:)``), and `pikou doctor`
/// names one wherever it is configured.
public enum TestKeys {
    /// SHA-256 of each test key's DER public key (SubjectPublicKeyInfo); a test keeps this list and
    /// `Fixtures/keys` in step.
    public static let publicKeySHA256: Set<String> = [
        "d4ae1f9310f0a887bee99de1a3456411d3ab029eebbb8bc97ca5137643a99e8e",  // test-bank-rsa
        "5b9b0b590f4aa57bb05df929c1546514e20a5a06413352e8f80a540e28d0b5bf",  // test-bank-sm2
        "a9ee63e479484bae88ed2f04319feb5ac59f419154c66ab0deb2ac2159125f53",  // test-collector-rsa
        "dd2f2fedc16123d47f2a2b20362a248a436363db89d7086efc701e7062b8fc4b",  // test-collector-sm2
    ]

    /// Whether `key` is one of the shipped TEST keys.
    public static func isTestKey(_ key: PublicKey) -> Bool { publicKeySHA256.contains(key.sha256Hex) }
}
