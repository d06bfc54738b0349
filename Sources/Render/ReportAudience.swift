/// Who a report is for. One lesson source gives both: the instructor's report shows everything,
/// the student's hides the solutions.
public enum ReportAudience: Equatable, Sendable {
    /// Every cell with its source and outputs; solution cells collapsed under "Solution
    /// (exercise N)", with their checks marked passed or failed.
    case instructor
    /// Solution cells replaced by an exercise: its number and label, the checks the code must
    /// satisfy, and an empty code area. Nothing a solution wrote or computed is shown in its place.
    case student
}
