// PDF text through poppler's `pdftotext`, run without a shell and with a time limit.
import Foundation

/// Runs `pdftotext -enc UTF-8 -q FILE OUT` when the tool is on PATH. The tool is started directly
/// (`Process` with an argument array, no shell), so a file name with `;`, `$(…)` or spaces is one
/// argument and never a command; it is killed (SIGTERM, then SIGKILL) when it runs past `timeout`.
struct PDFTextExtractor: Sendable {
    var timeout: Double
    /// The executable to run (nil: `pdftotext` found on PATH). Tests put a stand-in here.
    var tool: URL? = nil

    /// The pdftotext executable, searched on PATH (nil when not installed).
    static func toolURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("pdftotext")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    func load(url: URL, maxBytes: Int) -> LoadOutcome {
        guard let tool = tool ?? Self.toolURL() else { return .skipped(.pdfToolMissing) }
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber,
           size.intValue > maxBytes {
            return .skipped(.tooLarge(bytes: size.intValue))
        }
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("parallax-pdf-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = tool
        process.arguments = ["-enc", "UTF-8", "-q", url.path, output.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .skipped(.pdfFailed("could not start: \(Self.reason(error))"))
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                // A tool that ignores SIGTERM gets SIGKILL after a grace period.
                let grace = Date().addingTimeInterval(2)
                while process.isRunning && Date() < grace { usleep(5_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                return .skipped(.pdfFailed("timed out after \(String(format: "%g", timeout)) s"))
            }
            usleep(5_000)
        }
        guard process.terminationStatus == 0 else {
            return .skipped(.pdfFailed("exit status \(process.terminationStatus)"))
        }
        // Text larger than the per-file cap is skipped like a large text file (never read in).
        if let size = (try? FileManager.default.attributesOfItem(atPath: output.path))?[.size] as? NSNumber,
           size.intValue > maxBytes {
            return .skipped(.tooLarge(bytes: size.intValue))
        }
        guard let data = FileManager.default.contents(atPath: output.path) else {
            return .skipped(.pdfFailed("no output"))
        }
        return Self.outcome(fromToolOutput: data)
    }

    /// Why a process did not start, in words. Foundation reports a failed exec as a generic Cocoa
    /// error ("The operation could not be completed"); the POSIX error under it says what happened.
    static func reason(_ error: Error) -> String {
        let error = error as NSError
        if let posix = error.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return error.localizedDescription
    }

    /// What the loader makes of `pdftotext` output: pages (separated by form feeds) become
    /// paragraphs; binary or invalid UTF-8 output is skipped like any text file.
    static func outcome(fromToolOutput data: Data) -> LoadOutcome {
        var cleaned = data
        for index in cleaned.indices where cleaned[index] == 0x0C { cleaned[index] = 0x0A }
        switch DocumentLoader.decodeText(cleaned) {
        case .failure(let reason): return .skipped(reason)
        case .success(let text):
            if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { return .skipped(.empty) }
            return .loaded([SourceItem(text: text, format: .plain)])
        }
    }
}
