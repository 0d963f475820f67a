// Run ids and the runs folder: an id with '/' or '..', or a runs/ folder that is a link out of the
// workspace, never makes the run store write elsewhere.
import Foundation
import ModelFiles
import Testing
@testable import Evaluation

@Suite struct RunStoreSafetyTests {
    func manifest(id: String) -> RunManifest {
        RunManifest(id: id, kind: "qa", createdAt: "now", suite: "s", suiteSHA256: "x", arms: [.rag],
                    settings: [:], fingerprints: [:], summaries: [])
    }

    @Test func hostileRunIDsAndLinkedRunsFolderAreRefused() throws {
        let fm = FileManager.default
        let workspace = fm.temporaryDirectory.appendingPathComponent("runs-safety-\(UUID().uuidString)")
        let outside = fm.temporaryDirectory.appendingPathComponent("runs-outside-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: workspace); try? fm.removeItem(at: outside) }
        try fm.createDirectory(at: workspace, withIntermediateDirectories: true)
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        let store = RunStore(workspace: workspace)
        for id in ["../../escape", "a/b", "/tmp/x", "..", ".hidden"] {
            #expect(throws: PathSafetyError.self, "\(id)") { try store.save(manifest: manifest(id: id), answers: [], report: "") }
            #expect(throws: PathSafetyError.self, "\(id)") { try store.answers(of: id) }
        }
        #expect(try fm.contentsOfDirectory(atPath: outside.path).isEmpty)
        // runs/ itself a link to another folder.
        try fm.createSymbolicLink(at: store.directory, withDestinationURL: outside)
        #expect(throws: PathSafetyError.self) { try store.save(manifest: manifest(id: RunStore.newID()), answers: [], report: "") }
        #expect(try fm.contentsOfDirectory(atPath: outside.path).isEmpty)
        // A good id in a normal runs/ folder still saves.
        try fm.removeItem(at: store.directory)
        let id = RunStore.newID()
        try store.save(manifest: manifest(id: id), answers: [], report: "# r")
        #expect(store.list().map(\.id) == [id])
    }
}
