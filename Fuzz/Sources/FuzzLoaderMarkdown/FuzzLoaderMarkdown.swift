// libFuzzer target: the .md document loader followed by the chunker.
import FuzzIndexingSupport
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoaderMarkdown(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    LoaderHarness.run(Fuzz.bytes(start, count), extension: "md")
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzLoaderMarkdown_main")
public func fuzzLoaderMarkdownMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
