public import PikouCore
import ReconStore

/// Decides what an operator's agreement correction changes: which agreement it is about, whether
/// it is an update, a revocation or a move to another bank, and what the journal says. A pure
/// function of the payer's agreements as they stand; the store applies the decision, checking
/// every agreement is still at the version it was decided on.
public enum AgreementRules {

    /// The longest account name a correction may give (a bank's name field is narrower still).
    public static let maximumAccountName = 40

    /// The write for `change` on `payer`'s agreements; `enabledBanks`: the banks a payer may be moved to.
    ///
    /// - Throws: ``PikouError`` when the payer has no such agreement, or several and no bank was named;
    ///   for an account name that is empty, longer than ``maximumAccountName`` or holds a control
    ///   character; for a move to a bank that does not take part.
    public static func decide(_ change: AgreementChange, payer: PayerAgreements, enabledBanks: Set<String>) throws(PikouError) -> AgreementWrite {
        let masked = change.idNumber.masked
        if let name = change.accountName {
            guard !name.isEmpty, name.count <= maximumAccountName, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw PikouError("agreement.refused", Message(
                    zh: "户名为空、超过 \(maximumAccountName) 个字符或含有控制字符",
                    en: "the account name is empty, longer than \(maximumAccountName) characters or holds a control character"))
            }
        }
        if let newBank = change.newBank, !enabledBanks.contains(newBank) {
            throw PikouError("agreement.refused", Message(
                zh: "\(newBank) 银行未启用（已启用：\(enabledBanks.sorted().joined(separator: "、"))）",
                en: "bank \(newBank) is not enabled (enabled: \(enabledBanks.sorted().joined(separator: ", ")))"))
        }
        let current: AgreementSnapshot
        if let bank = change.bank {
            guard let agreement = payer.agreements.first(where: { $0.bank == bank }) else {
                throw PikouError("agreement.refused", Message(zh: "缴费人 \(masked) 与 \(bank) 没有代扣协议",
                                                              en: "payer \(masked) has no agreement with \(bank)"))
            }
            current = agreement
        } else {
            let active = payer.agreements.filter(\.active)
            guard active.count <= 1, let agreement = active.first ?? payer.agreements.first else {
                throw PikouError("agreement.refused", payer.agreements.isEmpty
                    ? Message(zh: "缴费人 \(masked) 没有代扣协议", en: "payer \(masked) has no agreement")
                    : Message(zh: "缴费人 \(masked) 与多家银行有代扣协议：请用 --bank 指定银行", en: "payer \(masked) has agreements with several banks: give --bank"))
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
                journalAction: "agreement.revoke", journalSubject: masked,
                journalDetail: "\(current.bank) agreement revoked" + (change.reason.map { "; reason: \($0)" } ?? ""))
        }
        return AgreementWrite(
            payerID: payer.payerID,
            action: .update(agreementID: current.id, version: current.version, account: account, accountName: accountName),
            journalAction: "agreement.update", journalSubject: masked,
            journalDetail: "\(current.bank): account \(account.masked), name \(Masking.name(accountName))")
    }
}
