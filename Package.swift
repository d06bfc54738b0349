// swift-tools-version: 6.1
import PackageDescription

// Layers import only downward (see Sources/README.md, one paragraph per target):
//   lesson (CLI) -> Classroom (lesson serve) -> Render -> Notebook -> CellScript (the cell language)
//   lesson (CLI) -> ModelAPI (the built-ins) -> CellScript + Engine -> Tensor -> COpenBLAS
// CellScript and Notebook import neither Engine nor Tensor: the CLI hands a session its libraries.
// Figures (chart and heatmap data) sits beside them: ModelAPI fills it, Render draws it.
// Limits (the memory budget) sits under Tensor and CellScript, which check allocations against it.
// The numeric targets are optimised in every configuration: debug builds of
// plain Swift array code run 10-100x slower, and `make test` builds debug.
let numericFlags: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"])]

let package = Package(
    name: "lesson",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lesson", targets: ["lesson"]),
        .executable(name: "lesson-fuzz", targets: ["lesson-fuzz"]),
        .library(name: "Engine", targets: ["Engine", "Tensor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.0"),
        // `lesson serve`. Without its default traits: no swift-configuration, no full Foundation.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        // oneDNN's float32 products (Debian's libdnnl-dev), chosen per product shape where faster.
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CCmarkGFM", path: "Sources/CCmarkGFM"),
        // glibc's malloc.h (`malloc_trim`), for the memory budget.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(name: "Figures"),
        // SHA-256 and a fast checksum: for the cache and the reports, without the engine.
        .target(name: "Digests", swiftSettings: numericFlags),
        // The one little-endian byte layout of the cache and of saved sessions.
        .target(name: "Bytes", swiftSettings: numericFlags),
        // The memory budget for code run on other people's behalf; below every layer that allocates.
        .target(name: "Limits", dependencies: ["CMalloc"]),
        // Element-wise kernels in C, compiled for AVX-512, AVX2 and SSE2 and chosen at run time.
        // -O3 in every configuration (like numericFlags); no contraction into fused
        // multiply-adds, so each instruction set gives the same bits as the others.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]),
        .target(name: "Tensor", dependencies: ["COpenBLAS", "CDNNL", "CKernels", "Limits"], swiftSettings: numericFlags),
        .target(name: "Engine", dependencies: ["Tensor", "Digests"], swiftSettings: numericFlags),
        // The cell language: parser, interpreter, values, sessions. Knows no engine type.
        .target(
            name: "CellScript",
            dependencies: [
                "Figures", "Limits", "Bytes", "Digests",
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftOperators", package: "swift-syntax"),
                .product(name: "SwiftDiagnostics", package: "swift-syntax"),
                .product(name: "SwiftParserDiagnostics", package: "swift-syntax"),
            ]),
        // The model API: the built-ins cells call (data, tensors, cells, models, training,
        // figures), binding the cell language to the engine.
        .target(name: "ModelAPI", dependencies: ["CellScript", "Engine", "Tensor", "Figures", "Limits"]),
        // The cache's array blobs: byte planes through zlib (Debian's zlib1g-dev), in C at -O3.
        .target(name: "CBlobCodec", cSettings: [.unsafeFlags(["-O3"])], linkerSettings: [.linkedLibrary("z")]),
        // Worker processes for `lesson serve`'s forks: fork(2), socket pairs and descriptors
        // passed over Unix sockets (SCM_RIGHTS, whose macros Swift cannot call).
        .target(name: "CProcess"),
        .target(name: "Notebook", dependencies: ["Bytes", "CBlobCodec", "CCmarkGFM", "CellScript", "Digests", "Figures", "Limits"]),
        // Results -> HTML and terminal text. Reads outcomes as data; never runs a cell.
        .target(
            name: "Render",
            dependencies: [
                "Notebook", "Figures", "CellScript",
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftIDEUtils", package: "swift-syntax"),
            ]),
        // `lesson serve`: one stepping session shared by a presenter and read-only followers over HTTP.
        // Runs cells through Notebook, draws everything through Render.
        .target(
            name: "Classroom",
            dependencies: [
                "Notebook", "Render", "Figures", "CProcess", "CellScript",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "lesson",
            dependencies: [
                "Engine", "Tensor", "CellScript", "ModelAPI", "Notebook", "Render", "Figures", "Classroom", "Limits", "Digests",
                "CProcess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // A structure-aware fuzzer, run by hand as a benchmark (`make fuzz`), never in CI.
        .executableTarget(
            name: "lesson-fuzz",
            dependencies: [
                "CellScript", "ModelAPI", "Notebook", "Render", "Limits",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/LessonFuzz"),
        .target(name: "TestSupport", dependencies: ["Tensor"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "Limits", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Tensor", "TestSupport"]),
        .testTarget(name: "DigestsTests", dependencies: ["Digests", "TestSupport"]),
        .testTarget(name: "BytesTests", dependencies: ["Bytes"]),
        .testTarget(name: "CellScriptTests", dependencies: ["CellScript", "ModelAPI", "Engine", "Tensor", "Limits", "TestSupport"],
                    exclude: ["Cases"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "ModelAPI", "Engine", "Digests", "TestSupport"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "ModelAPI", "Notebook", "Figures", "TestSupport"]),
        // Runs the built `lesson` binary, as a user would.
        .testTarget(name: "LessonTests", dependencies: ["lesson", "Engine", "Digests", "TestSupport"]),
        .testTarget(name: "LessonFuzzTests", dependencies: ["lesson-fuzz"]),
        .testTarget(name: "ClassroomTests", dependencies: ["Classroom", "CellScript", "ModelAPI", "Notebook", "Figures", "TestSupport"]),
    ]
)
