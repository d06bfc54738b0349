import Foundation

/// Library state that can be written to bytes and read back in another process, so a
/// saved session carries it (`Session.exportState()`). A library's `SessionStateHolder`
/// adopts it to take part; a session whose holders do not all adopt it cannot be saved.
package protocol SessionStateArchiving: SessionStateHolder {
    /// Tells this kind of holder from others in a saved session (checked on import).
    var archiveKind: String { get }

    /// Writes the state; objects and variables go through `encoder` so they keep their identity.
    func exportState(into writer: inout StateWriter, encoder: StateEncoder) throws(SessionStateError)

    /// Reads what `exportState` wrote, without changing anything yet: the result applies it,
    /// and is called only once the whole saved session has been read.
    func importState(from reader: inout StateReader, decoder: StateDecoder) throws(SessionStateError) -> () -> Void
}

/// A library state saved in parts that change separately (the model API's generator,
/// variables and vocabulary): the data flow fingerprints each part on its own, as
/// `#kind.part`, and the library records reads with `LibraryState.read(kind, part)`.
package protocol SessionStateParts: SessionStateArchiving {
    var partNames: [String] { get }
    /// Writes one part as `exportState` writes it (for its fingerprint only).
    func exportPart(_ part: String, into writer: inout StateWriter, encoder: StateEncoder) throws(SessionStateError)
}

/// The saved-session format, version 2 (1 did not say which variables had been computed, nor a
/// configuration's precision). All integers little-endian.
///
///     magic "LSNSTATE" (8 bytes), version u32 = 1
///     object table: count u32, then entries, each after every entry it refers to
///       (tags in `EntryTag`; a reference is an entry's index as u32)
///     globals: count u32, then per global: name, flags u8 (1 = let, 2 = declared optional), value
///     library state: count u32, then per registered holder: kind string, its own payload
///
/// A string is a u32 byte count and UTF-8 bytes; a tensor is a u32 rank, u32 extents and the
/// scalars as raw little-endian Float32 (or Int32 for ids); a value is a `ValueTag` byte and
/// its payload. Nothing may follow the last holder.
enum SessionStateFormat {
    static let magic = Array("LSNSTATE".utf8)
    static let version: UInt32 = 2
}

extension Session {
    /// Globals and everything they reach, plus every library's state, as bytes that
    /// `importState(_:)` reads back, in this process or another.
    ///
    /// Objects keep their identity: a `Variable` held by a model, a cell and an array of
    /// `trainableVariables()` is one variable again after import. Autodiff history is not
    /// saved: a computed tensor comes back holding its value and marked as computed, so
    /// `gradients(of:wrt:)` through it is refused with an error instead of giving zeros.
    /// Call it between cells, not while one runs. The bytes are deterministic: saving the
    /// same state (or a session restored from it) gives the same bytes.
    /// - Throws: `SessionStateError.unsupported` naming the global that holds a function,
    ///   a closure, a bound method or an object of a type the format does not know, or when
    ///   a library's state cannot be saved.
    public func exportState() throws(SessionStateError) -> Data {
        Data(try exportState(keepingLargeArraysApart: false).bytes)
    }

    /// `exportState()`, with every array of 64 KB or more (tensors, id lists) kept apart as a
    /// blob named by its checksum instead of inline: the state holds only the blobs' ids, and
    /// the blobs share the arrays' storage (nothing is copied). A store that keeps blobs by id
    /// keeps a tensor held by many states once; `importState(bytes:blobs:)` reads them back.
    public func exportState(keepingLargeArraysApart: Bool) throws(SessionStateError) -> ExportedState {
        let collector = keepingLargeArraysApart ? StateBlobCollector() : nil
        let encoder = StateEncoder(stateHolders: stateHolders, archives: archives, builtins: builtinScope, blobs: collector)
        var body = StateWriter(blobs: collector)
        let globals = globalScope.allSlots.sorted { $0.key < $1.key }
        try body.count(globals.count)
        for (name, slot) in globals {
            try body.string(name)
            body.byte((slot.isConstant ? 1 : 0) | (slot.isOptional ? 2 : 0))
            try encoder.value(slot.value, into: &body, global: name)
        }
        try body.count(stateHolders.count)
        for holder in stateHolders {
            guard let archiving = holder as? any SessionStateArchiving else {
                throw .unsupported("the library state \(type(of: holder)) cannot be saved")
            }
            try body.string(archiving.archiveKind)
            try archiving.exportState(into: &body, encoder: encoder)
        }
        var out = StateWriter()
        for byte in SessionStateFormat.magic { out.byte(byte) }
        out.u32(SessionStateFormat.version)
        try out.count(encoder.tableCount)
        out.append(encoder.table)
        out.append(body)
        return ExportedState(bytes: [UInt8](out.data), blobs: collector?.blobs ?? [])
    }

    /// Replaces this session's globals and library state with those `exportState()` saved.
    /// The session must have the same libraries registered, in the same order. Nothing
    /// changes unless the whole input reads correctly.
    /// - Throws: `SessionStateError.malformed` for bytes that are not a saved session
    ///   (wrong magic or version, truncated, an unknown tag, a length or reference out of
    ///   range, objects that do not fit together, other libraries); `.unsupported` when
    ///   the data a library had read can no longer be read.
    public func importState(_ data: Data) throws(SessionStateError) {
        try importState(bytes: Array(data))
    }

    /// `importState(_:)` on bytes already in an array (a state read from the cache), with the
    /// blobs of a state exported with its large arrays apart read from `blobs`.
    public func importState(bytes: [UInt8], blobs: (any StateBlobSource)? = nil) throws(SessionStateError) {
        var reader = StateReader(bytes, blobs: blobs)
        for expected in SessionStateFormat.magic {
            guard try reader.byte("the magic") == expected else { throw .malformed("this is not a saved session (wrong magic)") }
        }
        let version = try reader.u32("the version")
        guard version == SessionStateFormat.version else {
            throw .malformed("saved session version \(version); this program reads version \(SessionStateFormat.version)")
        }
        let decoder = StateDecoder(stateHolders: stateHolders, archives: archives, builtins: builtinScope)
        try decoder.readTable(&reader)
        let count = try reader.count("the globals", minimumSize: 6)
        var slots: [String: Environment.Slot] = [:]
        for _ in 0..<count {
            let name = try reader.string("a global's name")
            let flags = try reader.byte("the flags of '\(name)'")
            guard flags < 4, slots[name] == nil else { throw .malformed("global '\(name)' has bad flags or appears twice") }
            let value = try decoder.value(&reader)
            slots[name] = Environment.Slot(value: value, isConstant: flags & 1 != 0, isOptional: flags & 2 != 0)
        }
        let holderCount = try reader.count("the library states", minimumSize: 4)
        guard holderCount == stateHolders.count else {
            throw .malformed("saved with \(holderCount) library states, but this session has \(stateHolders.count)")
        }
        var appliers: [() -> Void] = []
        for holder in stateHolders {
            let kind = try reader.string("a library state's kind")
            guard let archiving = holder as? any SessionStateArchiving, archiving.archiveKind == kind else {
                throw .malformed("saved library state '\(kind)' does not match this session's libraries")
            }
            appliers.append(try archiving.importState(from: &reader, decoder: decoder))
        }
        guard reader.remaining == 0 else { throw .malformed("\(reader.remaining) unexpected bytes after the saved session") }
        globalScope.replaceAllSlots(with: slots)
        for apply in appliers { apply() }
        fingerprintsBeforeCell = nil
    }
}
