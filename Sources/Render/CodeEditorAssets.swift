import Foundation

/// The code editor the served page uses to edit cells: CodeMirror 5 from Debian's
/// `libjs-codemirror` (its core, the Swift mode, bracket matching and closing), inlined into
/// the page so it works offline. Without the package the page edits in a plain text area and
/// says so once.
public struct CodeEditorAssets: Sendable, Equatable {
    public let script: String
    public let style: String

    /// Where Debian installs CodeMirror.
    public static let debianFolder = "/usr/share/javascript/codemirror"

    /// The files, in the order they must load.
    static let scripts = ["lib/codemirror.js", "mode/swift/swift.js", "addon/edit/matchbrackets.js",
                          "addon/edit/closebrackets.js"]

    public init(script: String, style: String) {
        self.script = script
        self.style = style
    }

    /// The folder to read: `$LESSON_CODEMIRROR` when set (another install, or none), else Debian's.
    public static var folder: String {
        ProcessInfo.processInfo.environment["LESSON_CODEMIRROR"] ?? debianFolder
    }

    /// Reads CodeMirror from `folder`; nil when any file is missing or unreadable.
    public static func load(from folder: String = folder) -> CodeEditorAssets? {
        let base = URL(fileURLWithPath: folder, isDirectory: true)
        var script = ""
        for name in scripts {
            guard let text = try? String(contentsOf: base.appendingPathComponent(name), encoding: .utf8) else { return nil }
            script += text + "\n;\n"
        }
        guard let style = try? String(contentsOf: base.appendingPathComponent("lib/codemirror.css"), encoding: .utf8) else {
            return nil
        }
        // Inlined, so the text must not end its own element early.
        return CodeEditorAssets(script: script.replacingOccurrences(of: "</script", with: "<\\/script"),
                                style: style.replacingOccurrences(of: "</style", with: "<\\/style"))
    }
}
