// numpy's text form of arrays: `repr()` (`array([1., 2.], dtype=float32)`) and
// `str()` (`[1. 2.]`), with numpy 2.x default print options. Notebooks print
// tensors the way the tutorial's numpy code printed them, character for
// character, so these follow numpy's arrayprint rules exactly:
//   - more than 1000 elements: only 3 items at each end of every axis, with
//     `...` between (and `shape=(...)` added to the repr);
//   - rows wrap at 75 columns, continuation lines indented under the first
//     element (one space per open bracket, plus 6 for `array(`);
//   - blocks of a rank-k array are separated by k-1 line breaks.
// Element text comes from `FloatElementFormat` / `IntElementFormat`.

extension Tensor: CustomStringConvertible {
    /// numpy's `repr()` of this tensor as a float32 array, e.g.
    /// `array([[1., 2.],\n       [3., 4.]], dtype=float32)`.
    public var description: String {
        NumpyText.repr(shape: shape, dtype: "float32", makeElementText: elementText)
    }

    /// numpy's `str()` of this tensor as a float32 array, e.g. `[[1. 2.]\n [3. 4.]]`;
    /// a rank-0 tensor prints as numpy prints the scalar (`8.0`).
    public var numpyString: String {
        shape.isEmpty ? FloatText.scalarString(scalars[0]) : NumpyText.str(shape: shape, makeElementText: elementText)
    }

    /// Element text in the one format numpy picks for the elements `layout` prints.
    private func elementText(for layout: ArrayLayout) -> ElementText {
        let format = FloatElementFormat(layout.shownIndices().map { scalars[$0] })
        return { [scalars] in format.format(scalars[$0]) }
    }
}

extension IntTensor: CustomStringConvertible {
    /// numpy's `repr()` of this tensor as an int32 array, e.g.
    /// `array([1, 2, 3], dtype=int32)` (the dtype shows: numpy's default is int64).
    public var description: String {
        NumpyText.repr(shape: shape, dtype: "int32", makeElementText: elementText)
    }

    /// numpy's `str()` of this tensor as an int32 array, e.g. `[1 2 3]`.
    public var numpyString: String {
        shape.isEmpty ? String(scalars[0]) : NumpyText.str(shape: shape, makeElementText: elementText)
    }

    /// Element text right-aligned to the widest id `layout` prints.
    private func elementText(for layout: ArrayLayout) -> ElementText {
        let format = IntElementFormat(layout.shownIndices().map { scalars[$0] })
        return { [scalars] in format.format(scalars[$0]) }
    }
}

/// Builds the text of one element from its flat (row-major) index.
typealias ElementText = (Int) -> String

enum NumpyText {
    /// numpy's `linewidth` print option.
    static let lineWidth = 75

    /// `array(<body>, [shape=...,] dtype=...)`. `makeElementText` sees the
    /// layout first, because the element format depends on what is printed.
    static func repr(shape: [Int], dtype: String, makeElementText: (ArrayLayout) -> ElementText) -> String {
        let layout = ArrayLayout(shape: shape)
        let prefix = "array("
        let body = layout.isEmpty
            ? "[]"
            : layout.render(separator: ", ", prefix: prefix, suffix: ")", element: makeElementText(layout))
        var extras: [String] = []
        if (layout.isEmpty && shape != [0]) || layout.isSummarized {
            extras.append("shape=" + pythonTuple(shape))
        }
        extras.append("dtype=" + dtype)
        let head = prefix + body + ","
        let tail = extras.joined(separator: ", ") + ")"
        // The extras move to their own line, aligned under `array(`, rather than overflow it.
        let lastLine = head.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        let spacer = lastLine.count + tail.count + 1 > lineWidth
            ? "\n" + String(repeating: " ", count: prefix.count)
            : " "
        return head + spacer + tail
    }

    /// The bracketed body alone, space-separated, for rank 1 and up.
    static func str(shape: [Int], makeElementText: (ArrayLayout) -> ElementText) -> String {
        let layout = ArrayLayout(shape: shape)
        if layout.isEmpty { return "[]" }
        return layout.render(separator: " ", prefix: "", suffix: "", element: makeElementText(layout))
    }

    /// Python's tuple repr: `()`, `(5,)`, `(2, 3)`.
    static func pythonTuple(_ values: [Int]) -> String {
        if values.count == 1 { return "(\(values[0]),)" }
        return "(" + values.map(String.init).joined(separator: ", ") + ")"
    }
}

