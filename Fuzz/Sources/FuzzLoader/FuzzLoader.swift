// libFuzzer target: the document loaders followed by the chunkers. The first byte picks the kind
// (byte % 5: text, Markdown, reStructuredText, HTML, pdftotext output); the rest is the file.
import FuzzIndexingSupport
import FuzzSupport
import Foundation
// Only for PDFTextExtractor.outcome(fromToolOutput:), what the PDF loader does with pdftotext's
// output (form feeds, encoding checks); pdftotext itself is poppler's and not fuzzed here.
@testable import Indexing

/// The loader each selector value (first byte % 5) picks, as a file extension; nil is pdftotext output.
let loaderExtensions: [String?] = ["txt", "md", "rst", "html", nil]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoader(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    guard let selector = bytes.first else { return 0 }
    let content = Array(bytes.dropFirst())
    if let ext = loaderExtensions[Int(selector) % loaderExtensions.count] {
        LoaderHarness.run(content, extension: ext)
    } else {
        LoaderHarness.chunk(PDFTextExtractor.outcome(fromToolOutput: Data(content)))
    }
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzLoader_main")
public func fuzzLoaderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
