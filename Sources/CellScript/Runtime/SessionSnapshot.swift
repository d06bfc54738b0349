/// An object whose state later cells can change in place (a variable's value, an
/// iterator's position, a model's weights). A session snapshot asks it for a closure
/// that puts the current state back.
package protocol StatefulObject: AnyObject {
    /// Captures the current state; calling the result restores it.
    func saveState() -> () -> Void
}

/// State a library keeps for a session outside the globals (the model API's random
/// generator and variable list). Registered with `BuiltinRegistry.keepState(_:)`.
/// To be saved to disk with `Session.exportState()` a holder also adopts
/// `SessionStateArchiving` (`SessionState/SessionState.swift`).
public protocol SessionStateHolder: AnyObject {
    /// Captures the current state; calling the result restores it.
    func saveState() -> () -> Void
}

/// A session as it was at one moment: every global binding, the in-place state of
/// every object reachable from them, and the libraries' own state. Restoring it undoes
/// whatever cells ran since, as `lesson step`'s "back" needs.
///
/// Held in memory: tensors are copy-on-write, so a snapshot costs only the values that
/// later cells change (training a model copies its weights once).
/// Closures keep the scopes they captured; a local scope a closure changes later is not
/// rolled back.
public struct SessionSnapshot {
    let globals: [String: Environment.Slot]
    let restorers: [() -> Void]
}

extension Session {
    /// Captures the session's state; see `SessionSnapshot`.
    public func snapshot() -> SessionSnapshot {
        let globals = globalScope.allSlots
        var seen = Set<ObjectIdentifier>()
        var restorers = stateHolders.map { $0.saveState() }
        Value.forEachObject(in: globals.values.map(\.value)) { object in
            if let stateful = object as? any StatefulObject, seen.insert(ObjectIdentifier(stateful)).inserted {
                restorers.append(stateful.saveState())
            }
            return true
        }
        return SessionSnapshot(globals: globals, restorers: restorers)
    }

    /// Binds every global name as `snapshot` had it, except the names in `kept`, which keep
    /// their binding now; names bound since and not kept are gone. Objects' in-place state is
    /// left as it is now (a model trained since stays trained), unlike `restore`.
    public func restoreBindings(from snapshot: SessionSnapshot, keeping kept: Set<String>) {
        var slots = snapshot.globals
        let now = globalScope.allSlots
        for name in kept {
            slots[name] = now[name]
        }
        globalScope.replaceAllSlots(with: slots)
        fingerprintsBeforeCell = nil
    }

    /// Puts the session back as it was when `snapshot` was taken: names bound since are
    /// gone, changed values and objects are as they were.
    public func restore(_ snapshot: SessionSnapshot) {
        globalScope.replaceAllSlots(with: snapshot.globals)
        fingerprintsBeforeCell = nil
        // Libraries first, so an object restored later wins where both hold the same variable.
        for restore in snapshot.restorers { restore() }
    }
}
