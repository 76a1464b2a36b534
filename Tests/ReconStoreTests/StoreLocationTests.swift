import PikouCore
import ReconStore
import Testing

/// `store:` in pikou.yaml, as people write it.
@Suite struct StoreLocationTests {
    @Test func sqlitePathsResolveAgainstTheWorkspace() throws {
        #expect(try StoreLocation("pikou.sqlite", relativeTo: "/ws") == .sqlite(path: "/ws/pikou.sqlite"))
        #expect(try StoreLocation("sqlite:data/p.sqlite", relativeTo: "/ws") == .sqlite(path: "/ws/data/p.sqlite"))
        #expect(try StoreLocation("sqlite:/srv/p.sqlite", relativeTo: "/ws") == .sqlite(path: "/srv/p.sqlite"))
        #expect(try StoreLocation("/srv/p.sqlite", relativeTo: "/ws").description == "sqlite:/srv/p.sqlite")
    }

    @Test func aServerURLIsKeptAndAPasswordInItRefused() throws {
        #expect(try StoreLocation("postgres://pikou@127.0.0.1:5432/pikou", relativeTo: "/ws") == .postgres(url: "postgres://pikou@127.0.0.1:5432/pikou"))
        #expect { try StoreLocation("postgres://pikou:secret@127.0.0.1/pikou", relativeTo: "/ws") } throws: { ($0 as? PikouError)?.code == "workspace.store" }
        do {
            _ = try StoreLocation("postgres://pikou:secret@127.0.0.1/pikou", relativeTo: "/ws")
        } catch {
            #expect(!error.description.contains("secret"), "the message never repeats the password")
        }
    }

    @Test func emptyAndUnknownKindsAreRefused() {
        #expect { try StoreLocation("sqlite:", relativeTo: "/ws") } throws: { ($0 as? PikouError)?.code == "workspace.store" }
        #expect { try StoreLocation("mysql://root@localhost/pikou", relativeTo: "/ws") } throws: { ($0 as? PikouError)?.code == "workspace.store" }
    }

    @Test func aServerThatCannotBeReachedSaysSoAtOnceNamingIt() async {
        do {
            _ = try await StoreLocation.postgres(url: "postgres://pikou@127.0.0.1:1/pikou?sslmode=disable").open()
            Issue.record("nothing listens on port 1")
        } catch {
            #expect("\(error)".contains("postgres://pikou@127.0.0.1:1/pikou"), "\(error)")
        }
    }

    @Test func serverOptionsAreCheckedBeforeAnyConnection() async {
        for (url, words) in [
            ("postgres://pikou@127.0.0.1/pikou?schema=Bad-Name", "schema"),
            ("postgres://pikou@127.0.0.1/pikou?sslmode=sometimes", "sslmode"),
            ("postgres://pikou@127.0.0.1/pikou?sslmode=verify-full", "sslrootcert"),
            ("postgres://pikou@127.0.0.1/pikou?password=x", "unknown option"),
            ("postgres://pikou@127.0.0.1/pikou?host=relative/dir", "absolute"),
        ] {
            do {
                _ = try await StoreLocation.postgres(url: url).open()
                Issue.record("\(url) opened")
            } catch {
                #expect("\(error)".contains(words), "\(url): \(error)")
            }
        }
    }
}
