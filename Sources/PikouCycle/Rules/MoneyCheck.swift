public import PikouCore

/// 钱表相符: whether the money of a period matches its lists, to the fen — a pure rule over what the
/// store holds (per debit file), the banks' return files and the open exceptions.
///
/// - **相符 MATCH**: every debit line decided (succeeded or failed), every debit file answered, every
///   return file's trailer equal to the lines stored from it, the money posted from the banks' lines
///   equal to the store's decided money per debit file, and no exception left open.
/// - **未结清 PENDING**: nothing differs, but money is still pending: a file not yet written, a
///   written file not yet answered, or lines the bank has not answered.
/// - **不符 MISMATCH**: any difference, or an exception still open (an amount or account the bank
///   answered differently, an unmatched line...): someone must look.
/// - **无数据 NO DATA**: the period has no debit file.
///
/// A debit file answered by several return files (a partial return, then the rest) is counted
/// once: each line's closing result is posted once, so the banks' side of a debit file is the
/// posted results of all its return files, never the sum of their trailers.
public struct MoneyCheck: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        case match, pending, mismatch, noData

        /// The word finance staff read: Chinese, and in English after it (`相符 MATCH`).
        public var label: Message {
            switch self {
            case .match: Message(zh: "相符", en: "相符 MATCH")
            case .pending: Message(zh: "未结清", en: "未结清 PENDING")
            case .mismatch: Message(zh: "不符", en: "不符 MISMATCH")
            case .noData: Message(zh: "无数据", en: "无数据 NO DATA")
            }
        }

        /// The exit status of `pikou report` (documented in its help).
        public var exitCode: Int32 {
            switch self {
            case .match: 0
            case .mismatch: 1
            case .pending: 3
            case .noData: 4
            }
        }
    }

    /// One reason the money does not match, or is not settled yet.
    public enum Finding: Sendable, Hashable {
        /// A return file's trailer differs from the lines stored from it.
        case trailerDiffers(returnFile: String, declaredCount: Int?, storedCount: Int, declaredFen: Int64?, storedFen: Int64)
        /// A return file holds a negative amount (never a valid result).
        case negativeAmount(returnFile: String, storedFen: Int64)
        /// A debit file's lines do not add up: submitted ≠ succeeded + failed + pending.
        case fileUnbalanced(debitFile: String, submittedFen: Int64, accountedFen: Int64)
        /// The results posted from a debit file's return files differ from what the store decided.
        case postedDiffers(debitFile: String, decidedFen: Int64, postedFen: Int64)
        /// Exceptions still open in the period's return files.
        case openExceptions(count: Int, byKind: [ExceptionKind: Int])
        /// Sums that leave 64-bit fen.
        case overflow
        /// Pending, not a difference: a debit file reserved but not written.
        case notWritten(debitFile: String)
        /// Pending: a written debit file with no return file yet.
        case notAnswered(debitFile: String)
        /// Pending: lines the bank has not answered yet.
        case linesPending(count: Int, fen: Int64)
        /// The residents' scheme: a round file's successful debits differ from the personal parts of
        /// the dues they collected.
        case collectedDiffers(debitFile: String, succeededFen: Int64, collectedFen: Int64)
        /// The residents' scheme: personal parts collected by a file that is not a round file of the year.
        case collectedOutsideRounds(debitFile: String, fen: Int64)

        /// Whether this finding is a difference (else the money is only not settled yet).
        public var isDifference: Bool {
            switch self {
            case .notWritten, .notAnswered, .linesPending: false
            default: true
            }
        }
    }

    public var state: State
    public var findings: [Finding]
    /// The period's debit files added up.
    public var totals: FileStatus.Totals
    public var debitFiles: Int
    public var returnFiles: Int
    /// Debits no bank line closed, closed by results operators confirmed with the banks: counted
    /// with the banks' answers, and shown apart.
    public var confirmed = ConfirmedTotals(bank: "", debitFile: "")

    /// Decides the state of a period from its debit files, their return files and its exceptions.
    public static func decide(files: [FileStatus], returns: [ReturnTotals], exceptions: [ExceptionRecord], confirmed: [ConfirmedTotals] = []) -> MoneyCheck {
        var findings: [Finding] = []
        var totals = FileStatus.Totals()
        var overflow = false
        for file in files {
            do { try totals.add(file.totals) } catch { overflow = true }
        }
        for file in returns {
            let declaredDiffers = file.declaredFen.map { $0 != file.storedFen } ?? false
            let countDiffers = file.declaredCount.map { $0 != file.storedCount } ?? false
            if declaredDiffers || countDiffers {
                findings.append(.trailerDiffers(returnFile: "\(file.bank)/\(file.name)", declaredCount: file.declaredCount,
                                                storedCount: file.storedCount, declaredFen: file.declaredFen, storedFen: file.storedFen))
            }
            if file.storedFen < 0 || (file.declaredFen ?? 0) < 0 || file.succeededFen < 0 || file.failedFen < 0 {
                findings.append(.negativeAmount(returnFile: "\(file.bank)/\(file.name)", storedFen: file.storedFen))
            }
        }
        let returnsByDebitFile = Dictionary(grouping: returns) { "\($0.bank)/\($0.debitFile)" }
        let confirmedByDebitFile = Dictionary(confirmed.map { ("\($0.bank)/\($0.debitFile)", $0) }, uniquingKeysWith: { first, _ in first })
        var allConfirmed = ConfirmedTotals(bank: "", debitFile: "")
        for file in confirmed {
            allConfirmed.succeeded += file.succeeded
            allConfirmed.failed += file.failed
            guard let ok = try? Money(fen: allConfirmed.succeededFen).adding(Money(fen: file.succeededFen)),
                  let bad = try? Money(fen: allConfirmed.failedFen).adding(Money(fen: file.failedFen)) else {
                overflow = true
                continue
            }
            (allConfirmed.succeededFen, allConfirmed.failedFen) = (ok.fen, bad.fen)
        }
        for file in files {
            let name = "\(file.bank)/\(file.fileName)"
            let t = file.totals
            guard let accounted = try? Money(fen: t.succeededFen).adding(Money(fen: t.failedFen)).adding(Money(fen: t.pendingFen)),
                  let decided = try? Money(fen: t.succeededFen).adding(Money(fen: t.failedFen)) else {
                overflow = true
                continue
            }
            if accounted.fen != t.submittedFen {
                findings.append(.fileUnbalanced(debitFile: name, submittedFen: t.submittedFen, accountedFen: accounted.fen))
            }
            let answers = returnsByDebitFile[name] ?? []
            // What closed the file's debits: the banks' posted lines, and the results operators confirmed.
            let confirmations = confirmedByDebitFile[name].map { [$0.succeededFen, $0.failedFen].map(Money.init(fen:)) } ?? []
            guard let posted = try? answers.map({ Money(fen: $0.succeededFen) }).checkedSum().adding(answers.map { Money(fen: $0.failedFen) }.checkedSum())
                    .adding(confirmations.checkedSum()) else {
                overflow = true
                continue
            }
            if posted != decided {
                findings.append(.postedDiffers(debitFile: name, decidedFen: decided.fen, postedFen: posted.fen))
            }
            if file.state == .reserved {
                findings.append(.notWritten(debitFile: name))
            } else if answers.isEmpty {
                findings.append(.notAnswered(debitFile: name))
            }
        }
        let open = exceptions.filter { !$0.resolved }
        if !open.isEmpty {
            findings.append(.openExceptions(count: open.count, byKind: Dictionary(grouping: open, by: \.kind).mapValues(\.count)))
        }
        if totals.pending > 0 || totals.pendingFen != 0 {
            findings.append(.linesPending(count: totals.pending, fen: totals.pendingFen))
        }
        if overflow { findings.append(.overflow) }

        let state = Self.state(noData: files.isEmpty && returns.isEmpty && open.isEmpty, findings)
        return MoneyCheck(state: state, findings: findings, totals: totals, debitFiles: files.count, returnFiles: returns.count, confirmed: allConfirmed)
    }

    /// 钱表相符 of a residents' cover year on the personal part: each round file's lines against its
    /// succeeded, failed and pending ones, and its successful debits against the personal parts of
    /// the dues they collected (`collected`: the dues side, one row per file, grouped as `BANK name`).
    public static func residents(files: [FileStatus], collected rows: [ResidentsReportRow]) -> MoneyCheck {
        var findings: [Finding] = []
        var totals = FileStatus.Totals()
        var overflow = false
        var collected: [String: Money] = [:]
        for row in rows where !row.group.isEmpty {
            do { collected[row.group] = try (collected[row.group] ?? .zero).adding(Money(fen: row.debitedFen)) } catch { overflow = true }
        }
        for file in files {
            do { try totals.add(file.totals) } catch { overflow = true }
            let name = "\(file.bank)/\(file.fileName)", t = file.totals
            guard let accounted = try? [t.succeededFen, t.failedFen, t.pendingFen].map(Money.init(fen:)).checkedSum() else {
                overflow = true
                continue
            }
            if t.submitted != t.succeeded + t.failed + t.pending || accounted.fen != t.submittedFen {
                findings.append(.fileUnbalanced(debitFile: name, submittedFen: t.submittedFen, accountedFen: accounted.fen))
            }
            let dues = collected.removeValue(forKey: "\(file.bank) \(file.fileName)") ?? .zero
            if dues.fen != t.succeededFen {
                findings.append(.collectedDiffers(debitFile: name, succeededFen: t.succeededFen, collectedFen: dues.fen))
            }
        }
        for (file, money) in collected.sorted(by: { $0.key < $1.key }) where money.fen != 0 {
            findings.append(.collectedOutsideRounds(debitFile: file, fen: money.fen))
        }
        if totals.pending > 0 || totals.pendingFen != 0 { findings.append(.linesPending(count: totals.pending, fen: totals.pendingFen)) }
        if overflow { findings.append(.overflow) }
        let state = Self.state(noData: files.isEmpty && findings.isEmpty, findings)
        let answered = files.filter { $0.totals.pending < $0.totals.submitted }.count
        return MoneyCheck(state: state, findings: findings, totals: totals, debitFiles: files.count, returnFiles: answered)
    }

    /// 无数据 when there is nothing to check; else 不符 on any difference, 未结清 on anything only
    /// pending, 相符 when nothing was found.
    static func state(noData: Bool, _ findings: [Finding]) -> State {
        if noData { return .noData }
        if findings.contains(where: \.isDifference) { return .mismatch }
        return findings.isEmpty ? .match : .pending
    }

    /// The headline and one line per finding, in the process's language.
    public var lines: [String] { lines(.current) }

    /// The headline and one line per finding, in words of `language`.
    public func lines(_ language: Language) -> [String] {
        let t = totals
        var headline = language == .zh ? "钱表相符：\(state.label.zh) — " : "钱表相符: \(state.label.en) — "
        switch state {
        case .noData:
            headline += Catalogue.noDebitFile.text(language)
        default:
            headline += Catalogue.moneyHeadline(debitFiles: debitFiles, returnFiles: returnFiles, lines: t.submitted, submitted: yuan(t.submittedFen),
                                                succeeded: yuan(t.succeededFen), failed: yuan(t.failedFen), pending: yuan(t.pendingFen)).text(language)
        }
        // Per-file items beyond a few of a kind are counted, not listed (a city has hundreds of files).
        var lines = [headline]
        // Shown apart: what operators, not the banks' files, closed.
        if confirmed.succeeded + confirmed.failed > 0 {
            lines.append("  " + Catalogue.confirmedByOperators(succeeded: confirmed.succeeded, succeededYuan: yuan(confirmed.succeededFen),
                                                                failed: confirmed.failed, failedYuan: yuan(confirmed.failedFen)).text(language))
        }
        var shown: [Finding.Kind: Int] = [:]
        for finding in findings {
            shown[finding.kind, default: 0] += 1
            if shown[finding.kind]! <= Self.shownPerKind { lines.append("  " + Self.describe(finding).text(language)) }
        }
        for kind in Finding.Kind.allCases {
            if let count = shown[kind], count > Self.shownPerKind {
                lines.append("  " + Catalogue.moreFindings(count - Self.shownPerKind, kind: Catalogue.findingKind(kind)).text(language))
            }
        }
        return lines
    }

    /// How many findings of one kind the lines list before counting the rest.
    static let shownPerKind = 5

    private func yuan(_ fen: Int64) -> String { Money(fen: fen).groupedYuanText }

    static func describe(_ finding: Finding) -> Message {
        func yuan(_ fen: Int64) -> String { Money(fen: fen).groupedYuanText }
        switch finding {
        case .trailerDiffers(let file, let declaredCount, let storedCount, let declaredFen, let storedFen):
            return Catalogue.trailerDiffers(
                file: file, lines: declaredCount.flatMap { $0 != storedCount ? ($0, storedCount) : nil },
                yuan: declaredFen.flatMap { $0 != storedFen ? (yuan($0), yuan(storedFen)) : nil })
        case .negativeAmount(let file, let storedFen):
            return Catalogue.negativeAmounts(file: file, stored: yuan(storedFen))
        case .fileUnbalanced(let file, let submittedFen, let accountedFen):
            return Catalogue.fileUnbalanced(file: file, submitted: yuan(submittedFen), accounted: yuan(accountedFen))
        case .postedDiffers(let file, let decidedFen, let postedFen):
            return Catalogue.postedDiffers(file: file, decided: yuan(decidedFen), posted: yuan(postedFen))
        case .openExceptions(let count, let byKind):
            let sorted = byKind.sorted { $0.key.rawValue < $1.key.rawValue }
            return Catalogue.openExceptionsFinding(count, kinds: sorted.map { (Catalogue.exceptionKind($0.key), $0.value) })
        case .overflow:
            return Catalogue.totalsOverflow
        case .notWritten(let file):
            return Catalogue.fileNotWritten(file)
        case .notAnswered(let file):
            return Catalogue.fileNotAnswered(file)
        case .linesPending(let count, let fen):
            return Catalogue.linesPending(count, yuan: yuan(fen))
        case .collectedDiffers(let file, let succeededFen, let collectedFen):
            return Catalogue.collectedDiffers(file: file, succeeded: yuan(succeededFen), collected: yuan(collectedFen))
        case .collectedOutsideRounds(let file, let fen):
            return Catalogue.collectedOutsideRounds(file: file, yuan: yuan(fen))
        }
    }
}

extension MoneyCheck.Finding {
    /// The kind of a finding, to count those past the first few.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case trailerDiffers, negativeAmount, fileUnbalanced, postedDiffers, openExceptions, overflow, notWritten, notAnswered, linesPending
        case collectedDiffers, collectedOutsideRounds
    }

    public var kind: Kind {
        switch self {
        case .trailerDiffers: .trailerDiffers
        case .negativeAmount: .negativeAmount
        case .fileUnbalanced: .fileUnbalanced
        case .postedDiffers: .postedDiffers
        case .openExceptions: .openExceptions
        case .overflow: .overflow
        case .notWritten: .notWritten
        case .notAnswered: .notAnswered
        case .linesPending: .linesPending
        case .collectedDiffers: .collectedDiffers
        case .collectedOutsideRounds: .collectedOutsideRounds
        }
    }
}
