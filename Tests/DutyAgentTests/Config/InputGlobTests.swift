import Foundation
import Testing
@testable import DutyAgent

@Suite struct InputGlobTests {
    @Test func expandsPatternsPerComponentSortedAndSkipsDotFiles() throws {
        let folder = try ConfigFolder("", files: [
            "badges/a/1_attlog.dat": "", "badges/b/2_attlog.dat": "", "badges/b/.hidden.dat": "",
            "badges/b/notes.txt": "", "people.csv": "",
        ])
        defer { folder.remove() }
        #expect(InputGlob.files(matching: "badges/*/*.dat", in: folder.url).map(\.display)
                == ["badges/a/1_attlog.dat", "badges/b/2_attlog.dat"])
        #expect(InputGlob.files(matching: "badges/b/*", in: folder.url).map(\.display)
                == ["badges/b/2_attlog.dat", "badges/b/notes.txt"])
        #expect(InputGlob.files(matching: "./people.csv", in: folder.url).map(\.display) == ["people.csv"])
        #expect(InputGlob.files(matching: "badges/[ab]", in: folder.url).isEmpty)  // folders are not files
        #expect(InputGlob.files(matching: "missing/*.dat", in: folder.url).isEmpty)
        let absolute = InputGlob.files(matching: folder.url.path + "/badges/a/*.dat", in: URL(fileURLWithPath: "/"))
        #expect(absolute.map(\.url.lastPathComponent) == ["1_attlog.dat"])
    }
}
