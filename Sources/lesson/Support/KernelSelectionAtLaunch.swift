import Engine
import Foundation
import Tensor

/// Gets OpenBLAS's fast kernels on CPUs its own detection does not know.
///
/// Debian's OpenBLAS 0.3.21 reports an AVX-512 Xeon of family 6 model 207 as
/// `Prescott` and multiplies at a fifth of the speed. The core is chosen from
/// `OPENBLAS_CORETYPE` when the library loads (before `main`), so when the CPU
/// can do better we set the variable and replace this process with a fresh copy
/// of itself. A value the user set is always respected.
enum KernelSelectionAtLaunch {
    /// Set in the restarted process: what OpenBLAS had detected on its own.
    static let detectedVariable = "LESSON_BLAS_DETECTED"
    /// For tests: act as if OpenBLAS had detected this core (no real CPU at hand misleads it).
    static let pretendVariable = "LESSON_PRETEND_BLAS_CORE"

    static func restartWithFastKernelIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment[detectedVariable] == nil else { return }
        let current = environment[pretendVariable] ?? BLAS.coreName
        guard let better = KernelSelection.recommendedCore(
            currentCore: current, cpuFlags: KernelSelection.cpuFlags(), userSetting: environment["OPENBLAS_CORETYPE"])
        else { return }
        setenv("OPENBLAS_CORETYPE", better, 1)
        setenv(detectedVariable, current, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: exec failed. Carry on with the slower kernel rather than fail.
        unsetenv("OPENBLAS_CORETYPE")
    }

    /// A sentence on the kernel in use, for `bench` and `train` headers.
    static var summary: String {
        let core = BLAS.coreName
        if let detected = ProcessInfo.processInfo.environment[detectedVariable] {
            return "OpenBLAS core \(core) (chosen by lesson: the library detected \(detected) on this CPU)"
        }
        if let chosen = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], !chosen.isEmpty {
            return "OpenBLAS core \(core) (OPENBLAS_CORETYPE=\(chosen))"
        }
        return "OpenBLAS core \(core)"
    }

    /// The `Compute:` line of `train` and `bench`: what multiplies matrices (bf16 kernels, or
    /// OpenBLAS and oneDNN under `plan`), the element-wise kernels and the threads.
    static func computeSummary(precision: Precision, plan: ProductPlan, workers: Int) -> String {
        let choice = plan.forced.map { "every product on \($0.title)" } ?? "each product on the library measured faster here (plan)"
        let matrices = precision == .bf16 ? "matrix products in bf16 (AVX512_BF16 kernels, float32 sums)"
            : "\(summary), oneDNN \(OneDNN.version); \(choice)"
        return "\(matrices); element-wise kernels \(Kernels.current.name); "
            + "\(workers) worker thread\(workers == 1 ? "" : "s"), each with single-threaded products"
    }
}
