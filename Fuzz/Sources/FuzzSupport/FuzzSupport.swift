// Shared helpers for the libFuzzer harnesses: the input as bytes or text, invariant checks, model files.
import CFuzzDriver
import Foundation
import ModelFiles

/// Helpers every harness uses.
public enum Fuzz {
    /// Runs libFuzzer on the harness's `LLVMFuzzerTestOneInput`: what each target's `<Target>_main` calls.
    public static func runDriver(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, LLVMFuzzerTestOneInput)
    }

    /// The fuzzer's input as an owned byte array.
    public static func bytes(_ start: UnsafeRawPointer?, _ count: Int) -> [UInt8] {
        guard let start, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// The input as text, when it is valid UTF-8 (harnesses of text readers skip other inputs,
    /// as the readers themselves receive already-validated text).
    public static func text(_ start: UnsafeRawPointer?, _ count: Int) -> String? {
        String(validating: bytes(start, count), as: UTF8.self)
    }

    /// Reports a broken invariant and stops, so libFuzzer saves the input as a crash.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String,
                               file: StaticString = #fileID, line: UInt = #line) {
        guard !condition else { return }
        FileHandle.standardError.write(Data("fuzz invariant failed at \(file):\(line): \(message())\n".utf8))
        abort()
    }

    /// Says once why a harness cannot run (e.g. a model file is missing) and exits cleanly.
    public static func skip(_ reason: String) -> Never {
        FileHandle.standardError.write(Data("fuzz target skipped: \(reason)\n".utf8))
        exit(0)
    }

    /// The model cache the harnesses read vocabularies from (`$PARALLAX_MODELS` or the default).
    public static let models = ModelCache()
}
