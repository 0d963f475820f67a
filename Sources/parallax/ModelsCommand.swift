// `parallax models`: list the models in the cache and verify them.
import ArgumentParser
import Foundation
import ModelFiles

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models in the model cache and verify their SHA-256.")

    @Flag(help: "Check sizes only; skip reading whole files for their digests.")
    var quick = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let cache = ModelCache()
        var allGood = true
        var records: [[String: Any]] = []
        if !json { print("model cache: \(cache.root.path)") }
        for model in ModelSpec.defaults {
            for file in model.files {
                let status = cache.status(of: file, digest: !quick)
                let text: String
                switch status {
                case .verified: text = quick ? "present (size ok)" : "verified"
                case .missing: text = "missing"
                case .wrongSize(let actual): text = "wrong size (\(actual) bytes, expected \(file.bytes))"
                case .wrongDigest(let actual): text = "wrong SHA-256 (\(actual.prefix(16))…)"
                case .unreadable(let why): text = "unreadable: \(why)"
                }
                if status != .verified { allGood = false }
                records.append(["model": model.name, "role": model.role, "file": file.relativePath,
                                "path": cache.url(for: file).path, "status": text, "ok": status == .verified])
                if !json {
                    let mark = status == .verified ? "ok " : "BAD"
                    print("  \(mark) \(model.role.padding(toLength: 9, withPad: " ", startingAt: 0)) \(file.relativePath)  \(text)")
                }
            }
        }
        if json {
            let object: [String: Any] = ["cache": cache.root.path, "ok": allGood, "files": records]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else if !allGood {
            print("Some model files are missing or damaged: run `make models` (scripts/fetch-models.sh) to fetch them.")
        }
        if !allGood { throw ExitCode(1) }
    }
}
