// The live backend's pure parts: target names from the train form, and span conversion.
import Testing
@testable import Workbench
import Models

@Suite struct LiveBackendTests {
    @Test func trainFormTargetsMapToProjections() throws {
        #expect(try LiveBackend.projections(["q_proj,v_proj"]) == [.q, .v])
        #expect(try LiveBackend.projections(["q", "k", "gate_proj"]) == [.q, .k, .gate])
        #expect(try LiveBackend.projections(["all linear"]) == LlamaProjection.allCases)
        #expect(throws: WorkbenchError.self) { try LiveBackend.projections(["qkv"]) }
        #expect(throws: WorkbenchError.self) { try LiveBackend.projections([]) }
    }

    @Test func scalarSpansBecomeUTF8Spans() {
        let text = IndexedText("aé€🙂b")   // scalars: a(1) é(2) €(3) 🙂(4) b(1) UTF-8 bytes
        #expect(text.utf8Span(scalars: 0..<1) == 0..<1)
        #expect(text.utf8Span(scalars: 1..<3) == 1..<6)
        #expect(text.utf8Span(scalars: 3..<5) == 6..<11)
        #expect(text.utf8Span(scalars: 4..<99) == 10..<11)
    }
}
