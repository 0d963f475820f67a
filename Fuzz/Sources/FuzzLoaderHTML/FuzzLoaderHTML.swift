// libFuzzer target: the .html document loader followed by the chunker.
import FuzzIndexingSupport
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoaderHTML(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    LoaderHarness.run(Fuzz.bytes(start, count), extension: "html")
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzLoaderHTML_main")
public func fuzzLoaderHTMLMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
