// libFuzzer target: the .txt document loader followed by the chunker.
import FuzzIndexingSupport
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoaderText(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    LoaderHarness.run(Fuzz.bytes(start, count), extension: "txt")
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzLoaderText_main")
public func fuzzLoaderTextMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
