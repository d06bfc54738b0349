/// An object that can remember how it was computed (a tensor's autodiff graph), which keeps
/// every intermediate value of the computation alive. The language core knows only that the
/// record exists and can be dropped; what it is belongs to the library.
public protocol HistoryHoldingObject: ScriptObject {
    /// Drops the record of how the object was computed; its value stays.
    func forgetHistory()
}

extension BuiltinRegistry {
    /// Declares that the global function `name` reads how values were computed (it
    /// differentiates them), so a session must keep histories while a later cell may call it.
    public mutating func readsHistory(_ name: String) {
        historyReaders.insert(name)
    }

    /// How the library runs a cell with histories recorded or not (`Session.recordsHistory`):
    /// `bind(on, body)` runs `body` with the library's own switch set to `on`.
    public mutating func bindHistoryRecording(_ bind: @escaping (Bool, () -> Void) -> Void) {
        historyBinders.append(bind)
    }
}

extension Session {
    /// Runs `body` with every library's history recording set to `recordsHistory` (on the
    /// calling thread: the libraries' switches are thread-local outside tasks).
    func withHistoryRecording(_ body: @escaping () -> Void) {
        let on = recordsHistory
        historyBinders.reduce(body) { inner, bind in { bind(on, inner) } }()
    }

    /// Drops what every value the globals hold remembers of how it was computed (tensors'
    /// autodiff graphs), which frees the intermediate values those records keep alive. Values
    /// stay; a later `gradients(of:wrt:)` through one of them is refused with an error. Call it
    /// between cells, when no cell to come reads histories (`readsHistory`).
    public func forgetHistories() {
        var seen = Set<ObjectIdentifier>()
        Value.forEachObject(in: globalScope.allSlots.values.map(\.value)) { object in
            if let holder = object as? any HistoryHoldingObject, seen.insert(ObjectIdentifier(holder as AnyObject)).inserted {
                holder.forgetHistory()
            }
            return true
        }
    }

    /// Whether `program` names a function that reads how values were computed
    /// (`BuiltinRegistry.readsHistory`) anywhere, closures and nested functions included. A
    /// mention is enough (the name may be passed around before it is called), so the answer
    /// errs on the side of keeping histories.
    public func readsHistory(_ program: CellProgram) -> Bool {
        guard !historyReaders.isEmpty else { return false }
        var finder = NameMentions(names: historyReaders)
        finder.walk(program.statements)
        return finder.found
    }

    /// `readsHistory` for a single expression (a check, an inline value).
    public func readsHistory(_ expression: Expression) -> Bool {
        guard !historyReaders.isEmpty else { return false }
        var finder = NameMentions(names: historyReaders)
        finder.walk(expression)
        return finder.found
    }
}

/// Whether a tree mentions one of `names` as an identifier or a member.
private struct NameMentions: ASTWalker {
    let names: Set<String>
    var found = false

    mutating func visitExpression(_ expression: Expression) {
        switch expression.kind {
        case .identifier(let name), .member(_, let name), .implicitMember(let name):
            if names.contains(name) { found = true }
        default: break
        }
    }

    mutating func bindFunction(_ name: String) {
        if names.contains(name) { found = true }
    }
}
