public import PikouCore

extension Catalogue {
    /// `pikou keys`: certificates shown, requested and imported.
    public enum Keys {
        public static let subject = Message(zh: "主体", en: "subject")
        public static let issuer = Message(zh: "签发者", en: "issuer")
        public static let serial = Message(zh: "序列号", en: "serial")
        public static let validFrom = Message(zh: "有效期自", en: "valid from")
        public static let validTo = Message(zh: "有效期至", en: "valid to")
        public static let key = Message(zh: "公钥算法", en: "key")
        public static let signedWith = Message(zh: "签名算法", en: "signed with")
        public static let fingerprintSM3 = Message(zh: "SM3 指纹", en: "SM3 fingerprint")
        public static let fingerprintSHA256 = Message(zh: "SHA-256 指纹", en: "SHA-256 fingerprint")
        public static let status = Message(zh: "状态", en: "status")
        public static let valid = Message(zh: "有效", en: "valid")
        public static func expiresIn(_ days: Int) -> Message { Message(zh: "有效，\(days) 天后到期", en: "valid, expires in \(days) days") }

        public static func bankUnsigned(_ bank: String) -> Message {
            Message(zh: "\(bank) 的文件不签名，无需导入证书", en: "\(bank)'s files are not signed: no certificate to import")
        }
        public static func wrongAlgorithm(_ bank: String, found: String, expected: String) -> Message {
            Message(zh: "该证书的公钥是 \(found)，\(bank) 的文件用 \(expected) 签名：请向银行确认是否给错了证书",
                    en: "the certificate's key is \(found), but \(bank) signs with \(expected): ask the bank whether this is the right certificate")
        }
        public static func expired(_ notAfter: String) -> Message {
            Message(zh: "该证书已于 \(notAfter) 过期，未导入：请向银行索取新证书", en: "the certificate expired on \(notAfter); not imported: ask the bank for its new one")
        }
        public static func notYetValid(_ notBefore: String) -> Message {
            Message(zh: "该证书自 \(notBefore) 起才有效，未导入：用 --from 指定启用日期（不早于生效日）",
                    en: "the certificate is valid only from \(notBefore); not imported: give --from, the day it takes over (not before then)")
        }
        public static func imported(_ bank: String, path: String, from: CivilDate) -> Message {
            Message(zh: "已信任 \(bank) 的证书：\(path)，自 \(from) 起用于验签（此前发出文件的回盘仍可用旧证书验签）",
                    en: "trusted as \(bank)'s certificate: \(path), verifying from \(from) (returns for files sent before still verify with the earlier one)")
        }
        public static func alreadyTrusted(_ path: String) -> Message {
            Message(zh: "该证书已导入（\(path)），未做改动", en: "already imported (\(path)); nothing changed")
        }
        public static let readBack = Message(
            zh: "请通过电话等其他渠道与银行核对上面的指纹，一致后方可使用。",
            en: "Read the fingerprint above back to the bank by another channel (the phone) before relying on it.")
        public static func requestWritten(_ path: String) -> Message {
            Message(zh: "已写出证书请求 \(path)：交银行或 CA 签发，签发的证书放在 pikou.yaml 中该密钥的 certificate 路径",
                    en: "wrote the certificate request \(path): give it to the bank or a CA, and put the certificate it issues at the key's certificate path in pikou.yaml")
        }
        public static func unknownKey(_ name: String, known: [String], config: String) -> Message {
            Message(zh: "\(config) 的 keys: 中没有 \(name)；已有：\(known.joined(separator: "、"))",
                    en: "no key \(name) under keys: in \(config); there are: \(known.joined(separator: ", "))")
        }
        public static func passphraseCreated(_ path: String) -> Message {
            Message(zh: "已生成随机口令并写入 \(path)（权限 0600）：请另存一份备份，丢失后密钥无法打开",
                    en: "made a random passphrase in \(path) (mode 0600): keep a copy elsewhere; without it the key cannot be opened")
        }
        public static func passphraseFileOpen(_ path: String, mode: String) -> Message {
            Message(zh: "\(path) 的权限为 \(mode)，其他用户可读：chmod 600 \(path)", en: "\(path) can be read by others (mode \(mode)): chmod 600 \(path)")
        }
        public static func expiryWarning(_ what: String, subject: String, until: String, days: Int) -> Message {
            Message(zh: "\(what)的证书 \(subject) 将于 \(until) 到期（还有 \(days) 天）：请及时更换",
                    en: "\(what)'s certificate \(subject) expires on \(until) (in \(days) days): renew it in time")
        }
    }
}
