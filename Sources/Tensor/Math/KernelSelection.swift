import Foundation





/// Chooses an OpenBLAS kernel family when the library's own detection falls short.
///
/// Debian's OpenBLAS 0.3.21 does not know some newer CPUs (an AVX-512 Xeon of
/// family 6 model 207 is reported as `Prescott`) and then runs sgemm at a fifth
/// of the machine's speed. The core is chosen when the library loads, from
/// `OPENBLAS_CORETYPE`, so a process that wants another one must set the
/// variable and start again (see `lesson`'s entry point).
public enum KernelSelection {
    /// Kernel families that use no AVX2/FMA: a sign that detection fell back.
    static let genericCores: Set<String> = [
        "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "katmai",
        "coppermine", "northwood", "banias", "athlon", "opteron", "barcelona",
        "bobcat", "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator", "unknown",
    ]

    /// The core to request, or nil when the current one is right or the user chose one.
    ///
    /// - Parameters:
    ///   - currentCore: what OpenBLAS picked (`BLAS.coreName`).
    ///   - cpuFlags: the CPU's feature flags as `/proc/cpuinfo` spells them.
    ///   - userSetting: the value of `OPENBLAS_CORETYPE` already in the environment, if any.
    public static func recommendedCore(currentCore: String, cpuFlags: Set<String>, userSetting: String?) -> String? {
        if let userSetting, !userSetting.isEmpty { return nil }
        guard genericCores.contains(currentCore.lowercased()) else { return nil }
        let avx512 = ["avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"]
        if avx512.allSatisfy(cpuFlags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(cpuFlags.contains), currentCore.lowercased() != "excavator" { return "Haswell" }
        return nil
    }

    /// The flags line of `/proc/cpuinfo`, or an empty set where there is none.
    public static func cpuFlags(cpuinfo path: String = "/proc/cpuinfo") -> Set<String> {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }
}
