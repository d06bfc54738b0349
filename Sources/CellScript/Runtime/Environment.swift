/// A scope: its names and the scope around it. A class, so closures capture
/// scopes by reference and see later changes, as Swift closures do.
final class Environment {
    struct Slot {
        var value: Value
        var isConstant: Bool
        /// A `var x: Int?` remembers it holds an optional, so `x = 5` stores `Optional(5)`.
        var isOptional: Bool

        /// Whether freeing the value could free other scopes (a closure, or a collection that
        /// could hold one).
        var mayHoldScopes: Bool {
            switch value {
            case .function, .array, .dictionary, .tuple, .optional(.some), .object: return true
            case .int, .double, .bool, .string, .optional(nil), .range, .builtin, .enumCase: return false
            }
        }
    }

    /// Never changed once made; a `var` only so that `deinit` can hand it to the `ReleaseQueue`.
    private(set) var parent: Environment?
    /// The session's global scope lets a cell re-declare a name (re-running a cell is common).
    let allowsRedeclaration: Bool
    private var slots: [String: Slot] = [:]
    /// Set on the session's global scope while a cell runs: every lookup that reaches this
    /// scope and every change of its names is recorded.
    var recorder: DataFlowRecorder?

    init(parent: Environment?, allowsRedeclaration: Bool = false) {
        self.parent = parent
        self.allowsRedeclaration = allowsRedeclaration
    }

    /// The names and the parent go to the thread's `ReleaseQueue`, so a long chain of scopes
    /// kept by closures is freed in a loop, not by recursion.
    deinit {
        // Most scopes hold plain values and a parent that lives on: nothing to chain through.
        var parentLivesOn = true
        if var scope = parent {
            parent = nil
            parentLivesOn = !isKnownUniquelyReferenced(&scope)
            parent = scope
        }
        guard !parentLivesOn || slots.values.contains(where: \.mayHoldScopes) else { return }
        ReleaseQueue.current.take(&slots, &parent)
    }

    /// Declares `name` in this scope. Swift forbids declaring a name twice in one
    /// local scope; shadowing an outer name is fine.
    func declare(_ name: String, _ value: Value, isConstant: Bool, isOptional: Bool = false,
                 at location: SourceLocation) throws {
        if name == "_" { return }
        if !allowsRedeclaration, slots[name] != nil {
            throw ScriptError("invalid redeclaration of '\(name)'", at: location)
        }
        slots[name] = Slot(value: value, isConstant: isConstant, isOptional: isOptional)
        recorder?.write(name)
    }

    /// Defines without the redeclaration check (built-ins, parameters, loop variables).
    func define(_ name: String, _ value: Value, isConstant: Bool = true) {
        slots[name] = Slot(value: value, isConstant: isConstant, isOptional: false)
        recorder?.write(name)
    }

    func lookup(_ name: String) -> Value? {
        var scope: Environment? = self
        while let current = scope {
            current.recorder?.read(name)
            if let slot = current.slots[name] { return slot.value }
            scope = current.parent
        }
        return nil
    }

    /// The slot `name` resolves to, for assignment and in-place mutation.
    func slot(_ name: String) -> Slot? {
        var scope: Environment? = self
        while let current = scope {
            if let slot = current.slots[name] { return slot }
            scope = current.parent
        }
        return nil
    }

    /// Assigns to an existing variable; a `let` or an unknown name is an error at `location`.
    func assign(_ name: String, _ value: Value, at location: SourceLocation) throws {
        var scope: Environment? = self
        while let current = scope {
            if let slot = current.slots[name] {
                if slot.isConstant {
                    throw ScriptError("'\(name)' is a let constant and cannot be changed", at: location)
                }
                var stored = value
                if slot.isOptional, case .optional = value {} else if slot.isOptional {
                    stored = .optional(value)
                }
                current.slots[name]?.value = stored
                current.recorder?.write(name)
                return
            }
            scope = current.parent
        }
        throw ScriptError("cannot find '\(name)' in scope", at: location)
    }

    func hasSlot(_ name: String) -> Bool { slots[name] != nil }

    /// This scope's own names and slots (not its parents'), for a session snapshot.
    var allSlots: [String: Slot] { slots }

    /// Replaces this scope's names and slots with a snapshot's.
    func replaceAllSlots(with saved: [String: Slot]) {
        slots = saved
    }

    fileprivate func mutateOwnSlot(_ name: String, at location: SourceLocation,
                                   _ transform: (inout Value) throws -> Void) throws {
        guard var slot = slots[name] else { return }
        if slot.isConstant {
            throw ScriptError("'\(name)' is a let constant and cannot be changed", at: location)
        }
        // Detach the stored value so `slot.value` is its only reference and mutates in place.
        slots[name]?.value = .void
        defer { slots[name] = slot }
        try transform(&slot.value)
        if slot.isOptional, !slot.value.isOptionalValue {
            slot.value = .optional(slot.value)
        }
    }

    /// Every name visible from this scope, nearest first (for "did you mean" notes).
    var visibleNames: [String] {
        var names: [String] = []
        var scope: Environment? = self
        while let current = scope {
            names.append(contentsOf: current.slots.keys.sorted())
            scope = current.parent
        }
        return names
    }
}

extension Environment {
    /// Changes a variable in place (no copy of a big array), enforcing `let`.
    func mutate(_ name: String, at location: SourceLocation, _ transform: (inout Value) throws -> Void) throws {
        var scope: Environment? = self
        while let current = scope {
            if current.hasSlot(name) {
                current.recorder?.read(name)
                current.recorder?.write(name)
                try current.mutateOwnSlot(name, at: location, transform)
                return
            }
            scope = current.parent
        }
        throw ScriptError("cannot find '\(name)' in scope", at: location)
    }
}
