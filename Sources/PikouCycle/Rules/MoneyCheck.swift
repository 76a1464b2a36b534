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

        /// The word finance staff read, Chinese first.
        public var label: String {
            switch self {
            case .match: "相符 MATCH"
            case .pending: "未结清 PENDING"
            case .mismatch: "不符 MISMATCH"
            case .noData: "无数据 NO DATA"
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

    /// Decides the state of a period from its debit files, their return files and its exceptions.
    public static func decide(files: [FileStatus], returns: [ReturnTotals], exceptions: [ExceptionRecord]) -> MoneyCheck {
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
            guard let posted = try? answers.map({ Money(fen: $0.succeededFen) }).checkedSum().adding(answers.map { Money(fen: $0.failedFen) }.checkedSum()) else {
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

        let state: State = if files.isEmpty && returns.isEmpty && open.isEmpty {
            .noData
        } else if findings.contains(where: \.isDifference) {
            .mismatch
        } else if !findings.isEmpty {
            .pending
        } else {
            .match
        }
        return MoneyCheck(state: state, findings: findings, totals: totals, debitFiles: files.count, returnFiles: returns.count)
    }

    /// The headline and one line per finding, in words.
    public var lines: [String] {
        let t = totals
        func yuan(_ fen: Int64) -> String { Money(fen: fen).yuanText }
        var headline = "钱表相符: \(state.label) — "
        switch state {
        case .noData:
            headline += "no debit file for this period"
        default:
            headline += "\(debitFiles) debit files, \(returnFiles) return files; submitted \(t.submitted) lines \(yuan(t.submittedFen)) yuan = "
                + "succeeded \(yuan(t.succeededFen)) + failed \(yuan(t.failedFen)) + pending \(yuan(t.pendingFen)) yuan"
        }
        // Per-file items beyond a few of a kind are counted, not listed (a city has hundreds of files).
        var lines = [headline]
        var shown: [String: Int] = [:]
        for finding in findings {
            let kind = String(describing: finding).prefix { $0 != "(" }
            shown[String(kind), default: 0] += 1
            if shown[String(kind)]! <= Self.shownPerKind { lines.append(Self.describe(finding)) }
        }
        for (kind, count) in shown.sorted(by: { $0.key < $1.key }) where count > Self.shownPerKind {
            lines.append("  ... \(count - Self.shownPerKind) more \(kind) (`pikou status` lists every file)")
        }
        return lines
    }

    /// How many findings of one kind the lines list before counting the rest.
    static let shownPerKind = 5

    static func describe(_ finding: Finding) -> String {
        func yuan(_ fen: Int64) -> String { Money(fen: fen).yuanText }
        switch finding {
        case .trailerDiffers(let file, let declaredCount, let storedCount, let declaredFen, let storedFen):
            var parts: [String] = []
            if let declaredCount, declaredCount != storedCount { parts.append("trailer \(declaredCount) lines, stored \(storedCount)") }
            if let declaredFen, declaredFen != storedFen {
                parts.append("trailer \(yuan(declaredFen)) yuan, lines stored \(yuan(storedFen)) yuan")
            }
            return "  不符 \(file): " + parts.joined(separator: "; ")
        case .negativeAmount(let file, let storedFen):
            return "  不符 \(file): negative amounts in its lines (stored \(yuan(storedFen)) yuan)"
        case .fileUnbalanced(let file, let submittedFen, let accountedFen):
            return "  不符 \(file): submitted \(yuan(submittedFen)) yuan ≠ succeeded + failed + pending \(yuan(accountedFen)) yuan"
        case .postedDiffers(let file, let decidedFen, let postedFen):
            return "  不符 \(file): store decided \(yuan(decidedFen)) yuan, the banks' posted lines \(yuan(postedFen)) yuan"
        case .openExceptions(let count, let byKind):
            let kinds = byKind.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            return "  不符 \(count) exceptions still open (\(kinds)): see `pikou report` exceptions, resolve or correct them"
        case .overflow:
            return "  不符 the totals leave 64-bit fen: the store holds impossible amounts"
        case .notWritten(let file):
            return "  未结清 \(file): reserved but not written (run `pikou cycle run` or `pikou resubmit` to finish it)"
        case .notAnswered(let file):
            return "  未结清 \(file): no return file yet"
        case .linesPending(let count, let fen):
            return "  未结清 \(count) lines, \(yuan(fen)) yuan still pending at the banks"
        }
    }
}
