// swift-tools-version:6.0
// Parallax: a terminal workbench that answers one question with retrieval and with fine-tuning.
import PackageDescription

// Hot numeric code needs a target CPU (see ../shared/PERFORMANCE.md, trap 1): without one,
// `fma` becomes a library call and Float16 conversion goes through soft-float helpers.
// PARALLAX_CPU=native (default) tunes for this machine; any -march value works, e.g.
// PARALLAX_CPU=x86-64-v3 for a portable AVX2 build, or PARALLAX_CPU=portable for none.
let targetCPU = Context.environment["PARALLAX_CPU"] ?? "native"
// Fuzz and sanitizer builds (PARALLAX_FUZZ=1, PARALLAX_CHECKED=1) keep Swift's bounds and overflow
// checks: -Ounchecked would turn the traps those builds look for into silent memory corruption.
let fuzzing = Context.environment["PARALLAX_FUZZ"] == "1"
let checkedBuild = fuzzing || Context.environment["PARALLAX_CHECKED"] == "1"
let cpuFlags: [String] = targetCPU == "portable" ? [] : ["-Xcc", "-march=\(targetCPU)"]
let fastMath: [SwiftSetting] = [
    .unsafeFlags(cpuFlags),
    .unsafeFlags(checkedBuild ? ["-wmo"] : ["-Ounchecked", "-wmo"], .when(configuration: .release)),
]
let cFast: [CSetting] = [.unsafeFlags(targetCPU == "portable" ? ["-O3"] : ["-O3", "-march=\(targetCPU)"])]

let package = Package(
    name: "Parallax",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "parallax", targets: ["parallax"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev, libncursesw5-dev).
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CNCurses", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),

        // Core, bottom to top. Nothing here imports the terminal.
        .target(name: "Kernels", dependencies: ["CBLAS"], swiftSettings: fastMath),
        .target(name: "ModelFiles", dependencies: ["Kernels"], swiftSettings: fastMath),
        .target(name: "Tokenizers", dependencies: ["ModelFiles"], swiftSettings: fastMath),
        .target(name: "Models", dependencies: ["Kernels", "ModelFiles", "Tokenizers"], swiftSettings: fastMath),
        .target(name: "Indexing",
                dependencies: ["Kernels", "ModelFiles", "Tokenizers", "Models",
                               .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: fastMath),
        .target(name: "Inference", dependencies: ["Kernels", "Models", "Tokenizers", "Indexing"],
                swiftSettings: fastMath),
        .target(name: "Training", dependencies: ["Kernels", "ModelFiles", "Models", "Tokenizers"],
                swiftSettings: fastMath),
        .target(name: "Evaluation", dependencies: ["Indexing", "Inference", "Training"], swiftSettings: fastMath),

        // The terminal front end: the only target that imports ncurses.
        .target(name: "Workbench",
                dependencies: ["CNCurses", "Indexing", "Inference", "Training", "Evaluation"],
                swiftSettings: fastMath),

        // The executable: argument parsing and wiring only.
        .executableTarget(name: "parallax",
                          dependencies: ["Kernels", "ModelFiles", "Tokenizers", "Models", "Indexing",
                                         "Inference", "Training", "Evaluation", "Workbench",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: fastMath),

        .testTarget(name: "KernelsTests", dependencies: ["Kernels"], swiftSettings: fastMath),
        .testTarget(name: "ModelFilesTests", dependencies: ["ModelFiles"], resources: [.copy("Fixtures")],
                    swiftSettings: fastMath),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "ModelFiles", "Kernels"],
                    resources: [.copy("Fixtures")], swiftSettings: fastMath),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "ModelFiles", "Tokenizers", "Kernels"],
                    resources: [.copy("Fixtures")], swiftSettings: fastMath),
        // Shared by the test targets that drive the real binary (kill tests) or have wall-clock limits.
        .target(name: "TestSupport", dependencies: ["Kernels"], path: "Tests/TestSupport"),
        .testTarget(name: "IndexingTests", dependencies: ["Indexing", "TestSupport"], resources: [.copy("Fixtures")],
                    swiftSettings: fastMath),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "TestSupport"], swiftSettings: fastMath),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Models", "Kernels", "TestSupport"], resources: [.copy("Fixtures")],
                    swiftSettings: fastMath),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Inference"], swiftSettings: fastMath),
        .testTarget(name: "WorkbenchTests", dependencies: ["Workbench"], resources: [.copy("Snapshots")],
                    swiftSettings: fastMath),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"], swiftSettings: fastMath),
    ],
    swiftLanguageModes: [.v6]
)

// MARK: Fuzz targets (owned by the fuzzing work, issue #7)
// libFuzzer executables, one per input kind, declared only when PARALLAX_FUZZ=1 so the normal build
// and `make test` never see them. SwiftPM links an executable's entry point as `<Target>_main` (so
// tests can link executables); each harness defines that symbol and hands control to libFuzzer's
// driver (LLVMFuzzerRunDriver), which is why they are parsed as libraries. Build and run with
// `make fuzz`; sources, seed corpora and dictionaries live in Fuzz/ (see Fuzz/README.md).
if fuzzing {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzGGUF", ["ModelFiles", "Models", "Tokenizers"]),
        ("FuzzSafetensors", ["ModelFiles"]),
        ("FuzzBPE", ["Tokenizers", "ModelFiles"]),
        ("FuzzWordPiece", ["Tokenizers", "ModelFiles"]),
        ("FuzzLoader", ["Indexing", "FuzzIndexingSupport"]),
        ("FuzzBEIR", ["Indexing", "FuzzIndexingSupport"]),
        ("FuzzQASuite", ["Evaluation"]),
        ("FuzzChatDataset", ["Training", "Tokenizers", "ModelFiles"]),
        ("FuzzTheme", ["Workbench"]),
        ("FuzzXML", ["Evaluation"]),
        ("FuzzFormatCompliance", ["Evaluation", "Inference"]),
    ]
    package.targets += fuzzTargets.map { target in
        .executableTarget(name: target.name, dependencies: target.dependencies + ["FuzzSupport"],
                          path: "Fuzz/Sources/\(target.name)",
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
    package.targets += [
        .systemLibrary(name: "CFuzzDriver", path: "Fuzz/Sources/CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver", "ModelFiles"], path: "Fuzz/Sources/FuzzSupport"),
        .target(name: "FuzzIndexingSupport", dependencies: ["FuzzSupport", "Indexing"],
                path: "Fuzz/Sources/FuzzIndexingSupport"),
    ]
}
