// The binary refuses names and links that would write outside the workspace, and a dataset past
// the line cap, with messages that say what to do; nothing appears outside the workspace.
import Foundation
import Testing

@Suite(.serialized) struct HardeningCLITests {
    func binary() throws -> ParallaxBinary {
        try #require(ParallaxBinary.fromEnvironment(), "set PARALLAX_BIN to the built binary (make test does)")
    }

    @Test func namesAndLinksCannotSteerWritesOutOfTheWorkspace() throws {
        let bin = try binary()
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("parallax-harden-cli-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: root) }
        let workspace = root.appendingPathComponent("ws")
        let outside = root.appendingPathComponent("outside")
        try fm.createDirectory(at: workspace.appendingPathComponent("adapters"), withIntermediateDirectories: true)
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        let data = root.appendingPathComponent("d.jsonl")
        try Data(#"{"prompt":"q","completion":"a"}"#.utf8).write(to: data)

        for name in ["../../x", "a/b", "/tmp/abs"] {
            let train = try bin.run(["train", "--data", data.path, "--name", name, "--workspace", workspace.path, "--steps", "1"])
            #expect(train.status != 0 && train.stderr.contains("invalid adapter name"), "\(name): \(train.stderr)")
            let show = try bin.run(["adapters", "show", name, "--workspace", workspace.path])
            #expect(show.status != 0 && show.stderr.contains("invalid adapter name"), "\(name): \(show.stderr)")
        }
        try fm.createSymbolicLink(at: workspace.appendingPathComponent("adapters/evil"), withDestinationURL: outside)
        let linked = try bin.run(["train", "--data", data.path, "--name", "evil", "--workspace", workspace.path, "--steps", "1"])
        #expect(linked.status != 0 && linked.stderr.contains("outside"), "\(linked.stderr)")
        #expect(try fm.contentsOfDirectory(atPath: outside.path).isEmpty)
        #expect(!fm.fileExists(atPath: root.appendingPathComponent("x").path) && !fm.fileExists(atPath: "/tmp/abs"))
    }

    @Test func datasetPastTheLineCapIsRefusedClearly() throws {
        let bin = try binary()
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("parallax-harden-cli-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: root) }
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        let data = root.appendingPathComponent("big.jsonl")
        var block = Data()
        for _ in 0..<1_000 { block.append(Data(#"{"prompt":"q","completion":"a"}"#.utf8 + [0x0A])) }
        _ = fm.createFile(atPath: data.path, contents: nil)
        let handle = try FileHandle(forWritingTo: data)
        for _ in 0..<1_000 { try handle.write(contentsOf: block) }  // 1,000,000 lines
        try handle.close()
        let train = try bin.run(["train", "--data", data.path, "--name", "big", "--workspace", root.appendingPathComponent("ws").path,
                                 "--steps", "1"])
        #expect(train.status != 0)
        #expect(train.stderr.contains("more than 100000 lines") && train.stderr.contains("shuf -n"), "\(train.stderr)")
    }
}
