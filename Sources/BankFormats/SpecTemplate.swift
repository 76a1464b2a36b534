public import PikouCore
/// A new bank's spec started from an existing one (`pikou formats new NEWBANK --like BOC`): the
/// model's YAML under the new code, with a header saying what an integrator changes next. The
/// model's comments, layout and tables stay: they are what is being edited.
public enum SpecTemplate {
    /// A bank code: 2 to 16 capital letters or digits, starting with a letter (it names a file).
    public static func validCode(_ code: String) -> Bool {
        (2...16).contains(code.utf8.count) && code.utf8.first.map { (65...90).contains($0) } == true
            && code.utf8.allSatisfy { (65...90).contains($0) || (48...57).contains($0) }
    }


    /// `model` (the text of a bank's spec) as bank `code`: its `bank:` and `name:` lines replaced
    /// and a commented header first.
    ///
    /// - Throws: ``PikouError`` when the model has no top-level `bank:` line to replace.
    public static func copy(_ model: String, modelCode: String, as code: String) throws(PikouError) -> String {
        var lines = model.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let bank = lines.firstIndex(where: { $0.hasPrefix("bank:") }) else {
            throw PikouError("spec.template", Message(zh: "\(modelCode) 的格式定义没有顶层的 'bank:' 行，无法复制",
                                                      en: "the \(modelCode) spec has no top-level 'bank:' line to copy from"))
        }
        lines[bank] = "bank: \(code)"
        if let name = lines.firstIndex(where: { $0.hasPrefix("name:") }) {
            lines[name] = "name: \"\(code)（待填写：银行全称 / the bank's full name）\""
        }
        let header = """
            # \(code) — started from \(modelCode) by `pikou formats new \(code) --like \(modelCode)`. Edit it to the bank's own spec:
            #   1. encoding, line_ending, file_name: as the bank's interface document says (file names are
            #      checked: {bank} {kind} {collector} {date:yyyyMMdd} {batch:N}).
            #   2. signature: scheme (sm2-sm3, rsa-sha256, or no signature block), placement (detached — also for
            #      XML —, trailer, xml-enveloped, xml-envelope), encoding (der, raw).
            #   3. debit and return layouts: every field's width (bytes in the file's encoding), start, type and
            #      source; header and trailer records; the return file's result fields. Amounts may declare a
            #      number form (number: {grouping: ",", decimal: ".", sign: leading}); delimited fields their
            #      quoting (always, never, when-needed) and a width for numbers (000042); XML names a prefix
            #      from namespaces: (r:Line, @r:code); a result code its form (code_pattern: "[0-9]{4}").
            #   4. result_codes: the bank's codes (or texts) mapped to Pikou's outcomes; succeeded must be there.
            #   5. pikou.yaml: enable the bank, give its collector code and keys (README, "Adding a bank").
            # Then: pikou formats check \(code).yaml; round-trip the bank's sample files with
            # `pikou file read --bank \(code)` and `pikou file describe --bank \(code)` (Formats/README.md).
            # The comments below are \(modelCode)'s.
            """
        return header + "\n" + lines.joined(separator: "\n")
    }
}
