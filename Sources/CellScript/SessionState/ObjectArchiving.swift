/// An object a saved session can hold. The type writes its own table entry and reads it back;
/// the codec (`StateEncoder`, `StateDecoder`) knows only this protocol and the tags a
/// session's libraries registered (`BuiltinRegistry.archive(_:)`), so a new kind of object is
/// a conformance and a registration, never an edit of the codec.
package protocol ArchivableObject: ScriptObject, AnyObject {
    /// The entry's tag in the object table, unique among the tags a session's libraries
    /// register, and never reused for another layout.
    static var archiveTag: UInt8 { get }
    /// Writes the entry after its tag. Objects and variables it holds are written first, as
    /// their own entries, through `encoder.reference`; the entry refers to them by index.
    func archive(into entry: inout StateWriter, encoder: StateEncoder, global: String) throws(SessionStateError)
    /// Reads an entry back (after its tag); `what` names it in errors. References resolve
    /// through `decoder` to entries read before it.
    static func unarchive(from reader: inout StateReader, decoder: StateDecoder,
                          what: String) throws(SessionStateError) -> Self
}

/// How the entries of a saved session's object table are read back, by tag: the object
/// types of the language's values (`ArchivableObject`) and other shared things a library
/// writes through `StateEncoder.reference(_:tag:write:)` (the model API's variables).
package struct ObjectArchives {
    /// Reads one entry after its tag; `what` names it in errors.
    package typealias EntryReader = (inout StateReader, StateDecoder, String) throws(SessionStateError) -> AnyObject

    private(set) var readers: [UInt8: EntryReader] = [:]
    /// The object type behind each tag registered through `register(_:)`.
    private var objectTypes: [UInt8: any ArchivableObject.Type] = [:]

    /// Adds `type`; a tag already taken (two libraries disagreeing) keeps its first reader.
    package mutating func register(_ type: any ArchivableObject.Type) {
        let tag = type.archiveTag
        guard readers[tag] == nil else { return }
        objectTypes[tag] = type
        readers[tag] = Self.reader(of: type)
    }

    private static func reader<Object: ArchivableObject>(of type: Object.Type) -> EntryReader {
        { (reader: inout StateReader, decoder: StateDecoder, what: String) throws(SessionStateError) -> AnyObject in
            let object: Object = try Object.unarchive(from: &reader, decoder: decoder, what: what)
            return object
        }
    }

    /// Adds a reader for entries a library writes itself under `tag`; a taken tag keeps its first reader.
    package mutating func register(tag: UInt8, read: @escaping EntryReader) {
        guard readers[tag] == nil else { return }
        readers[tag] = read
    }

    mutating func merge(_ other: ObjectArchives) {
        for (tag, read) in other.readers where readers[tag] == nil {
            readers[tag] = read
            objectTypes[tag] = other.objectTypes[tag]
        }
    }

    /// Whether `object` is of a type registered here.
    func archivable(_ object: any ScriptObject) -> (any ArchivableObject)? {
        guard let archivable = object as? any ArchivableObject,
              objectTypes[type(of: archivable).archiveTag] == type(of: archivable) else { return nil }
        return archivable
    }
}
