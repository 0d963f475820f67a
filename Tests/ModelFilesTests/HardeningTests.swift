// Names and paths users and files give (SafeName, ConfinedPath), deep JSON, long lines and
// safetensors headers that claim absurd sizes: each refused with a clear message, never a trap.
import Foundation
import Testing
@testable import ModelFiles

@Suite("Hardening: names, paths, JSON depth, line bounds")
struct HardeningTests {
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-harden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.resolvingSymlinksInPath()
    }

    @Test(arguments: ["json-answers", "fmt_1.v2", "A", "x" + String(repeating: "y", count: 99), "2026-run.1"])
    func goodNamesPass(_ name: String) throws {
        #expect(SafeName.isValid(name))
        #expect(try SafeName.validate(name, kind: "adapter") == name)
    }

    @Test(arguments: ["", "..", ".", "../../x", "a/b", "/etc", ".hidden", "-flag", "a\\b", "café", "a b", "a\u{0}b",
                      "new\nline", String(repeating: "x", count: 101)])
    func badNamesAreRefusedWithTheRules(_ name: String) {
        #expect(!SafeName.isValid(name))
        do {
            try SafeName.validate(name, kind: "adapter")
            Issue.record("accepted \(name.debugDescription)")
        } catch {
            #expect(error.description.contains("invalid adapter name"))
            #expect(error.description.contains("letters a–z A–Z, digits, '-', '_' and '.'"))
        }
    }

    @Test func confinedPathResolvesDotDotAbsoluteAndLinks() throws {
        let root = try Self.scratch()
        let outside = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: outside) }
        let workspace = root.appendingPathComponent("ws")
        try FileManager.default.createDirectory(at: workspace.appendingPathComponent("adapters"), withIntermediateDirectories: true)
        // Inside: an existing folder and a path that does not exist yet.
        #expect(ConfinedPath.isInside(workspace.appendingPathComponent("adapters"), root: workspace))
        #expect(ConfinedPath.isInside(workspace.appendingPathComponent("adapters/new/deeper/file"), root: workspace))
        // '..' and absolute paths out.
        #expect(!ConfinedPath.isInside(workspace.appendingPathComponent("adapters/../../x"), root: workspace))
        #expect(!ConfinedPath.isInside(URL(fileURLWithPath: "/etc/passwd"), root: workspace))
        #expect(!ConfinedPath.isInside(root.appendingPathComponent("ws-sibling"), root: workspace))
        // A link inside the workspace pointing outside, and a path through it.
        let link = workspace.appendingPathComponent("adapters/evil")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside)
        #expect(!ConfinedPath.isInside(link, root: workspace))
        #expect(!ConfinedPath.isInside(link.appendingPathComponent("adapter_model.safetensors"), root: workspace))
        #expect(throws: PathSafetyError.self) { try ConfinedPath.check(link, inside: workspace, what: "adapter 'evil'") }
        do {
            try ConfinedPath.check(link, inside: workspace, what: "adapter 'evil'")
        } catch {
            #expect(error.description.contains(outside.path) && error.description.contains("symbolic link"))
        }
        // A workspace that is itself a link is fine: both sides are resolved.
        let linkedWorkspace = root.appendingPathComponent("ws-link")
        try FileManager.default.createSymbolicLink(at: linkedWorkspace, withDestinationURL: workspace)
        #expect(ConfinedPath.isInside(linkedWorkspace.appendingPathComponent("adapters/a"), root: linkedWorkspace))
        #expect(ConfinedPath.isInside(linkedWorkspace.appendingPathComponent("adapters/a"), root: workspace))
    }

    @Test func jsonNested100000DeepIsRefusedBeforeParsing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(JSONGuard.nestingDepth(of: Array(deep.utf8), limit: 64) == 65)
        #expect(throws: JSONGuardError.tooDeep(limit: 64)) { try JSONGuard.object(from: Data(deep.utf8)) }
        let objects = String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        #expect(throws: JSONGuardError.tooDeep(limit: 64)) { try JSONGuard.object(from: Data(objects.utf8)) }
        // Brackets inside strings do not count.
        let quoted = #"{"text": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#
        #expect((try? JSONGuard.object(from: Data(quoted.utf8))) as? [String: String] != nil)
    }

    @Test func safetensorsHeaderNestedDeepIsRefused() {
        let deep = #"{"a":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        let bytes = SafetensorsTests.file(header: deep, data: [])
        do {
            _ = try SafetensorsFile(bytes: bytes)
            Issue.record("a 100,000-deep header was accepted")
        } catch let error as SafetensorsError {
            #expect(String(describing: error).contains("nested"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func safetensorsTensorClaimingTenToTheTwelveElementsIsRefused() {
        let header = #"{"a":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,16]}}"#
        let bytes = SafetensorsTests.file(header: header, data: Array(repeating: 0, count: 16))
        #expect(throws: SafetensorsError.badShape(tensor: "a", shape: [1_000_000, 1_000_000])) {
            try SafetensorsFile(bytes: bytes)
        }
    }

    @Test func lineReaderStreamsAcrossChunksAndBoundsLongLines() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("lines.txt")
        let long = String(repeating: "z", count: 50)
        try Data("a\n\nbc\n\(long)\r\nlast".utf8).write(to: url)
        for chunk in [1, 3, 7, 1 << 20] {
            var lines: [BoundedLine] = []
            var numbers: [Int] = []
            try LineReader.forEachLine(in: url, maxLineBytes: 10, chunkBytes: chunk) { number, line in
                numbers.append(number)
                lines.append(line)
                return true
            }
            #expect(numbers == [1, 2, 3, 4, 5])
            #expect(lines == [.text(Data("a".utf8)), .text(Data()), .text(Data("bc".utf8)), .tooLong(bytes: 51), .text(Data("last".utf8))],
                    "chunk \(chunk)")
        }
        #expect(LineReader.countNewlines(in: url, chunkBytes: 3) == 4)
        #expect(LineReader.countNewlines(in: url, limit: 2) == 2)
        #expect(LineReader.countNewlines(in: folder.appendingPathComponent("missing")) == nil)
        var seen = 0
        try LineReader.forEachLine(in: url, maxLineBytes: 10) { _, _ in seen += 1; return seen < 2 }
        #expect(seen == 2)
        #expect(throws: (any Error).self) {
            try LineReader.forEachLine(in: folder.appendingPathComponent("missing"), maxLineBytes: 10) { _, _ in true }
        }
    }
}
