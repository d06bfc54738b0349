import Digests

/// What a cell may change without naming it: the objects a global reaches (a model trained in
/// place) and a library's state (its random generator). Each is fingerprinted by the bytes the
/// session codec writes for it, so "changed" means exactly "would be saved differently".
enum Fingerprint: Equatable {
    case known(UInt64)
    /// It cannot be saved (an unregistered object): any cell that touched a library may have changed it.
    case unknown

    func differs(from other: Fingerprint?) -> Bool {
        guard case .known(let mine) = self, case .known(let theirs)? = other else { return true }
        return mine != theirs
    }
}

extension Session {
    /// Fingerprints of every global that reaches an object (only `names`, when given) and of
    /// each library's state (`#` + its kind; with `names`, none).
    func fingerprints(of names: Set<String>? = nil) -> [String: Fingerprint] {
        var result: [String: Fingerprint] = [:]
        for (name, slot) in globalScope.allSlots where names?.contains(name) ?? true {
            guard Self.reachesObject(slot.value) else { continue }
            result[name] = fingerprint { (writer: inout StateWriter, encoder: StateEncoder) throws(SessionStateError) in
                try encoder.value(slot.value, into: &writer, global: name)
            }
        }
        guard names == nil else { return result }
        for holder in stateHolders {
            guard let archiving = holder as? any SessionStateArchiving else { continue }
            if let parted = archiving as? any SessionStateParts {
                for part in parted.partNames {
                    result[CellDataFlow.libraryPrefix + parted.archiveKind + "." + part] = fingerprint {
                        (writer: inout StateWriter, encoder: StateEncoder) throws(SessionStateError) in
                        try parted.exportPart(part, into: &writer, encoder: encoder)
                    }
                }
                continue
            }
            result[CellDataFlow.libraryPrefix + archiving.archiveKind] = fingerprint {
                (writer: inout StateWriter, encoder: StateEncoder) throws(SessionStateError) in
                try archiving.exportState(into: &writer, encoder: encoder)
            }
        }
        return result
    }

    /// A checksum of what `write` writes with an encoder of its own: the numbering of the
    /// object table then depends only on what is written, never on what else the session holds.
    private func fingerprint(_ write: (inout StateWriter, StateEncoder) throws(SessionStateError) -> Void) -> Fingerprint {
        let encoder = StateEncoder(stateHolders: stateHolders, archives: archives, builtins: builtinScope,
                                   digestingTable: true)
        var body = StateWriter()
        do {
            try write(&body, encoder)
        } catch {
            return .unknown
        }
        return .known(Checksum64.combine(encoder.tableDigest ?? 0, Checksum64.of(body.data)))
    }

    /// The library-state pseudo-globals any call into a library reads: those of libraries
    /// whose state has no parts (the others record their reads themselves).
    var libraryStateNames: [String] {
        stateHolders.compactMap { holder in
            guard let archiving = holder as? any SessionStateArchiving, !(holder is any SessionStateParts) else { return nil }
            return CellDataFlow.libraryPrefix + archiving.archiveKind
        }
    }

    /// Whether `value` holds an object anywhere.
    static func reachesObject(_ value: Value) -> Bool {
        var found = false
        Value.forEachObject(in: [value]) { _ in
            found = true
            return false
        }
        return found
    }
}

extension Session {
    /// The fingerprints of the session as it stands after its last cell (the known ones), to
    /// keep beside a saved state so the session it is read into need not compute them again.
    public var savedFingerprints: [String: UInt64] {
        (fingerprintsBeforeCell ?? [:]).compactMapValues { fingerprint in
            if case .known(let value) = fingerprint { return value }
            return nil
        }
    }

    /// Takes the fingerprints kept with the state just imported (`savedFingerprints` of the
    /// session that saved it). A name left out counts as changed by the next library call,
    /// which errs towards running more.
    public func adoptFingerprints(_ saved: [String: UInt64]) {
        guard !saved.isEmpty else { return }
        fingerprintsBeforeCell = saved.mapValues { .known($0) }
    }
}
