// libFuzzer target: what the PDF loader does with `pdftotext` output (form feeds, encoding checks),
// followed by the chunker. pdftotext itself is poppler's and not fuzzed here.
import FuzzIndexingSupport
import FuzzSupport
import Foundation
@testable import Indexing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoaderPDFText(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    LoaderHarness.chunk(PDFTextExtractor.outcome(fromToolOutput: Data(Fuzz.bytes(start, count))))
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzLoaderPDFText_main")
public func fuzzLoaderPDFTextMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
