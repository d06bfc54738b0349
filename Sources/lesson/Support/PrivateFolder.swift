import Foundation

/// A new folder only this user can enter (mode 0700), under a name nobody can guess ahead
/// (`mkdtemp`), in the temporary folder: for files that must not be read, replaced or
/// planted by other users of the machine.
struct PrivateFolder {
    let url: URL

    /// - Parameter prefix: the start of the folder's name, e.g. `lesson-grade`.
    /// - Throws: `CocoaError(.fileWriteUnknown)` naming the reason when it cannot be made.
    init(prefix: String) throws {
        var template = Array(FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-XXXXXXXX").path.utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else {
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSLocalizedDescriptionKey: "cannot make a private temporary folder: \(String(cString: strerror(errno)))",
            ])
        }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        url = URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Deletes the folder and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
