import Foundation
import Testing
@testable import CellScript

/// The session-state codec is open for new kinds of object: a library registers a type that
/// writes and reads itself, and saved sessions carry it without any change to the codec.
@Suite struct ObjectArchivingTests {
    /// A counter a library of this test adds: `Counter(start)`, `counter.value`.
    final class Counter: ArchivableObject {
        var value: Int
        init(_ value: Int) { self.value = value }

        var typeName: String { "Counter" }
        var description: String { "Counter(\(value))" }
        func member(_ name: String) throws -> Value? { name == "value" ? .int(value) : nil }

        static var archiveTag: UInt8 { 200 }

        func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError) {
            entry.int(value)
        }

        static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                              what: String) throws(SessionStateError) -> Self {
            Self(try reader.int("\(what)'s value"))
        }
    }

    struct CounterLibrary: BuiltinLibrary {
        var archives = true

        func register(into registry: inout BuiltinRegistry) {
            registry.define("Counter", .builtin(BuiltinFunction("Counter(_:)") { arguments, _ in
                let values = try arguments.bind([BuiltinParameter(nil)])
                return .object(Counter(try values[0].asInt("Counter(_:)")))
            }))
            if archives { registry.archive(Counter.self) }
        }
    }

    static func session(archives: Bool = true) -> Session {
        Session(libraries: [CounterLibrary(archives: archives)])
    }

    @Test func aRegisteredTypeIsSavedAndReadBack() throws {
        let session = Self.session()
        let cell = session.run(try CellParser.parse("let a = Counter(41)\nlet both = [a, a]"))
        #expect(cell.error == nil, "\(String(describing: cell.error))")
        let saved = try session.exportState()
        let resumed = Self.session()
        try resumed.importState(saved)
        #expect(resumed.run(try CellParser.parse("a.value + 1")).value?.displayText == "42")
        guard case .array(let both)? = resumed.value(of: "both"), both.count == 2,
              case .object(let first as Counter) = both[0], case .object(let second as Counter) = both[1] else {
            Issue.record("both is not two counters")
            return
        }
        let same = first === second
        #expect(same, "one object saved once stays one object")
    }

    @Test func anUnregisteredTypeIsRefusedByName() throws {
        let session = Self.session(archives: false)
        _ = session.run(try CellParser.parse("let a = Counter(1)"))
        #expect(throws: SessionStateError.unsupported("global 'a' holds a Counter, which cannot be saved")) {
            try session.exportState()
        }
        let saved = try Self.session().exportStateAfter("let a = Counter(1)")
        #expect(throws: SessionStateError.self, "a session that does not know the type cannot read it") {
            try session.importState(saved)
        }
    }
}

private extension Session {
    func exportStateAfter(_ source: String) throws -> Data {
        _ = run(try CellParser.parse(source))
        return try exportState()
    }
}
