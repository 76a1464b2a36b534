import BankFormats
import Foundation
import PikouCore
@testable import PikouCycle
import ReconStore
import Testing
import TestSupport

/// Found by the 2,000,000-payer bench: CCB needed batch 100 with a {batch:2} file name, wrote a
/// three-digit number, and neither the simulator nor ingest could read the name back.
@Suite struct BatchNumberOverflowTests {
    @Test func theCycleRefusesMoreBatchesThanTheNamePatternCanWrite() async throws {
        let ws = try await TestWorkspace { specs in
            specs["BOC"]?.maxRecordsPerFile = 1
            specs["BOC"]?.fileNamePattern = "BOC{date:yyyyMMdd}{batch:1}.{kind}"
        }
        var options = SyntheticRoster.Options(payers: 12)
        options.suspendedRate = 0
        options.revokedRate = 0
        _ = try await ws.store.importRoster(SyntheticRoster.make(options, seed: 2, banks: ["BOC"]), actor: "t", source: "r.csv")
        do {
            try await ws.runCycle()
            Issue.record("12 one-line files cannot be numbered 1-9")
        } catch {
            #expect(PikouError(error).message.en.contains("allows 9 a day"))
        }
        #expect(try await ws.store.allDebitFiles().isEmpty, "nothing reserved")
        #expect(ws.outboxFiles().isEmpty)
    }

    @Test func theSimulatorRefusesANameItCannotAnswer() async throws {
        let ws = try await TestWorkspace()
        let path = ws.workspace.outbox + "/BOC/not-a-boc-name.txt"
        try FileManager.default.copyItem(atPath: Fixture.path("banks/BOC/valid/debit.txt"), toPath: path)
        try FileManager.default.copyItem(atPath: Fixture.path("banks/BOC/valid/debit.txt.sig"), toPath: path + ".sig")
        #expect {
            try BankSimulator(spec: ws.specs["BOC"]!, signing: ws.workspace.signing)
                .simulate(debitFile: path, outputDirectory: ws.workspace.inbox + "/BOC", seed: 1, failRate: 0.1)
        } throws: { ($0 as? PikouError)?.code == "bank.simulate" }
    }

    @Test func patternsKnowTheirLargestBatch() async throws {
        #expect(try FileNamePattern("X{batch:2}.txt").maxBatchNo == 99)
        #expect(try FileNamePattern("X{batch:4}.txt").maxBatchNo == 9999)
        #expect(try FileNamePattern("X.txt").maxBatchNo == nil)
        // A name written with the pattern reads back: collector, date, batch and kind.
        let pattern = try FileNamePattern("CCB{collector}{date:yyyyMMdd}{batch:3}.{kind}")
        let context = FileContext(collector: "420100000001", bankCode: "CCB", batchNo: 100, fileDate: TestWorkspace.fileDate,
                                  collectionDate: TestWorkspace.fileDate)
        let name = pattern.fileName(bank: "CCB", kind: .return, context: context)
        #expect(name == "CCB42010000000120261201100.HP")
        let values = try #require(pattern.parse(name, bank: "CCB"))
        #expect(values.collector == "420100000001")
        #expect(values.batchNo == 100)
        #expect(values.date == TestWorkspace.fileDate)
        #expect(values.kind == .return)
    }
}

/// Found by the cycle property test: the simulator's rare unmapped code was "9999" for every bank,
/// which the ISO 20022 schema refuses as a transaction status, so the simulated return file could
/// not be written. The code now takes the shape of the bank's own failure codes.
@Suite struct SimulatedUnknownCodeTests {
    @Test("the unmapped code is unmapped and shaped like the bank's codes", arguments: Fixture.bankCodes)
    func unmappedCodeFitsTheBank(_ bank: String) async throws {
        let table = try #require(try Fixture.spec(bank).returns.outcomes)
        let code = BankSimulator.unmappedCode(table)
        #expect(table.codes[code] == nil)
        #expect(table.outcome(code: code, text: "模拟未知错误") == nil)
        if let failure = table.codes.filter({ $0.value != .succeeded }).keys.min() {
            #expect(code.count == failure.count)
            #expect(code.dropLast() == failure.dropLast())
        }
    }
}

/// Issue 16, item 1: a bank answering in words got an unknown "code" made by changing the last
/// character of one of its texts (余额不9). Its unknown answer is now whole words that fit its field.
@Suite struct SimulatedUnknownTextTests {
    @Test func theUnknownTextIsWordsTheTableLacksAndFitsTheField() throws {
        let spec = try Fixture.spec("BOC")
        let table = OutcomeTable(codes: [:], texts: ["成功": .succeeded, "余额不足": .insufficientFunds])
        let text = BankSimulator.unmappedText(table, spec: spec)
        #expect(text == "模拟未知错误" && table.outcome(code: "", text: text) == nil)
        let crowded = OutcomeTable(codes: [:], texts: ["成功": .succeeded, "模拟未知错误": .insufficientFunds])
        #expect(BankSimulator.unmappedText(crowded, spec: spec) == "未知错误", "never a text the table maps")
        // Texts declared as codes (before result_texts alone existed): no word cut and patched.
        let wordsAsCodes = OutcomeTable(codes: ["成功": .succeeded, "余额不足": .insufficientFunds])
        let code = BankSimulator.unmappedCode(wordsAsCodes)
        #expect(code.unicodeScalars.allSatisfy(\.isASCII) && wordsAsCodes.codes[code] == nil, "\(code)")
    }
}

