import Engine
import Foundation
import Testing
import TestSupport

/// Where the PTB files are looked for, in which order, and what the user is told
/// when they are nowhere.
@Suite("Data directory")
struct DataDirectoryTests {
    /// A sandbox: `root/work` is the working directory, so `root/work/data/ptb` and
    /// `root/shared/data/ptb` are the default places; `root/env` and `root/explicit`
    /// are for the option and the variable.
    private struct Sandbox {
        let directory: TemporaryDirectory
        var root: URL { directory.url }
        var workingDirectory: String { root.appendingPathComponent("work").path }

        init() throws {
            directory = try TemporaryDirectory()
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("work"), withIntermediateDirectories: true)
        }

        /// Puts the three files (or those named in `only`) into `relative`.
        func fill(_ relative: String, only: [String] = DataDirectory.fileNames) throws {
            for name in only {
                try directory.write(Data(" a \n".utf8), to: "\(relative)/\(name)")
            }
        }

        func path(_ relative: String) -> String {
            root.appendingPathComponent(relative).standardizedFileURL.path
        }

        func resolve(explicit: String? = nil, environment: [String: String] = [:]) throws -> String {
            try DataDirectory.resolve(
                explicit: explicit, environment: environment, workingDirectory: workingDirectory
            ).standardizedFileURL.path
        }
    }

    @Test("the explicit directory wins over everything else")
    func explicitFirst() throws {
        let sandbox = try Sandbox()
        defer { sandbox.directory.remove() }
        for place in ["explicit", "env", "work/data/ptb", "shared/data/ptb"] { try sandbox.fill(place) }
        let environment = ["LESSON_DATA_DIR": sandbox.path("env")]
        let explicit = sandbox.path("explicit")
        #expect(try sandbox.resolve(explicit: explicit, environment: environment) == explicit)
        // A relative option is relative to the working directory.
        #expect(try sandbox.resolve(explicit: "../explicit", environment: environment) == sandbox.path("explicit"))
        #expect(try sandbox.resolve(environment: environment) == sandbox.path("env"))
        #expect(try sandbox.resolve() == sandbox.path("work/data/ptb"))
    }

    @Test("an explicit directory without the files fails instead of falling back")
    func explicitDoesNotFallBack() throws {
        let sandbox = try Sandbox()
        defer { sandbox.directory.remove() }
        try sandbox.fill("work/data/ptb")
        try sandbox.fill("explicit", only: ["ptb.train.txt", "ptb.test.txt"])
        #expect(throws: EngineError.dataDirectoryIncomplete(
            directory: sandbox.path("explicit"), origin: "--data", missing: ["ptb.valid.txt"])) {
            try sandbox.resolve(explicit: sandbox.path("explicit"))
        }
        #expect(throws: EngineError.dataDirectoryMissing(directory: sandbox.path("nowhere"), origin: "--data")) {
            try sandbox.resolve(explicit: sandbox.path("nowhere"))
        }
    }

    @Test("then LESSON_DATA_DIR, then data/ptb, then ../shared/data/ptb")
    func defaultOrder() throws {
        let sandbox = try Sandbox()
        defer { sandbox.directory.remove() }
        try sandbox.fill("shared/data/ptb")
        #expect(try sandbox.resolve() == sandbox.path("shared/data/ptb"))
        try sandbox.fill("work/data/ptb")
        #expect(try sandbox.resolve() == sandbox.path("work/data/ptb"))
        // An incomplete or empty variable is skipped (it is listed if nothing is found).
        try sandbox.fill("env", only: ["ptb.train.txt"])
        #expect(try sandbox.resolve(environment: ["LESSON_DATA_DIR": sandbox.path("env")]) == sandbox.path("work/data/ptb"))
        #expect(try sandbox.resolve(environment: ["LESSON_DATA_DIR": ""]) == sandbox.path("work/data/ptb"))
        try sandbox.fill("env")
        #expect(try sandbox.resolve(environment: ["LESSON_DATA_DIR": sandbox.path("env")]) == sandbox.path("env"))
    }

    @Test("when nothing holds the files, the error lists every place and how to get them")
    func notFound() throws {
        let sandbox = try Sandbox()
        defer { sandbox.directory.remove() }
        try sandbox.fill("env", only: ["ptb.train.txt"])
        let error = #expect(throws: EngineError.self) {
            try sandbox.resolve(environment: ["LESSON_DATA_DIR": sandbox.path("env")])
        }
        guard case .dataNotFound(let searched)? = error else {
            Issue.record("expected dataNotFound, got \(String(describing: error))")
            return
        }
        #expect(searched.count == 3)
        let message = try #require(error).description
        let places = [sandbox.path("env"), sandbox.path("work/data/ptb"), sandbox.path("shared/data/ptb")]
        for (number, place) in places.enumerated() {
            #expect(message.contains("\(number + 1). \(place) ("), "place \(number + 1) listed")
        }
        #expect(message.contains("missing ptb.valid.txt, ptb.test.txt"))
        #expect(message.contains("no such directory"))
        for hint in ["simple-examples", "data/", "--data DIR", "LESSON_DATA_DIR=DIR", "ptb.train.txt"] {
            #expect(message.contains(hint), "mentions \(hint)")
        }
    }
}
