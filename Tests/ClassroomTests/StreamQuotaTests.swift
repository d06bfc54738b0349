@testable import Classroom
import Testing

/// The event streams one address may hold: taken per stream, given back when the ticket goes.
@Suite("Streams per address")
struct StreamQuotaTests {
    @Test("an address gets as many tickets as the limit; a dropped ticket frees its place; others are not held back")
    func tickets() throws {
        let quota = StreamQuota(perAddress: 2)
        var held = [quota.take("10.0.0.7"), quota.take("10.0.0.7")]
        #expect(held.allSatisfy { $0 != nil })
        #expect(quota.take("10.0.0.7") == nil)
        #expect(quota.take("10.0.0.8") != nil, "another address")
        #expect((0..<10).allSatisfy { _ in quota.take(nil) != nil }, "uncounted")
        held.removeLast()
        #expect(quota.count("10.0.0.7") == 1)
        let again = quota.take("10.0.0.7")
        #expect(again != nil)
        held.removeAll()
        withExtendedLifetime(again) { #expect(quota.count("10.0.0.7") == 1) }
        #expect(StreamQuota(perAddress: 0).take("10.0.0.7") != nil, "0: no limit")
    }
}
