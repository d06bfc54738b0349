/// An object a saved session can hold. The type writes its own table entry and reads it back;
/// the codec (`StateEncoder`, `StateDecoder`) knows only this protocol and the types a
/// session's libraries registered (`BuiltinRegistry.archive(_:)`), so a new kind of object is
/// a conformance and a registration, never an edit of the codec.
protocol ArchivableObject: ScriptObject, AnyObject {
    /// The entry's tag in the object table: unique among the registered types, never 1 (the
    /// autodiff variables the codec writes itself) and never reused for another layout.
    static var archiveTag: UInt8 { get }
    /// Writes the entry after its tag. Objects and variables it holds are written first, as
    /// their own entries, through `encoder.reference`; the entry refers to them by index.
    func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError)
    /// Reads an entry back (after its tag); `what` names it in errors. References resolve
    /// through `decoder` to entries read before it.
    static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                          what: String) throws(SessionStateError) -> Self
}

/// The object types a session can save, by tag.
struct ObjectArchives {
    private(set) var types: [UInt8: any ArchivableObject.Type] = [:]

    /// Adds `type`; a tag already taken (two libraries disagreeing) keeps its first type.
    mutating func register(_ type: any ArchivableObject.Type) {
        let tag = type.archiveTag
        guard tag != EntryTag.variable.rawValue, types[tag] == nil else { return }
        types[tag] = type
    }

    mutating func merge(_ other: ObjectArchives) {
        for type in other.types.values { register(type) }
    }

    /// Whether `object` is of a type registered here.
    func archivable(_ object: any ScriptObject) -> (any ArchivableObject)? {
        guard let archivable = object as? any ArchivableObject,
              types[type(of: archivable).archiveTag] == type(of: archivable) else { return nil }
        return archivable
    }
}
