import Foundation
import Tensor
import TestSupport
import Testing

// The choice of OpenBLAS core is a pure function of what OpenBLAS picked, the CPU's flags
// and the user's OPENBLAS_CORETYPE, so every machine it matters on can be described here.

@Suite("OpenBLAS kernel selection")
struct KernelSelectionTests {
    /// The flags of an AVX-512 Xeon (family 6, model 207) that Debian's OpenBLAS calls Prescott.
    static let avx512Flags: Set<String> = [
        "fpu", "sse", "sse2", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma", "bmi2",
        "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
    ]
    /// A desktop with AVX2 and FMA but no AVX-512.
    static let avx2Flags: Set<String> = ["fpu", "sse", "sse2", "sse4_2", "avx", "avx2", "fma", "bmi2"]
    /// Flags that no optimised kernel can use.
    static let plainFlags: Set<String> = ["fpu", "sse", "sse2", "ssse3", "sse4_1", "sse4_2"]

    struct Case: Sendable, CustomTestStringConvertible {
        let currentCore: String
        let flags: Set<String>
        let userSetting: String?
        let expected: String?
        let testDescription: String
    }

    static let cases: [Case] = [
        Case(currentCore: "Prescott", flags: avx512Flags, userSetting: nil, expected: "SkylakeX",
             testDescription: "Prescott on an AVX-512 CPU -> SkylakeX"),
        Case(currentCore: "PRESCOTT", flags: avx512Flags, userSetting: nil, expected: "SkylakeX",
             testDescription: "core names are compared case-insensitively"),
        Case(currentCore: "Nehalem", flags: avx512Flags, userSetting: "", expected: "SkylakeX",
             testDescription: "an empty OPENBLAS_CORETYPE counts as unset"),
        Case(currentCore: "Prescott", flags: avx2Flags, userSetting: nil, expected: "Haswell",
             testDescription: "Prescott with avx2 + fma only -> Haswell"),
        Case(currentCore: "Sandybridge", flags: avx2Flags, userSetting: nil, expected: "Haswell",
             testDescription: "Sandybridge with avx2 + fma -> Haswell"),
        Case(currentCore: "Prescott", flags: avx2Flags.subtracting(["fma"]), userSetting: nil, expected: nil,
             testDescription: "avx2 without fma is not enough for Haswell"),
        Case(currentCore: "Prescott", flags: avx512Flags.subtracting(["avx512vl"]), userSetting: nil, expected: "Haswell",
             testDescription: "an incomplete AVX-512 set falls back to Haswell"),
        Case(currentCore: "Excavator", flags: avx2Flags, userSetting: nil, expected: nil,
             testDescription: "Excavator already uses its AVX2 kernels"),
        Case(currentCore: "SkylakeX", flags: avx512Flags, userSetting: nil, expected: nil,
             testDescription: "SkylakeX is recognised"),
        Case(currentCore: "Haswell", flags: avx512Flags, userSetting: nil, expected: nil,
             testDescription: "Haswell is recognised"),
        Case(currentCore: "Zen", flags: avx2Flags, userSetting: nil, expected: nil,
             testDescription: "Zen is recognised"),
        Case(currentCore: "Cooperlake", flags: avx512Flags, userSetting: nil, expected: nil,
             testDescription: "Cooperlake is recognised"),
        Case(currentCore: "Prescott", flags: avx512Flags, userSetting: "Haswell", expected: nil,
             testDescription: "the user's OPENBLAS_CORETYPE always wins"),
        Case(currentCore: "Prescott", flags: avx2Flags, userSetting: "Prescott", expected: nil,
             testDescription: "even a user choice of a generic core wins"),
        Case(currentCore: "Prescott", flags: plainFlags, userSetting: nil, expected: nil,
             testDescription: "no AVX2/AVX-512 flags -> nothing to recommend"),
        Case(currentCore: "unknown", flags: [], userSetting: nil, expected: nil,
             testDescription: "no flags at all -> nothing to recommend"),
    ]

    @Test("recommended core", arguments: cases)
    func recommendedCore(_ example: Case) {
        let core = KernelSelection.recommendedCore(
            currentCore: example.currentCore, cpuFlags: example.flags, userSetting: example.userSetting)
        #expect(core == example.expected)
    }

    @Test func cpuFlagsAreReadFromTheFlagsLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cpuinfo = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) Platinum
            flags\t\t: fpu vme avx2 fma avx512f avx512dq
            vmx flags\t: vnmi preemption_timer
            bugs\t\t: spectre_v1

            processor\t: 1
            flags\t\t: fpu something_else

            """
        let file = try directory.write(Data(cpuinfo.utf8), to: "cpuinfo")
        #expect(KernelSelection.cpuFlags(cpuinfo: file.path) == ["fpu", "vme", "avx2", "fma", "avx512f", "avx512dq"])
    }

    @Test func cpuinfoWithoutFlagsGivesNoFlags() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(Data("processor\t: 0\nFeatures\t: fp asimd\n".utf8), to: "cpuinfo")
        #expect(KernelSelection.cpuFlags(cpuinfo: file.path).isEmpty)
    }

    @Test func missingCpuinfoGivesNoFlags() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(KernelSelection.cpuFlags(cpuinfo: directory.url.appendingPathComponent("absent").path).isEmpty)
    }
}
