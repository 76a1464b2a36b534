public import PikouCore
import ReconStore

/// Decides what an operator's agreement correction changes: which agreement it is about, whether
/// it is an update, a revocation or a move to another bank, and what the journal says. A pure
/// function of the payer's agreements as they stand; the store applies the decision, checking
/// every agreement is still at the version it was decided on.
public enum AgreementRules {
    /// A correction that cannot be made as asked; nothing was changed.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// The write for `change` on `payer`'s agreements.
    ///
    /// - Throws: ``Refusal`` when the payer has no such agreement, or several and no bank was named.
    public static func decide(_ change: AgreementChange, payer: PayerAgreements) throws(Refusal) -> AgreementWrite {
        let masked = change.idNumber.masked
        let current: AgreementSnapshot
        if let bank = change.bank {
            guard let agreement = payer.agreements.first(where: { $0.bank == bank }) else {
                throw Refusal("payer \(masked) has no agreement with \(bank)")
            }
            current = agreement
        } else {
            let active = payer.agreements.filter(\.active)
            guard active.count <= 1, let agreement = active.first ?? payer.agreements.first else {
                throw Refusal(payer.agreements.isEmpty ? "payer \(masked) has no agreement"
                    : "payer \(masked) has agreements with several banks: give --bank")
            }
            current = agreement
        }
        let account = change.account ?? current.account
        let accountName = change.accountName ?? current.accountName
        if let newBank = change.newBank, newBank != current.bank {
            return AgreementWrite(
                payerID: payer.payerID,
                action: .move(fromAgreementID: current.id, fromVersion: current.version, fromBank: current.bank, toBank: newBank,
                              existing: payer.agreements.first { $0.bank == newBank }, account: account, accountName: accountName,
                              agreementNo: current.agreementNo),
                journalAction: "agreement.move", journalSubject: masked,
                journalDetail: "from \(current.bank) to \(newBank), account \(account.masked)")
        }
        if change.revoke {
            return AgreementWrite(
                payerID: payer.payerID, action: .revoke(agreementID: current.id, version: current.version),
                journalAction: "agreement.revoke", journalSubject: masked, journalDetail: "\(current.bank) agreement revoked")
        }
        return AgreementWrite(
            payerID: payer.payerID,
            action: .update(agreementID: current.id, version: current.version, account: account, accountName: accountName),
            journalAction: "agreement.update", journalSubject: masked,
            journalDetail: "\(current.bank): account \(account.masked), name \(Masking.name(accountName))")
    }
}
