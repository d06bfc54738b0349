import Foundation
import Limits
import Testing
@testable import Tensor

/// Results sized by their inputs are checked against the memory budget before they are
/// allocated: a request far over the limit fails at once, with nothing allocated (a 40 GB
/// allocation would end the test process, so each of these tests fails by crashing on code
/// without the check).
@Suite struct MemoryBudgetTests {
    static let budget = MemoryBudget(limit: 1 << 30)

    private static func refusal(_ body: () throws -> Void) -> MemoryLimitError? {
        MemoryBudget.$current.withValue(budget) {
            do {
                try body()
                return nil
            } catch let error as MemoryLimitError {
                return error
            } catch {
                Issue.record("expected a MemoryLimitError, got \(error)")
                return nil
            }
        }
    }

    @Test func aHugeMatrixProductIsRefusedBeforeItIsAllocated() throws {
        let column = Tensor(zeros: [100_000, 1])
        let row = Tensor(zeros: [1, 100_000])
        let error = try #require(Self.refusal { _ = try Tensor.matmul(column, row) })
        #expect(error.bytes == 40_000_000_000)
        #expect(error.description == "matmul: the result of shape [100000, 100000] would need 40.0 GB; the limit is 1.1 GB")
    }

    @Test func aHugeBroadcastIsRefused() throws {
        let error = try #require(Self.refusal { _ = try Tensor(zeros: [100_000, 1]) + Tensor(zeros: [1, 100_000]) })
        #expect(error.what == "add: the broadcast result of shape [100000, 100000]")
    }

    @Test func hugeConcatenationsLookupsAndFillsAreRefused() throws {
        let piece = Tensor(zeros: [1000, 1000])
        #expect(Self.refusal { _ = try Tensor.concatenate(Array(repeating: piece, count: 400), axis: 0) } != nil)
        let table = Tensor(zeros: [10, 100_000])
        let ids = IntTensor(uncheckedShape: [10_000], scalars: Array(repeating: 0, count: 10_000))
        #expect(Self.refusal { _ = try table.gatherRows(ids) }?.bytes == 4_000_000_000)
        #expect(Self.refusal { _ = try Tensor.filled(1, shape: [50_000, 50_000]) } != nil)
    }

    @Test func whatFitsIsAllowedAndNoBudgetMeansNoLimit() throws {
        #expect(Self.refusal { _ = try Tensor.matmul(Tensor(zeros: [100, 10]), Tensor(zeros: [10, 100])) } == nil)
        _ = try Tensor.filled(0, shape: [1000, 1000])  // no budget bound on this thread
    }

    /// An extent of 0 makes the size 0, but loops multiply the other extents: those must fit.
    @Test func shapesWhoseOtherExtentsOverflowAreInvalid() throws {
        #expect(throws: TensorError.invalidShape([0, 4_294_967_295, 4_294_967_295])) {
            try Shape.validate([0, 4_294_967_295, 4_294_967_295])
        }
        #expect(throws: (any Error).self) { try Tensor(zeros: [0]).reshaped([0, 4_294_967_295, 4_294_967_295]) }
        try Shape.validate([0, 5, 7])
    }

    /// Three quarters of physical memory; 2 GiB under an address-space limit; 10% under a cgroup's.
    @Test func theDefaultLimitFollowsTheMachineAndTheProcess() {
        let gib = 1 << 30
        #expect(MemoryBudget.defaultLimit(.init(physical: 24 * gib, addressSpace: nil, cgroup: nil)) == 18 * gib)
        #expect(MemoryBudget.defaultLimit(.init(physical: 24 * gib, addressSpace: 8_192_000_000, cgroup: nil))
                == 8_192_000_000 - 2 * gib)
        #expect(MemoryBudget.defaultLimit(.init(physical: 24 * gib, addressSpace: nil, cgroup: 4_000_000_000))
                == 3_600_000_000)
        #expect(MemoryBudget.defaultLimit(.init(physical: 24 * gib, addressSpace: gib, cgroup: nil)) == 256 << 20,
                "never below 256 MB")
    }

    @Test func sizesReadAsPeopleWriteThem() {
        #expect(MemoryBudget.text(40_000_000_000) == "40.0 GB")
        #expect(MemoryBudget.text(123_000_000_000) == "123 GB")
        #expect(MemoryBudget.text(1_500_000) == "1.5 MB")
        #expect(MemoryBudget.text(12) == "12 bytes")
    }
}