/// Which elements of a shape numpy prints, and how it brackets and wraps them.
struct ArrayLayout {
    /// numpy's `threshold`: arrays with more elements than this are summarised.
    static let threshold = 1000
    /// numpy's `edgeitems`: items kept at each end of a summarised axis.
    static let edgeItems = 3

    let shape: [Int]
    private let strides: [Int]
    let isEmpty: Bool
    let isSummarized: Bool

    init(shape: [Int]) {
        self.shape = shape
        strides = Shape.strides(shape)
        let count = Shape.count(shape)
        isEmpty = count == 0
        isSummarized = count > Self.threshold
    }

    /// Indices along `axis` that are printed; `nil` stands for the `...` gap.
    func positions(along axis: Int) -> [Int?] {
        let extent = shape[axis]
        guard isSummarized, extent > 2 * Self.edgeItems else { return Array(0..<extent) }
        return Array(0..<Self.edgeItems) + [nil] + Array(extent - Self.edgeItems..<extent)
    }

    /// Flat indices of the printed elements, in row-major order.
    func shownIndices() -> [Int] {
        var indices: [Int] = []
        func visit(axis: Int, offset: Int) {
            guard axis < shape.count else { return indices.append(offset) }
            for case let position? in positions(along: axis) {
                visit(axis: axis + 1, offset: offset + position * strides[axis])
            }
        }
        visit(axis: 0, offset: 0)
        return indices
    }

    /// The bracketed text. `prefix` (`array(`) and `suffix` (`)`) are not
    /// written here but take room: continuation lines are indented past the
    /// prefix, and the suffix must still fit on the last line.
    func render(separator: String, prefix: String, suffix: String, element: @escaping ElementText) -> String {
        let writer = BlockWriter(layout: self, strides: strides, separator: separator, element: element)
        let indent = String(repeating: " ", count: prefix.count + 1)
        return writer.block(axis: 0, offset: 0, indent: indent, width: NumpyText.lineWidth - suffix.count)
    }
}

/// numpy's `_formatArray`: one bracketed block per sub-array, recursively.
private struct BlockWriter {
    let layout: ArrayLayout
    let strides: [Int]
    let separator: String
    let element: ElementText

    /// The sub-array at `offset` from `axis` on. Its first line continues an
    /// existing line, later lines start with `indent`; `width` leaves room
    /// for the brackets that close after it.
    func block(axis: Int, offset: Int, indent: String, width: Int) -> String {
        guard axis < layout.shape.count else { return element(offset) }
        let body = axis == layout.shape.count - 1
            ? row(offset: offset, indent: indent, width: width)
            : rows(axis: axis, offset: offset, indent: indent, width: width)
        return "[" + body.dropFirst(indent.count) + "]"
    }

    /// The innermost axis: elements separated and wrapped to `width`.
    private func row(offset: Int, indent: String, width: Int) -> String {
        let axis = layout.shape.count - 1
        let positions = layout.positions(along: axis)
        let wordWidth = width - 1  // the "," or "]" after each element must fit too
        var text = ""
        var line = indent
        for (number, position) in positions.enumerated() {
            let word = position.map { element(offset + $0 * strides[axis]) } ?? "..."
            // A line holding only the indent never wraps: it would not help.
            if line.utf8.count + word.utf8.count > wordWidth && line.utf8.count > indent.utf8.count {
                text += line.trimmingTrailingSpaces + "\n"
                line = indent
            }
            line += word
            if number < positions.count - 1 { line += separator }
        }
        return text + line
    }

    /// An outer axis: one nested block per line, blank lines between blocks
    /// of rank 2 and up.
    private func rows(axis: Int, offset: Int, indent: String, width: Int) -> String {
        let positions = layout.positions(along: axis)
        let lineBreak = separator.trimmingTrailingSpaces
            + String(repeating: "\n", count: layout.shape.count - axis - 1)
        var text = ""
        for (number, position) in positions.enumerated() {
            let nested = position.map {
                block(axis: axis + 1, offset: offset + $0 * strides[axis], indent: indent + " ", width: width - 1)
            }
            text += indent + (nested ?? "...")
            if number < positions.count - 1 { text += lineBreak }
        }
        return text
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = Substring(self)
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
