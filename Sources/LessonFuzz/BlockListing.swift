import Foundation
import Notebook

/// `--blocks`: the lesson's blocks as the parser sees them, to shrink a finding by hand.
enum BlockListing {
    static func print(_ input: FuzzInput) {
        guard let text = String(validating: input.lesson, as: UTF8.self) else {
            Console.say("the lesson is not UTF-8")
            return
        }
        let document = NotebookParser.parse(text: text, file: FuzzInput.lessonName)
        Console.say("allow-raw-html: \(document.allowRawHTML), \(document.cells.count) cells, \(document.exercises.count) exercises")
        for block in document.blocks {
            switch block {
            case .prose(let prose):
                Console.say("prose \(prose.lines): \(prose.source.prefix(120).debugDescription)")
            case .cell(let cell):
                Console.say("cell \(cell.index) fence line \(cell.fenceLine) info \(cell.info.debugDescription): "
                            + cell.source.prefix(120).debugDescription)
            }
        }
        for warning in document.warnings { Console.say("warning: \(warning.description)") }
    }
}
