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
        #expect(throws: StoreLocation.ParseError.self) { try StoreLocation("postgres://pikou:secret@127.0.0.1/pikou", relativeTo: "/ws") }
        do {
            _ = try StoreLocation("postgres://pikou:secret@127.0.0.1/pikou", relativeTo: "/ws")
        } catch {
            #expect(!error.description.contains("secret"), "the message never repeats the password")
        }
    }

    @Test func emptyAndUnknownKindsAreRefused() {
        #expect(throws: StoreLocation.ParseError.self) { try StoreLocation("sqlite:", relativeTo: "/ws") }
        #expect(throws: StoreLocation.ParseError.self) { try StoreLocation("mysql://root@localhost/pikou", relativeTo: "/ws") }
    }

    @Test func aServerStoreThisBuildCannotOpenSaysSo() async {
        await #expect(throws: StoreError.self) { try await StoreLocation.postgres(url: "postgres://pikou@127.0.0.1:1/pikou").open() }
    }
}
