import Digests

/// Tags of the values in a saved session's body.
enum ValueTag: UInt8 {
    case int = 0, double, bool, string, none, some, array, dictionary, tuple, range, builtin, enumCase, object
}

/// Writes a session's state. Objects (and what they share, such as a library's autodiff
/// variables) go into a table, once each, every entry after the entries it refers to; values
/// refer to them by their index in the table, so an object held in several places comes back
/// as one object. The codec knows no library type: each entry is written by its type
/// (`ArchivableObject`) or by the library that registered its tag (`ObjectArchives`).
package final class StateEncoder {
    /// The deepest nesting of arrays, dictionaries, tuples and optionals that is saved
    /// (the reader refuses deeper, so reading never runs out of stack).
    static let maximumDepth = 100
    /// The most bytes the plain values (numbers, strings, collections; not tensors or
    /// objects) of a session may take saved. Copies share storage in memory but not on disk:
    /// a million copies of one 10 MB string cost nothing to keep and 10 TB to write.
    static let maximumValueBytes = 256 << 20

    /// Bytes the plain values written so far take.
    private var valueBytes = 0

    private(set) var table = StateWriter()
    private(set) var tableCount = 0
    /// When fingerprinting (`digestingTable`), a checksum of the entries in order instead of
    /// their bytes: nothing of the table is kept.
    private(set) var tableDigest: UInt64?
    package let stateHolders: [any SessionStateHolder]
    private let archives: ObjectArchives
    private let builtins: Environment
    private var ids: [ObjectIdentifier: UInt32] = [:]
    /// Keeps every listed object alive, so no identifier is reused while encoding.
    private var retained: [AnyObject] = []

    /// Where large arrays go when they are kept apart; nil to write them inline.
    let blobs: StateBlobCollector?

    init(stateHolders: [any SessionStateHolder], archives: ObjectArchives, builtins: Environment,
         digestingTable: Bool = false, blobs: StateBlobCollector? = nil) {
        self.blobs = blobs
        self.stateHolders = stateHolders
        self.archives = archives
        self.builtins = builtins
        if digestingTable { tableDigest = 0 }
    }

    /// The table index of `instance`, a shared thing that is not a value of the language (an
    /// autodiff variable held by several models): on first sight `write` writes its entry
    /// after `tag`, which the library registered with `ObjectArchives.register(tag:read:)`.
    package func reference(_ instance: AnyObject, tag: UInt8,
                           write: (inout StateWriter) throws(SessionStateError) -> Void) throws(SessionStateError) -> UInt32 {
        if let id = ids[ObjectIdentifier(instance)] { return id }
        var entry = StateWriter(blobs: blobs)
        entry.byte(tag)
        try write(&entry)
        return add(entry, for: instance)
    }

    /// The table index of `object`, adding it and what it holds.
    package func reference(_ object: any ScriptObject, global: String) throws(SessionStateError) -> UInt32 {
        guard let archivable = archives.archivable(object) else {
            throw .unsupported("global '\(global)' holds a \(object.typeName), which cannot be saved")
        }
        return try reference(archivable, tag: type(of: archivable).archiveTag) { (entry: inout StateWriter) throws(SessionStateError) in
            try archivable.archive(into: &entry, encoder: self, global: global)
        }
    }

    private func add(_ entry: StateWriter, for instance: AnyObject) -> UInt32 {
        let id = UInt32(tableCount)
        if let digest = tableDigest {
            tableDigest = Checksum64.combine(digest, Checksum64.of(entry.data))
        } else {
            table.append(entry)
        }
        tableCount += 1
        ids[ObjectIdentifier(instance)] = id
        retained.append(instance)
        return id
    }

    /// Writes `value`; `global` names the global it sits in, for messages.
    package func value(_ value: Value, into writer: inout StateWriter, global: String, depth: Int = 0) throws(SessionStateError) {
        guard depth < Self.maximumDepth else {
            throw .unsupported("global '\(global)' nests values more than \(Self.maximumDepth) levels deep")
        }
        if case .string(let text) = value { valueBytes += text.utf8.count }
        valueBytes += 9
        guard valueBytes <= Self.maximumValueBytes else {
            throw .unsupported("its values would take more than \(Self.maximumValueBytes >> 20) MB to save "
                               + "(global '\(global)', counting every copy of a shared array or string)")
        }
        switch value {
        case .int(let number):
            writer.byte(ValueTag.int.rawValue)
            writer.int(number)
        case .double(let number):
            writer.byte(ValueTag.double.rawValue)
            writer.double(number)
        case .bool(let flag):
            writer.byte(ValueTag.bool.rawValue)
            writer.bool(flag)
        case .string(let text):
            writer.byte(ValueTag.string.rawValue)
            try writer.string(text)
        case .optional(nil):
            writer.byte(ValueTag.none.rawValue)
        case .optional(.some(let inner)):
            writer.byte(ValueTag.some.rawValue)
            try self.value(inner, into: &writer, global: global, depth: depth + 1)
        case .array(let elements):
            writer.byte(ValueTag.array.rawValue)
            try writer.count(elements.count)
            for element in elements { try self.value(element, into: &writer, global: global, depth: depth + 1) }
        case .dictionary(let dictionary):
            writer.byte(ValueTag.dictionary.rawValue)
            try writer.count(dictionary.count)
            for (key, element) in zip(dictionary.keys, dictionary.values) {
                try self.value(key.value, into: &writer, global: global, depth: depth + 1)
                try self.value(element, into: &writer, global: global, depth: depth + 1)
            }
        case .tuple(let elements):
            writer.byte(ValueTag.tuple.rawValue)
            try writer.count(elements.count)
            for element in elements {
                try writer.optionalString(element.label)
                try self.value(element.value, into: &writer, global: global, depth: depth + 1)
            }
        case .range(let range):
            writer.byte(ValueTag.range.rawValue)
            writer.bool(range.isClosed)
            for bound in [range.lower, range.upper] {
                writer.bool(bound != nil)
                if let bound { writer.int(bound) }
            }
        case .function(let function):
            throw .unsupported("global '\(global)' holds a function ('\(function.name)'); functions and closures cannot be saved")
        case .builtin(let function):
            guard let name = function.globalName, case .builtin = builtins.lookup(name) else {
                throw .unsupported("global '\(global)' holds the bound method '\(function.name)'; "
                                   + "only global built-in functions can be saved")
            }
            writer.byte(ValueTag.builtin.rawValue)
            try writer.string(name)
        case .enumCase(let name):
            writer.byte(ValueTag.enumCase.rawValue)
            try writer.string(name)
        case .object(let object):
            let id = try reference(object, global: global)
            writer.byte(ValueTag.object.rawValue)
            writer.u32(id)
        }
    }
}
