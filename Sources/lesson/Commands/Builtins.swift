import ArgumentParser
import CellScript
import ModelAPI

/// `lesson builtins`: the functions cells can call, from their declarations.
struct Builtins: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the built-in functions cells can call, with their Swift signatures.",
        discussion: """
            Prints each declared built-in (the model API and help) as Swift would declare it, \
            grouped by topic, with one line on what it does: the same declarations that check \
            a cell's calls when it runs and in `lesson check`. Give names to see only those. \
            In a cell, help(ptbIterator) prints the same. The standard library (print, min, max, \
            zip, stride, the math functions) and ModelConfig(...) read their own arguments and \
            are described in the README.
            """)

    @ArgumentParser.Argument(help: ArgumentHelp("Names of built-ins to show (all when none).", valueName: "name"))
    var names: [String] = []

    func run() throws {
        let signatures = NotebookCheck.signatures
        let known = Set(signatures.map(\.name))
        let unknown = names.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw ValidationError("no built-in named \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
                                  + "`lesson builtins` lists them all")
        }
        Console.line(String(Self.listing(signatures, only: Set(names)).dropLast()))
    }

    /// The listing: topics in declaration order, each with its signatures and summaries.
    static func listing(_ signatures: [BuiltinSignature], only names: Set<String> = []) -> String {
        var topics: [String] = []
        var byTopic: [String: [BuiltinSignature]] = [:]
        for signature in signatures where names.isEmpty || names.contains(signature.name) {
            if byTopic[signature.topic] == nil { topics.append(signature.topic) }
            byTopic[signature.topic, default: []].append(signature)
        }
        var text = ""
        for topic in topics {
            if !text.isEmpty { text += "\n" }
            text += "\(topic.isEmpty ? "Other" : topic)\n"
            for signature in byTopic[topic] ?? [] {
                text += "  \(signature.declaration)\n      \(signature.summary)\n"
            }
        }
        return text
    }
}
