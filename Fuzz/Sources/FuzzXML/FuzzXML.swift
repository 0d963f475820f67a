// libFuzzer target: the small XML parser that reads model answers (hostile text).
import Evaluation
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let text = Fuzz.text(start, count) else { return 0 }
    guard let root = try? XMLDocumentParser.parse(text, maxDepth: 64) else { return 0 }
    func depth(_ node: XMLElementNode) -> Int { 1 + (node.children.map(depth).max() ?? 0) }
    Fuzz.require(depth(root) <= 65, "parsed a tree deeper than maxDepth")
    Fuzz.require(!root.name.isEmpty, "an element without a name")
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzXML_main")
public func fuzzXMLMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
